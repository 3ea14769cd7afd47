/** Tolerances and the comparison of a re-run with its baseline. */
import { describe, expect, it } from "vitest";
import { compareResults, selectMetrics, severity } from "../../src/check/compare.js";
import { allowedDifference, DEFAULT_TOLERANCE, holds, type Tolerance } from "../../src/check/tolerance.js";
import { UsageError } from "../../src/errors.js";
import { fakeResult } from "./fake.js";

const exact: Tolerance = { mode: "tolerance", z: 4, rtol: 0, atol: 0 };

describe("allowedDifference and holds", () => {
  it("tolerance mode: atol + rtol·|baseline|, inclusive at the edge", () => {
    // Values chosen to be exact in binary floating point, so the edge is the edge.
    const t: Tolerance = { mode: "tolerance", z: 4, rtol: 0.25, atol: 0.5 };
    expect(allowedDifference(t, -2, 100, 100)).toBe(1); // 0.5 + 0.25·2; the standard errors do not count
    expect(holds(-2, -1, 1)).toBe(true);
    expect(holds(-2, -3, 1)).toBe(true);
    expect(holds(-2, -0.9990234375, 1)).toBe(false); // 2^-10 beyond the edge
  });

  it("statistical mode: z·√(se_now² + se_base²) plus the floor", () => {
    const t: Tolerance = { mode: "statistical", z: 2, rtol: 0, atol: 0 };
    expect(allowedDifference(t, 7, 3, 4)).toBe(10); // 2·√(9 + 16)
    expect(allowedDifference({ ...t, atol: 0.5, rtol: 0.5 }, -2, 3, 4)).toBe(11.5);
    // No replicate spread (generation 0): only the floor remains.
    expect(allowedDifference(DEFAULT_TOLERANCE, 1, 0, 0)).toBeCloseTo(1e-9 + 1e-12, 20);
    // A non-finite standard error (NaN from JSON null) does not widen the allowance.
    expect(allowedDifference(t, 0, NaN, 4)).toBe(8);
  });

  it("NaN equals NaN and an infinity itself; otherwise non-finite values regress", () => {
    expect(holds(NaN, NaN, 0)).toBe(true);
    expect(holds(NaN, 1, 1e300)).toBe(false);
    expect(holds(1, NaN, 1e300)).toBe(false);
    expect(holds(Infinity, Infinity, 0)).toBe(true);
    expect(holds(Infinity, -Infinity, 1e300)).toBe(false);
    expect(holds(1, Infinity, 1e300)).toBe(false);
  });

  // A baseline is JSON, which writes NaN, Infinity and −Infinity alike as null, read back as NaN: a
  // variance that collapsed to 0 has log_var_ratio −∞ and kl ∞ in the re-run and null in the file.
  it("a baseline's NaN (JSON's null) holds against a re-run's NaN or ±∞, and against nothing finite", () => {
    expect(holds(NaN, -Infinity, 0)).toBe(true);
    expect(holds(NaN, Infinity, 0)).toBe(true);
    expect(holds(NaN, 0, 1e300)).toBe(false);
    expect(holds(-Infinity, NaN, 1e300)).toBe(false); // an infinity itself, in a baseline made in memory
  });
});

describe("compareResults", () => {
  const base = fakeResult({ a: [1, 2, 3], b: [0, 0, 0] }, { a: [0, 3, 3], b: [0, 1, 1] });

  it("an identical run holds everywhere, even with zero tolerance", () => {
    const c = compareResults(base, base, exact, ["a", "b"]);
    expect(c.failures).toEqual([]);
    expect(c.compared).toBe(6);
    expect(c.generations).toBe(3);
    expect(c.metrics.map((m) => m.metric)).toEqual(["a", "b"]);
  });

  it("statistical edge: a difference of exactly z·SE holds, a hair more fails, naming generation and metric", () => {
    // se_base = 3 and se_now = 4 at generations 1 and 2, so with z = 2 allowed = 2·√(9 + 16) = 10, exactly.
    const t: Tolerance = { mode: "statistical", z: 2, rtol: 0, atol: 0 };
    const allowed = 10;
    const now = fakeResult({ a: [1, 2 + allowed, 3 + allowed + 1e-9], b: [0, 0, 0] }, { a: [0, 4, 4], b: [0, 1, 1] });
    const c = compareResults(base, now, t, ["a", "b"]);
    expect(c.failures.map((f) => [f.generation, f.metric])).toEqual([[2, "a"]]);
    const row = c.failures[0]!;
    expect(row.baseline).toBe(3);
    expect(row.allowed).toBe(allowed);
    expect(row.diff).toBeCloseTo(allowed + 1e-9, 12);
    expect(c.metrics[0]!.rows[1]!).toMatchObject({ diff: 10, allowed: 10, ok: true });
    expect(c.metrics[0]!.failures).toHaveLength(1);
    expect(c.metrics[0]!.worst.generation).toBe(2);
  });

  it("failures are ordered by generation, then metric order", () => {
    const now = fakeResult({ a: [1, 5, 9], b: [9, 0, 9] }, { a: [0, 0, 0], b: [0, 0, 0] });
    const c = compareResults(base, now, exact, ["a", "b"]);
    expect(c.failures.map((f) => `${f.generation}:${f.metric}`)).toEqual(["0:b", "1:a", "2:a", "2:b"]);
  });

  it("--metrics restricts the comparison; a metric missing from the re-run regresses", () => {
    const now = fakeResult({ a: [1, 2, 3], c: [1, 1, 1] });
    expect(compareResults(base, now, exact, ["a"]).failures).toEqual([]);
    const c = compareResults(base, now, exact, ["a", "b"]);
    expect(c.failures.map((f) => [f.metric, f.missing])).toEqual([
      ["b", true],
      ["b", true],
      ["b", true],
    ]);
    expect(c.newMetrics).toEqual(["c"]);
  });

  it("selectMetrics: all by default, a checked comma list otherwise", () => {
    expect(selectMetrics(base, undefined)).toEqual(["a", "b"]);
    expect(selectMetrics(base, " b , a,b")).toEqual(["a", "b"]);
    expect(() => selectMetrics(base, "a,zz")).toThrow(UsageError);
    expect(() => selectMetrics(base, "a,zz")).toThrow(/unknown metric zz; the baseline has a, b/);
    expect(() => selectMetrics(base, ",")).toThrow(/at least one metric/);
  });

  it("a verdict's counts, failures and worst row are those of its rows, made only when read", () => {
    const now = fakeResult({ a: [1, 2.5, 9], b: [0, 0, 0] }, { a: [0, 3, 3], b: [0, 1, 1] });
    for (const [c, same] of [
      [compareResults(base, base, DEFAULT_TOLERANCE, ["a", "b"]), true],
      [compareResults(base, now, DEFAULT_TOLERANCE, ["a", "b"]), false],
      [compareResults(base, fakeResult({ a: [1, 2, 3] }), DEFAULT_TOLERANCE, ["a", "b"]), false],
      // A NaN (a baseline's null) against a NaN is no difference.
      [compareResults(fakeResult({ a: [NaN, 2, 3] }), fakeResult({ a: [NaN, 2, 3] }), DEFAULT_TOLERANCE, ["a"]), true],
    ] as const) {
      for (const m of c.metrics) {
        expect(m.compared).toBe(m.rows.length);
        expect(m.failures).toEqual(m.rows.filter((r) => !r.ok));
        expect(m.worst).toEqual(m.rows.reduce((w, r) => (severity(r) > severity(w) ? r : w)));
        expect(m.identical).toBe(m.rows.every((r) => r.diff === 0 || (Number.isNaN(r.baseline) && Number.isNaN(r.now))));
        expect(Object.keys(m.rows[0]!)).toEqual(["generation", "metric", "baseline", "now", "diff", "allowed", "ok", "missing"]);
        expect(m.rows).toBe(m.rows); // made once
      }
      expect(c.metrics.every((m) => m.identical)).toBe(same);
    }
  });

  it("severity ranks failures above every success", () => {
    const rows = compareResults(base, fakeResult({ a: [1, 2.5, 3], b: [0, 0, 0] }, { a: [0, 3, 3], b: [0, 1, 1] }), DEFAULT_TOLERANCE, ["a"]).metrics[0]!.rows;
    expect(severity(rows[0]!)).toBe(0);
    expect(severity(rows[1]!)).toBeGreaterThan(0);
    expect(severity(rows[1]!)).toBeLessThan(1);
  });
});
