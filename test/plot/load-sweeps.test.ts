/**
 * `collapse plot` reads a sweep in every form it is written: whole or merged, and one shard of it,
 * in CSV, NDJSON and JSON, from a file or from stdin; a shard gives the series of its own points.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SimResult } from "../../src/core/result.js";
import { loadPlotInput, type PlotInput } from "../../src/plot/load.js";
import { renderPointBody, SWEEP_FORMATS, type SweepFormat, SweepFramer } from "../../src/sweep/render.js";
import { TOOL } from "../../src/version.js";
import { inputError } from "../expect-error.js";
import { HOOK_TIMEOUT, simResult } from "./documents.js";

const SIZES = [10, 20, 30];
let results: SimResult[] = [];

beforeAll(() => {
  results = SIZES.map((sampleSize) => simResult({ generations: 4, replicates: 8, sampleSize }));
}, HOOK_TIMEOUT);

/** A sweep over sampleSize as `collapse sweep` writes it: whole, or shard i of n. */
function sweepText(format: SweepFormat, shard: { index: number; count: number } | null): string {
  const head = { tool: { ...TOOL }, config: results[0]!.config, seed: "1", grid: ["sampleSize"] };
  const framer = new SweepFramer(format, head, shard ? { ...shard, points: SIZES.length, hash: "0123456789abcdef" } : null);
  let text = framer.opening();
  SIZES.forEach((sampleSize, p) => {
    if (shard && p % shard.count !== shard.index - 1) return;
    text += framer.point(p, renderPointBody(format, { sampleSize }, results[p]!));
  });
  return text + framer.closing();
}

/** What a plot draws from an input: each series' parameters and its medians per metric and generation. */
function drawn(input: PlotInput) {
  return input.series.map((s) => ({
    params: s.params,
    medians: s.generations.map((g) => Object.fromEntries(Object.entries(g.metrics).map(([k, v]) => [k, v.median]))),
  }));
}

describe("plot reads sweeps whole, merged and sharded", () => {
  it.each(SWEEP_FORMATS)("%s: the whole sweep gives one series per point; shard 1/2 gives points 0 and 2", (format) => {
    const whole = drawn(loadPlotInput({ name: `sweep.${format}`, text: sweepText(format, null) }));
    expect(whole.map((s) => s.params)).toEqual(SIZES.map((sampleSize) => ({ sampleSize })));
    const shard = sweepText(format, { index: 1, count: 2 });
    expect(shard).toMatch(format === "json" ? /"shard": \{/ : /^# collapse-sweep /);
    for (const name of [`part-1.${format}`, "stdin"]) {
      expect(drawn(loadPlotInput({ name, text: shard })), name).toEqual([whole[0], whole[2]]);
    }
    expect(drawn(loadPlotInput({ name: "stdin", text: sweepText(format, null) }))).toEqual(whole);
  });

  it("the tidy forms carry the same numbers as the JSON document", () => {
    const json = drawn(loadPlotInput({ name: "s.json", text: sweepText("json", null) }));
    // JSON writes what CSV and NDJSON write, less NaN (null there): compare where both have numbers.
    for (const format of ["csv", "ndjson"] as const) {
      const rows = drawn(loadPlotInput({ name: `s.${format}`, text: sweepText(format, null) }));
      expect(rows.map((s) => s.params)).toEqual(json.map((s) => s.params));
      expect(JSON.stringify(rows)).toBe(JSON.stringify(json));
    }
  });

  it("an error in a shard's rows names the file's own line, # lines counted", () => {
    const shard = sweepText("ndjson", { index: 2, count: 2 }).split("\n");
    // Line 5: after the shard line, the point line and two rows.
    shard[4] = shard[4]!.replace(/"median":[^,]*/, '"median":"x"');
    expect(inputError(() => loadPlotInput({ name: "part-2.ndjson", text: shard.join("\n") }))).toMatch(
      /^part-2\.ndjson:5: "x" in column median is not a number/,
    );
  });
});
