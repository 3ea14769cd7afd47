/**
 * metricsRecorder (src/core/loop.ts): a generation's metrics written by name into each metric's
 * values. Its compiled function writes every name out as a string literal, so names that would
 * break or change code if pasted in (quotes, backslashes, line separators, `${}`) are tried; and
 * the fallback for a process that forbids code from strings must record the same values.
 */
import { describe, expect, it } from "vitest";
import { metricsRecorder } from "../../src/core/loop.js";
import { collapse } from "../cli/cli.js";

const AWKWARD = ["mean", 'q"0.5"', "back\\slash", "line\nbreak", "sep\u2028arator", "$" + "{process.exit(1)}", "constructor", "__proto__", ""];

describe("metricsRecorder", () => {
  it("records each metric at its index, NaN for one not measured, whatever the names", () => {
    const record = metricsRecorder(AWKWARD);
    const values = AWKWARD.map(() => new Float64Array(3));
    const metrics: Record<string, number> = {};
    AWKWARD.forEach((name, m) => Object.defineProperty(metrics, name, { value: m + 0.5, enumerable: true }));
    record(values, metrics, 1);
    AWKWARD.forEach((_, m) => expect(Array.from(values[m]!)).toEqual([0, m + 0.5, 0]));
    record(values, { mean: 7 }, 2);
    expect(values[0]![2]).toBe(7);
    // Not measured: an own property is absent, and an inherited one (constructor, __proto__) is not a number here.
    for (let m = 1; m < AWKWARD.length; m++) {
      const name = AWKWARD[m]!;
      if (name === "constructor" || name === "__proto__") continue;
      expect(values[m]![2]).toBeNaN();
    }
  });

  it("gives the same output where code from strings is forbidden (the loop by name)", () => {
    const args = ["sim", "-g", "300", "-r", "300", "--quantiles", "0.1,0.9", "--format", "csv", "--jobs", "2"];
    const plain = collapse(args);
    const forbidden = collapse(args, { env: { NODE_OPTIONS: "--disallow-code-generation-from-strings" } });
    expect(plain.status).toBe(0);
    expect(forbidden.status).toBe(0);
    expect(forbidden.stdout).toBe(plain.stdout);
    expect(plain.stdout.split("\n").length).toBeGreaterThan(300 * 14);
  });
});
