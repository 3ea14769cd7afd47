/**
 * Messages for names from closed sets: every option value, option name (flag, --config key,
 * --grid axis) and metric name a user can mistype gets the closest valid name; commander's own
 * messages read like ours.
 */
import { describe, expect, it } from "vitest";
import { compareResults, selectMetrics } from "../../src/check/compare.js";
import { commanderMessage } from "../../src/cli/main.js";
import { type RawOption, resolveSimConfig } from "../../src/config/resolve.js";
import { UsageError } from "../../src/errors.js";
import { closest, editDistance } from "../../src/suggest.js";
import { gridOption, parseGridConfig } from "../../src/sweep/grid.js";
import { messageOf } from "../expect-error.js";
import { flags } from "../helpers.js";
import { simulate } from "../run.js";
import { cli } from "./in-process.js";

const config = (o: Record<string, unknown>) =>
  new Map<string, RawOption>(Object.entries(o).map(([k, v]) => [k, { value: v, origin: { kind: "config", file: "run.json" } }]));

describe("closest: one rule for every suggestion", () => {
  it("counts insertions, deletions, substitutions and swaps of neighbours as one edit each", () => {
    expect(editDistance("var_ratio", "var_ratio")).toBe(0);
    expect(editDistance("var_ratoi", "var_ratio")).toBe(1);
    expect(editDistance("gausian", "gaussian")).toBe(1);
    expect(editDistance("kl", "w2")).toBe(2);
  });

  it("suggests only plausible typos: at most two edits and fewer than half the name", () => {
    expect(closest("acumulate", ["replace", "accumulate", "mix", "fresh"])).toBe("accumulate");
    expect(closest("MIX", ["replace", "accumulate", "mix", "fresh"])).toBe("mix");
    expect(closest("xx", ["mix", "kl"])).toBeUndefined();
    expect(closest("banana", ["replace", "accumulate", "mix", "fresh"])).toBeUndefined();
  });
});

describe("did you mean", () => {
  it("for option values, from the command line (commander's message, reworded)", async () => {
    expect(commanderMessage("error: option '--model <M>' argument 'gausian' is invalid. Allowed choices are gaussian, mvn, gmm, categorical, ngram.")).toBe(
      '--model must be one of gaussian, mvn, gmm, categorical, ngram, got "gausian" (did you mean gaussian?)',
    );
    const r = await cli(["sim", "--regime", "acumulate"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'collapse: --regime must be one of replace, accumulate, accumulate-subsample, mix, fresh, got "acumulate" (did you mean accumulate?); see --help\n',
    );
  });

  it("loses commander's doubled punctuation and capital", async () => {
    expect(commanderMessage("error: unknown option '--sampl-size'\n(Did you mean --sample-size?)")).toBe(
      "unknown option '--sampl-size'\n(did you mean --sample-size?)",
    );
    expect(commanderMessage("error: missing required argument 'baseline'.")).toBe("missing required argument 'baseline'");
    const r = await cli(["check"]);
    expect(r.stderr).not.toMatch(/\.;/);
  });

  it("for option values and keys of --config files, which also accept the flag spelling", () => {
    expect(messageOf(() => resolveSimConfig(config({ model: "gausian" })))).toBe(
      'run.json: "model" must be one of gaussian, mvn, gmm, categorical, ngram, kde, linreg, got "gausian" (did you mean gaussian?)',
    );
    expect(messageOf(() => resolveSimConfig(config({ sampel_size: 3 })))).toBe(
      'run.json: unknown option "sampel_size" (did you mean "sampleSize"?); see collapse sim --help for the list',
    );
    expect(resolveSimConfig(config({ "sample-size": 30, "filter-recall": 0.5 }))).toMatchObject({ sampleSize: 30, filterRecall: 0.5 });
    expect(messageOf(() => resolveSimConfig(config({ "sample-size": 30, sampleSize: 40 })))).toMatch(/"sampleSize" is given twice/);
  });

  it("for --grid axes, from flags and config files", () => {
    expect(messageOf(() => gridOption("sampl-size", { kind: "grid" }))).toMatch(
      /^--grid sampl-size: unknown option "sampl-size" \(did you mean sample-size\?\); a grid varies one of /,
    );
    expect(messageOf(() => parseGridConfig({ sampleSise: [1, 2] }, "sweep.json"))).toMatch(/\(did you mean sample-size\?\)/);
  });

  it("for metric names in check --metrics and --assert", async () => {
    const result = simulate(resolveSimConfig(flags({ generations: 1, replicates: 2 }))).result;
    expect(messageOf(() => selectMetrics(result, "var_ratoi"))).toMatch(/^--metrics: unknown metric var_ratoi \(did you mean var_ratio\?\); the baseline has /);
    expect(compareResults(result, result, { mode: "tolerance", z: 4, rtol: 0, atol: 0 }, ["var_ratio"]).failures).toEqual([]);
    const r = await cli(["sim", "-g", "1", "-r", "2", "--assert", "klx[1] < 1"]);
    expect(r.stderr).toMatch(/unknown metric klx \(did you mean kl\?\)/);
  });

  it("for plot --metrics", async () => {
    const r = await cli(["plot", "-", "--metrics", "var_ration"], { input: (await cli(["sim", "-g", "1", "-r", "2", "--format", "json"])).stdout });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--metrics var_ration: no such metric in .* \(did you mean var_ratio\?\)/);
  });

  it("never for a name that is not close", () => {
    expect(messageOf(() => resolveSimConfig(config({ banana: 1 })))).toBe('run.json: unknown option "banana"; see collapse sim --help for the list');
    expect(() => resolveSimConfig(config({ model: "zebra" }))).toThrow(UsageError);
    expect(messageOf(() => resolveSimConfig(config({ model: "zebra" })))).not.toMatch(/did you mean/);
  });
});

describe("suggestions stay cheap", () => {
  it("skip a name far longer than any known one without measuring it", () => {
    expect(closest("x".repeat(10_000_000), ["gaussian", "mvn"])).toBeUndefined();
    expect(closest(`${"gaussian".repeat(20)}`, ["gaussian"])).toBeUndefined();
  });
});
