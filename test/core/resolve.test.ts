import { describe, expect, it } from "vitest";
import { type RawOption, resolveSimConfig } from "../../src/config/resolve.js";
import { UsageError } from "../../src/errors.js";
import { flags } from "../helpers.js";

function usageMessage(o: Record<string, unknown>): string {
  try {
    resolveSimConfig(flags(o));
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("resolveSimConfig", () => {
  it("fills every default", () => {
    const c = resolveSimConfig(flags({}));
    expect(c).toMatchObject({
      model: "gaussian",
      generations: 9,
      replicates: 200,
      seedSize: 100,
      seed: "1",
      estimator: "mle",
      regime: "replace",
      tailK: [2, 3],
    });
    expect(c.sampleSize).toBeNull();
  });

  it("parses numbers from flag strings and checks integer-ness and ranges", () => {
    expect(resolveSimConfig(flags({ generations: "12", sampleSize: "1e3" }))).toMatchObject({ generations: 12, sampleSize: 1000 });
    expect(usageMessage({ generations: "2.5" })).toMatch(/--generations must be a whole number/);
    expect(usageMessage({ generations: "-1" })).toMatch(/--generations must be a whole number >= 0/);
    expect(usageMessage({ sampleSize: "1" })).toMatch(/--sample-size .* >= 2/);
    expect(usageMessage({ sampleSize: "1e12" })).toMatch(/<= 100000000/);
    expect(usageMessage({ replicates: "abc" })).toMatch(/--replicates expects a number, got "abc"/);
    expect(usageMessage({ replicates: "NaN" })).toMatch(/expects a number/);
    expect(usageMessage({ tailK: "2,x" })).toMatch(/--tail-k expects a number/);
  });

  it("normalises lists so that equal meanings give equal configs", () => {
    expect(resolveSimConfig(flags({ tailK: "3, 2,3" })).tailK).toEqual([2, 3]);
  });

  it("rejects conflicting or inapplicable options, naming both", () => {
    expect(usageMessage({ data: "x.csv", source: "normal(0,1)" })).toMatch(/--data and --source/);
    expect(usageMessage({ topK: "5" })).toMatch(/--top-k does not apply to --model gaussian/);
    expect(usageMessage({ realFraction: "0.2" })).toMatch(/--real-fraction applies to --regime mix or fresh/);
    expect(usageMessage({ filterRecall: "1" })).toMatch(/trains on nothing/);
    expect(usageMessage({ column: "x" })).toMatch(/--column needs --data/);
    expect(usageMessage({ data: "x.csv", seedSize: "10" })).toMatch(/--seed-size applies to --source/);
  });

  it("names the config file and key for config-file values, and rejects unknown keys", () => {
    const raw = new Map<string, RawOption>([["generations", { value: "many", origin: { kind: "config", file: "c.json" } }]]);
    expect(() => resolveSimConfig(raw)).toThrow(/c\.json: "generations" expects a number/);
    const typo = new Map<string, RawOption>([["generatons", { value: 3, origin: { kind: "config", file: "c.json" } }]]);
    expect(() => resolveSimConfig(typo)).toThrow(/c\.json: unknown option "generatons"/);
  });
});
