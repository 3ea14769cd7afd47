/**
 * sweep --common-seed: every point runs with the master seed itself, so all points share the seed
 * data and the replicate streams (common random numbers).
 */
import { describe, expect, it } from "vitest";
import { parseGridFlag } from "../../src/sweep/grid.js";
import { planSweep } from "../../src/sweep/plan.js";
import { cli } from "../cli/in-process.js";
import { flags } from "../helpers.js";
import { simulate } from "../run.js";

const axes = [parseGridFlag("regime=replace,accumulate"), parseGridFlag("sample-size=20,50")];
const given = flags({ generations: 3, replicates: 30, seed: "crn" });

describe("--common-seed", () => {
  it("gives every point the master seed, and records commonSeed in the sweep's config and hash", () => {
    const plan = planSweep(given, axes, undefined, { commonSeed: true });
    expect(plan.points.map((p) => p.config.seed)).toEqual(["crn", "crn", "crn", "crn"]);
    expect(plan.config.commonSeed).toBe(true);
    const usual = planSweep(given, axes);
    expect(new Set(usual.points.map((p) => p.config.seed)).size).toBe(4);
    expect("commonSeed" in usual.config).toBe(false);
    expect(usual.hash).not.toBe(plan.hash);
  });

  it("shares the seed data: every point starts from the same generation 0", () => {
    const plan = planSweep(given, axes, undefined, { commonSeed: true });
    const gen0 = plan.points.map((p) => JSON.stringify(simulate(p.config).result.generations[0]!.metrics.std));
    expect(new Set(gen0).size).toBe(1);
  });

  it("shares the replicate streams: replace and accumulate at the same M draw generation 1 alike", () => {
    // At generation 1 both regimes sample M values from the same θ0 on the same stream; they differ
    // only in what they train on (accumulate adds the seed data), so the mean drift of the first
    // generation is correlated across the two points — with independent seeds it is not.
    const [replace, accumulate] = planSweep(given, [parseGridFlag("regime=replace,accumulate")], undefined, { commonSeed: true }).points.map(
      (p) => simulate(p.config).result.generations[1]!.metrics.mean!.mean,
    );
    const [r2, a2] = planSweep(given, [parseGridFlag("regime=replace,accumulate")]).points.map(
      (p) => simulate(p.config).result.generations[1]!.metrics.mean!.mean,
    );
    // Common numbers: the accumulate mean is the replace mean shrunk towards the seed mean, exactly.
    const n0 = 100;
    const m = 100;
    const seedMean = simulate(planSweep(given, [parseGridFlag("regime=replace")], undefined, { commonSeed: true }).points[0]!.config).result.generations[0]!
      .metrics.mean!.mean;
    expect(accumulate!).toBeCloseTo((n0 * seedMean + m * replace!) / (n0 + m), 12);
    expect(a2!).not.toBeCloseTo((n0 * seedMean + m * r2!) / (n0 + m), 6);
  });

  it("is a flag of collapse sweep and a commonSeed key of its --config", async () => {
    const r = await cli(["sweep", "--grid", "regime=replace,accumulate", "-g", "1", "-r", "2", "--common-seed", "--format", "json", "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).config.commonSeed).toBe(true);
  });
});
