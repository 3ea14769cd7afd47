/**
 * Sweep plots: --color AXIS colours the lines by one grid axis, --facet AXIS gives each of another
 * axis's values panels of its own (a row per metric, a column per value, one y range per row), and
 * every series keeps its band. Without them, one colour per combination, as before.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { loadPlotInput } from "../../src/plot/load.js";
import { buildPlotSpec, type PlotOptions } from "../../src/plot/spec.js";
import { HOOK_TIMEOUT, PLOT_DEFAULTS, plotSvg, simDoc, sweepDoc } from "./documents.js";

let sweep = "";
let oneAxis = "";

beforeAll(() => {
  const base = { generations: 6, replicates: 12, theory: true };
  sweep = sweepDoc(base, { sampleSize: [10, 40], regime: ["replace", "accumulate", "mix"] });
  oneAxis = sweepDoc(base, { sampleSize: [10, 20, 40, 80] });
}, HOOK_TIMEOUT);

/** The accessible labels of the marks in each panel, in panel order. */
function panelMarks(svg: string): string[][] {
  return svg
    .split(/class="mark-group role-scope concat_\d+_group"/)
    .slice(1)
    .map((part) => [...part.matchAll(/<path [^>]*aria-label="([^"]*)"/g)].map((m) => m[1]!));
}

/** The panel titles, in order. */
function panelTitles(svg: string): string[] {
  return [...svg.matchAll(/role-title-text[^>]*><text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!).slice(0, -1);
}

/** The legend's entries. */
function legendLabels(svg: string): string[] {
  return [...svg.matchAll(/role-legend-label[^>]*><text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

const spec = (text: string, options: Partial<PlotOptions>) => buildPlotSpec(loadPlotInput({ name: "sweep.json", text }), { ...PLOT_DEFAULTS, ...options });

describe("--facet", () => {
  it("a row per metric, a column per value: each panel draws that value's series, each with its band", async () => {
    const { svg, plot } = await plotSvg("sweep.json", sweep, { facet: "regime", metrics: ["var_ratio", "kl"] });
    expect(plot.columns).toBe(3);
    expect(plot.rows).toBe(2);
    expect(panelTitles(svg)).toEqual([
      "var_ratio · regime=replace",
      "var_ratio · regime=accumulate",
      "var_ratio · regime=mix",
      "kl · regime=replace",
      "kl · regime=accumulate",
      "kl · regime=mix",
    ]);
    const panels = panelMarks(svg);
    expect(panels).toHaveLength(6);
    panels.forEach((marks, i) => {
      const metric = i < 3 ? "var_ratio" : "kl";
      const regime = ["replace", "accumulate", "mix"][i % 3];
      for (const m of [10, 40]) {
        const of = `(sampleSize=${m}, regime=${regime})`;
        expect(marks).toContain(`${metric} median ${of}`);
        // Six series in all would hide the bands; two a panel keep them.
        expect(marks).toContain(`${metric} band 2.5%–97.5% ${of}`);
      }
      expect(marks.every((l) => l.includes(`regime=${regime})`))).toBe(true);
    });
    // The remaining axis colours the lines.
    expect(legendLabels(svg)).toEqual(expect.arrayContaining(["10", "40"]));
    expect(svg).toMatch(/<text[^>]*>sampleSize<\/text>/);
  });

  it("a metric's panels share one y range, so heights compare across them", () => {
    const plot = spec(sweep, { facet: "regime", metrics: ["var_ratio", "kl"] });
    const panels = (plot.spec as unknown as { concat: { layer: { encoding?: { y?: { scale?: { domain?: number[] } } } }[] }[] }).concat;
    const domain = (i: number) => panels[i]!.layer[0]!.encoding!.y!.scale!.domain;
    expect(domain(0)).toBeDefined();
    expect(domain(1)).toEqual(domain(0));
    expect(domain(2)).toEqual(domain(0));
    expect(domain(3)).toEqual(domain(5));
    expect(domain(3)).not.toEqual(domain(0));
  });

  it("takes the axis as a flag (sample-size) or as a key (sampleSize); a one-axis sweep gets one series a panel, in the single-run colours", async () => {
    const { svg, plot } = await plotSvg("one.json", oneAxis, { facet: "sample-size", metrics: ["var_ratio"] });
    expect(plot.columns).toBe(4);
    expect(panelTitles(svg)).toEqual(["var_ratio · sampleSize=10", "var_ratio · sampleSize=20", "var_ratio · sampleSize=40", "var_ratio · sampleSize=80"]);
    for (const marks of panelMarks(svg)) {
      expect(marks.filter((l) => l.startsWith("var_ratio median"))).toHaveLength(1);
      expect(marks.filter((l) => l.startsWith("var_ratio band"))).toHaveLength(1);
    }
    expect(legendLabels(svg)).toEqual(["median", "replicate mean", "theory (expectation)"]);
  });
});

describe("--color", () => {
  it("colours by one axis; lines of one colour that differ in another axis are noted", async () => {
    const { svg, plot } = await plotSvg("sweep.json", sweep, { color: "regime", metrics: ["var_ratio"], band: false });
    expect(legendLabels(svg).slice(0, 3)).toEqual(["replace", "accumulate", "mix"]);
    expect(svg).toMatch(/<text[^>]*>regime<\/text>/);
    // Still one line per series.
    expect(panelMarks(svg)[0]!.filter((l) => l.startsWith("var_ratio median"))).toHaveLength(6);
    expect(plot.notes).toEqual(["lines of one colour differ in sampleSize; --facet sampleSize draws them in panels of their own"]);
    expect(spec(sweep, { color: "regime", facet: "sampleSize" }).notes).toEqual([]);
  });

  it("with --facet: colours by the one, panels by the other", async () => {
    const { svg } = await plotSvg("sweep.json", sweep, { color: "sampleSize", facet: "regime", metrics: ["kl"] });
    expect(legendLabels(svg).slice(0, 2)).toEqual(["10", "40"]);
    expect(panelTitles(svg)).toHaveLength(3);
  });

  it("without either: one colour per combination, bands hidden beyond three series (as before)", async () => {
    const { svg } = await plotSvg("sweep.json", sweep, { metrics: ["var_ratio"] });
    expect(legendLabels(svg).slice(0, 6)).toEqual([
      "sampleSize=10, regime=replace",
      "sampleSize=10, regime=accumulate",
      "sampleSize=10, regime=mix",
      "sampleSize=40, regime=replace",
      "sampleSize=40, regime=accumulate",
      "sampleSize=40, regime=mix",
    ]);
    expect(panelMarks(svg)[0]!.some((l) => l.includes("band"))).toBe(false);
  });
});

describe("bad axes", () => {
  it("an axis the sweep does not vary, a single run, the same axis twice: one usage error each", () => {
    expect(() => spec(sweep, { facet: "seed" })).toThrow(UsageError);
    expect(() => spec(sweep, { facet: "seed" })).toThrow(/^--facet seed: no such grid axis in sweep\.json; it varies sampleSize, regime$/);
    expect(() => spec(simDoc({ generations: 3, replicates: 5 }), { color: "regime" })).toThrow(
      /^--color regime: sweep\.json is a single run; --color chooses an axis of a sweep's grid$/,
    );
    expect(() => spec(sweep, { color: "regime", facet: "regime" })).toThrow(/^--color and --facet both name regime; choose two different grid axes/);
  });
});
