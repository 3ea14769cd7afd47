/**
 * Numeric ranges of a grid axis, written in decimal and expanded without floating-point drift.
 *
 * - `start:stop:step` — start, start+step, start+2·step, … up to and including stop when it falls
 *   on the grid. The arithmetic is exact on decimals (BigInt mantissas at a common power of ten), so
 *   `0.1:0.3:0.1` gives 0.1, 0.2, 0.3 — never 0.30000000000000004.
 * - `log:start:stop:count` — count values spaced evenly on a log scale, both ends included:
 *   xk = start · (stop/start)^(k/(count−1)), k = 0…count−1; inner values are rounded to 12
 *   significant digits so that log:1:1000:4 gives exactly 1, 10, 100, 1000.
 */

/** More values than this in one axis is almost surely a typo (a step of 1 instead of 0.1). */
export const MAX_AXIS_VALUES = 100_000;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** A decimal number m · 10^e with an integer mantissa. */
interface Decimal {
  readonly m: bigint;
  readonly e: number;
}

/** Parses a decimal literal exactly, or returns null. */
export function parseDecimal(text: string): Decimal | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const [, sign, int = "", frac = "", exp = "0"] = match;
  if (int === "" && frac === "") return null;
  const e = Number(exp) - frac.length;
  if (!Number.isSafeInteger(e) || Math.abs(e) > 400) return null;
  const m = BigInt((sign === "-" ? "-" : "") + (int + frac || "0"));
  return { m, e };
}

/** The decimal string of m · 10^e, then the nearest double to it. */
function decimalToNumber(m: bigint, e: number): number {
  const negative = m < 0n;
  let digits = (negative ? -m : m).toString();
  let text: string;
  if (e >= 0) text = digits + "0".repeat(e);
  else {
    if (digits.length <= -e) digits = "0".repeat(-e - digits.length + 1) + digits;
    text = digits.slice(0, digits.length + e) + "." + digits.slice(digits.length + e);
  }
  return Number((negative ? "-" : "") + text);
}

/** A range that cannot be expanded; the message says why (the caller adds where). */
export class BadRange extends Error {}

/** Expands `start:stop:step` exactly; throws BadRange with a user-facing reason. */
export function linearRange(startText: string, stopText: string, stepText: string): number[] {
  const start = parseDecimal(startText);
  const stop = parseDecimal(stopText);
  const step = parseDecimal(stepText);
  const bad = !start ? startText : !stop ? stopText : !step ? stepText : null;
  if (bad !== null) throw new BadRange(`"${bad}" is not a number`);
  const e = Math.min(start!.e, stop!.e, step!.e);
  const scale = (d: Decimal) => d.m * 10n ** BigInt(d.e - e);
  const a = scale(start!);
  const b = scale(stop!);
  const s = scale(step!);
  if (s <= 0n) throw new BadRange(`the step must be positive, got ${stepText}`);
  if (b < a) throw new BadRange(`stop ${stopText} is below start ${startText}; ranges go upwards`);
  const count = (b - a) / s + 1n;
  if (count > BigInt(MAX_AXIS_VALUES)) throw new BadRange(`it has ${count} values, more than ${MAX_AXIS_VALUES}; use a larger step`);
  const values: number[] = [];
  for (let k = 0n; k < count; k++) values.push(decimalToNumber(a + k * s, e));
  return values;
}

/** Expands `log:start:stop:count`; throws BadRange with a user-facing reason. */
export function logRange(startText: string, stopText: string, countText: string): number[] {
  const start = Number(startText.trim());
  const stop = Number(stopText.trim());
  const count = Number(countText.trim());
  const bad = !parseDecimal(startText) ? startText : !parseDecimal(stopText) ? stopText : null;
  if (bad !== null) throw new BadRange(`"${bad}" is not a number`);
  if (!(start > 0) || !(stop > 0) || !Number.isFinite(start) || !Number.isFinite(stop)) {
    throw new BadRange(`a log range needs positive finite ends, got ${startText} and ${stopText}`);
  }
  if (!(stop > start)) throw new BadRange(`stop ${stopText} must be above start ${startText}`);
  if (!/^\s*\d+\s*$/.test(countText) || count < 2 || count > MAX_AXIS_VALUES) {
    throw new BadRange(`the count must be a whole number from 2 to ${MAX_AXIS_VALUES}, got "${countText}"`);
  }
  const values: number[] = [start];
  const step = (Math.log(stop) - Math.log(start)) / (count - 1);
  for (let k = 1; k < count - 1; k++) values.push(Number(Math.exp(Math.log(start) + k * step).toPrecision(12)));
  values.push(stop);
  return values;
}
