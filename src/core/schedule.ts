/**
 * Schedules: a loop setting (--real-fraction, --filter-recall) that changes from generation to
 * generation (ARCHITECTURE §1). A schedule is written
 *
 * - as a number: the same value in every generation;
 * - as a comma list `0.9,0.5,0.2`: one value per generation 1, 2, 3, …, the last repeated;
 * - as a linear ramp `0.9..0.1`: the first value at generation 1, the second at generation G, evenly
 *   in between (generation g gets ((G − g)·a + (g − 1)·b)/(G − 1); G = 1 gets a).
 *
 * Outer parentheses are allowed, so that a comma list can be one value of a --grid axis, whose
 * commas separate values: `--grid real-fraction=(0.9,0.5),0.5` has two points.
 *
 * A schedule is recorded in canonical spelling, so that equal meanings give equal configurations
 * (and the same sweep seed): numbers in JavaScript's shortest form, no parentheses, no spaces,
 * trailing repeats of a list dropped; a list or ramp whose values are all equal is that number.
 * A plain number stays a number, so runs without schedules keep their bytes.
 */
import { quote } from "../excerpt.js";

/** A decimal number as flags take it (src/data/number-literal.ts's; the core imports no data layer). */
const NUMBER_LITERAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A setting as a configuration records it: a number, or a schedule's canonical text. */
export type ScheduleValue = number | string;

/** Why a schedule was rejected; `bad` is the offending part as written (the caller adds where). */
export class BadSchedule extends Error {
  constructor(
    message: string,
    readonly bad: string,
  ) {
    super(message);
  }
}

/** The parsed form of a canonical schedule. */
export type Schedule = { kind: "constant"; value: number } | { kind: "list"; values: number[] } | { kind: "ramp"; from: number; to: number };

const SYNTAX = "a number, a comma list (one value per generation, the last repeated) or a ramp a..b";

/** One number of a schedule; `shown` is the whole schedule as messages quote it. */
function number(text: string, shown: string): number {
  const t = text.trim();
  if (!NUMBER_LITERAL.test(t)) throw new BadSchedule(`expects ${SYNTAX}, got ${quote(t, 40)} in ${shown}`, t);
  return Number(t);
}

/**
 * Parses a schedule from a number, a string or (config files, library) an array of numbers, and
 * checks every value against [min, max]. Returns the canonical value; throws BadSchedule.
 */
export function parseSchedule(value: unknown, min: number, max: number): ScheduleValue {
  // How messages quote the schedule: a string or an array as JSON (cut short: one line), a number as itself.
  const whole = quote(value);
  const check = (x: number, what: string) => {
    if (x < min || x > max) throw new BadSchedule(`must be a number >= ${min} and <= ${max} in every generation, got ${what}`, String(x));
    return x;
  };
  let schedule: Schedule;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new BadSchedule(`must be finite, got ${whole}`, whole);
    schedule = { kind: "constant", value };
  } else if (Array.isArray(value)) {
    if (value.length === 0) throw new BadSchedule(`got an empty list []; give ${SYNTAX}`, "[]");
    schedule = {
      kind: "list",
      values: value.map((v) => {
        if (typeof v === "number" && Number.isFinite(v)) return v;
        if (typeof v === "string") return number(v, whole);
        throw new BadSchedule(`expects ${SYNTAX}, got ${quote(v, 40)} in ${whole}`, String(v));
      }),
    };
  } else if (typeof value === "string") {
    let text = value.trim();
    if (text.startsWith("(") && text.endsWith(")")) text = text.slice(1, -1).trim();
    if (text === "") throw new BadSchedule(`got an empty schedule ${whole}; give ${SYNTAX}`, value);
    const dots = text.indexOf("..");
    if (dots >= 0) {
      const ends = text.split("..");
      if (ends.length !== 2 || ends.some((e) => e.trim() === "")) {
        throw new BadSchedule(`expects a ramp written a..b (e.g. 0.9..0.1), got ${whole}`, value);
      }
      const from = number(ends[0]!, whole);
      const to = number(ends[1]!, whole);
      check(from, `${ends[0]!.trim()} at the start of the ramp ${whole}`);
      check(to, `${ends[1]!.trim()} at the end of the ramp ${whole}`);
      schedule = { kind: "ramp", from, to };
    } else {
      const items = text.split(",");
      if (items.some((s) => s.trim() === "")) throw new BadSchedule(`has an empty value in the list ${whole}; remove the extra comma`, value);
      schedule = { kind: "list", values: items.map((s) => number(s, whole)) };
    }
  } else {
    throw new BadSchedule(`expects ${SYNTAX}, got ${whole}`, whole);
  }
  if (schedule.kind === "constant") check(schedule.value, whole);
  if (schedule.kind === "list") schedule.values.forEach((x) => check(x, `${x} in the list ${whole}`));
  return canonical(schedule);
}

/** The canonical spelling (see the module comment). */
function canonical(s: Schedule): ScheduleValue {
  if (s.kind === "constant") return s.value;
  if (s.kind === "ramp") return s.from === s.to ? s.from : `${s.from}..${s.to}`;
  const values = [...s.values];
  while (values.length > 1 && values[values.length - 1] === values[values.length - 2]) values.pop();
  return values.length === 1 ? values[0]! : values.join(",");
}

/** A canonical value (as parseSchedule returns and a configuration records) parsed back. */
export function readSchedule(value: ScheduleValue): Schedule {
  if (typeof value === "number") return { kind: "constant", value };
  const dots = value.indexOf("..");
  if (dots >= 0) return { kind: "ramp", from: Number(value.slice(0, dots)), to: Number(value.slice(dots + 2)) };
  return { kind: "list", values: value.split(",").map(Number) };
}

/** Whether the value changes from generation to generation (a canonical schedule that is not a number). */
export function varies(value: ScheduleValue): boolean {
  return typeof value === "string";
}

/** The value at generation g (1 ≤ g ≤ G; generation 0 is the seed data's and has none). */
export function scheduleAt(value: ScheduleValue, g: number, G: number): number {
  return valueAt(readSchedule(value), g, G);
}

function valueAt(s: Schedule, g: number, G: number): number {
  if (s.kind === "constant") return s.value;
  if (s.kind === "list") return s.values[Math.min(g, s.values.length) - 1]!;
  if (G <= 1) return s.from;
  // Exact at both ends: ((G − g)·a + (g − 1)·b)/(G − 1).
  return ((G - g) * s.from + (g - 1) * s.to) / (G - 1);
}

/** The values at generations 1…G, at index g (index 0 holds generation 1's too, unused by the loop). */
export function scheduleValues(value: ScheduleValue, G: number): Float64Array {
  const s = readSchedule(value);
  const out = new Float64Array(G + 1);
  for (let g = 1; g <= G; g++) out[g] = valueAt(s, g, G);
  out[0] = G >= 1 ? out[1]! : valueAt(s, 1, 1);
  return out;
}

/** The largest and smallest value the schedule takes over generations 1…G (any G for a list). */
export function scheduleRange(value: ScheduleValue): { min: number; max: number } {
  const s = readSchedule(value);
  const xs = s.kind === "constant" ? [s.value] : s.kind === "list" ? s.values : [s.from, s.to];
  return { min: Math.min(...xs), max: Math.max(...xs) };
}
