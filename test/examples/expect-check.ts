/**
 * A manifest check (examples/NAME/example.json) as a test assertion, by the suite's tolerance
 * convention (test/helpers.ts): equal within Z standard errors, a bound not exceeded by more than Z
 * standard errors, a rise by more than Z standard errors.
 */
import { expect } from "vitest";
import { type Check, estimate, expectedOf } from "../../scripts/reproduce/lib.mjs";
import { expectAbove, expectWithin, Z } from "../helpers.js";

export function expectCheck(check: Check, docs: Record<string, unknown>): void {
  const est = estimate(check, docs);
  const exp = expectedOf(check, est, docs);
  expect(est.value, `${check.label}: no estimate`).not.toBeNull();
  expect(exp.value, `${check.label}: no expected value`).not.toBeNull();
  const value = est.value!;
  const expected = exp.value!;
  const se = Math.hypot(est.se ?? 0, exp.se);
  if (check.verdict === "equal") expectWithin(value, expected, se, check.label);
  else if (check.verdict === "below")
    expect(value, `${check.label}: ${value} above ${expected} by more than Z·SE (SE ${se})`).toBeLessThanOrEqual(expected + Z * se);
  else if (check.verdict === "above") expectAbove(value, expected, se, check.label);
  else throw new Error(`${check.label}: an info check has no verdict to test`);
}
