/**
 * The terminal chart under the table: width limits, panels vs sparklines, where the median line
 * lands, colour only when asked. Results are built by hand so that the expected shapes are known.
 */
import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/config.js";
import type { Summary } from "../../src/core/aggregate.js";
import type { SimResult } from "../../src/core/result.js";
import { MIN_CHART_WIDTH, renderChart, sparkline } from "../../src/output/chart.js";
import { renderTable } from "../../src/output/table.js";

const ESC = "\u001b[";
const ANSI = /\u001b\[[0-9;]*m/g;
const BRAILLE = /[\u2801-\u28ff]/;
const BLOCKS = /[▁▂▃▄▅▆▇█]/;

function summary(median: number, lo = median, hi = median): Summary {
  return { mean: median, sd: 0, se: 0, median, p025: lo, p975: hi };
}

/**
 * A result with G+1 generations: var_ratio falls linearly from 1 to `last` (band ±0.2 after
 * generation 0), mean_drift rises from 0 to 0.5, kl rises from 0 to 1.
 */
function fakeResult(G: number, last = 0.5): SimResult {
  const generations = Array.from({ length: G + 1 }, (_, g) => {
    const t = G === 0 ? 0 : g / G;
    const v = 1 + (last - 1) * t;
    const band = g === 0 ? 0 : 0.2;
    return {
      generation: g,
      metrics: { var_ratio: summary(v, v - band, v + band), mean_drift: summary(0.5 * t, 0.5 * t - band, 0.5 * t + band), kl: summary(t, 0, 2 * t) },
    };
  });
  const config = {
    model: "gaussian",
    data: null,
    column: null,
    source: "normal(0,1)",
    seedSize: 100,
    generations: G,
    sampleSize: 100,
    replicates: 50,
    seed: "1",
    estimator: "mle",
    regime: "replace",
    realFraction: 0,
    filterRecall: 0,
    temperature: 1,
    topK: 0,
    topP: 1,
    truncate: null,
    tokens: "word",
    order: 2,
    holdout: 0.1,
    smoothing: 0,
    components: 2,
    dims: 2,
    tailK: [2, 3],
    tailFraction: 0.1,
    quantiles: [],
    theory: false,
  } as unknown as ResolvedConfig;
  return { tool: { name: "collapse", version: "0.0.0" }, config, seed: "1", generations };
}

const plain = (lines: string[]) => lines.map((l) => l.replace(ANSI, ""));

describe("renderChart: fits the width it is given", () => {
  for (const width of [40, 60, 80, 120, 200]) {
    for (const color of [false, true]) {
      it(`every line ≤ ${width} columns (colour ${color ? "on" : "off"}), for 5, 30 and 500 generations`, () => {
        for (const G of [5, 30, 500]) {
          const lines = plain(renderChart(fakeResult(G), { width, color }));
          expect(lines.length).toBeGreaterThan(1);
          for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
        }
      });
    }
  }

  it("draws braille panels side by side: one at 60 columns, two at 80, three at 120", () => {
    const titles = (width: number) => {
      const first = plain(renderChart(fakeResult(20), { width, color: false }))[1]!;
      return ["var_ratio", "mean_drift", "kl"].filter((n) => first.includes(n));
    };
    expect(titles(60)).toEqual(["var_ratio"]);
    expect(titles(80)).toEqual(["var_ratio", "mean_drift"]);
    expect(titles(120)).toEqual(["var_ratio", "mean_drift", "kl"]);
  });

  it("uses wider panels on wider terminals", () => {
    const rowLength = (width: number) => Math.max(...plain(renderChart(fakeResult(20), { width, color: false })).map((l) => l.length));
    expect(rowLength(120)).toBeGreaterThan(rowLength(80));
    expect(rowLength(200)).toBeGreaterThan(rowLength(120));
  });

  it(`gives one sparkline per metric below ${MIN_CHART_WIDTH} columns`, () => {
    const lines = plain(renderChart(fakeResult(20), { width: MIN_CHART_WIDTH - 1, color: false })).filter((l) => l !== "");
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(["var_ratio", "mean_drift", "kl"]);
    for (const l of lines) {
      expect(l).toMatch(BLOCKS);
      expect(l).not.toMatch(BRAILLE);
    }
    // Falling var_ratio: its sparkline starts at the top block and ends at the bottom one.
    expect(lines[0]).toMatch(/█[▁▂▃▄▅▆▇█]*▁/);
    expect(lines[0]).toContain("1 → 0.500");
  });

  it("prefers sparklines when there are fewer than three generations, and draws nothing for generation 0 alone", () => {
    expect(plain(renderChart(fakeResult(2), { width: 120, color: false })).join("\n")).not.toMatch(BRAILLE);
    expect(renderChart(fakeResult(0), { width: 120, color: false })).toEqual([]);
  });
});

describe("renderChart: the picture", () => {
  it("puts a falling median's first dot in the top rows at the left and its last in the bottom rows at the right", () => {
    // var_ratio falls from 1 to 0 with a zero-width band, so the plotted range is exactly [0, 1].
    const r = fakeResult(10, 0);
    for (const g of r.generations) g.metrics.var_ratio = summary(g.metrics.var_ratio!.median);
    const lines = plain(renderChart(r, { width: 60, color: false }));
    const rows = lines.filter((l) => /[┤│]/.test(l)).map((l) => l.slice(l.search(/[┤│]/) + 1));
    expect(rows).toHaveLength(8);
    const marked = (row: string) => [...row].map((ch, i) => (ch !== "\u2800" && ch !== " " ? i : -1)).filter((i) => i >= 0);
    expect(marked(rows[0]!)[0]).toBe(0);
    expect(Math.max(...marked(rows[7]!))).toBe(rows[7]!.length - 1);
    // A straight line crosses every row.
    for (const row of rows) expect(marked(row).length).toBeGreaterThan(0);
  });

  it("labels the rows with values inside the plotted range, highest at the top", () => {
    const lines = plain(renderChart(fakeResult(10), { width: 60, color: false }));
    const labels = lines.filter((l) => l.includes("┤")).map((l) => Number(l.slice(0, l.indexOf("┤")).trim()));
    expect(labels).toHaveLength(3);
    expect(labels[0]!).toBeGreaterThan(labels[1]!);
    expect(labels[1]!).toBeGreaterThan(labels[2]!);
    // The fake's values span [0.3, 1.2] (var_ratio 1 → 0.5, band ±0.2 after generation 0).
    expect(labels[0]!).toBeLessThanOrEqual(1.2);
    expect(labels[2]!).toBeGreaterThanOrEqual(0.3);
  });

  it("labels the top and bottom rows with the plotted range itself, not the centres of those rows", () => {
    // var_ratio: medians 1 → 0.5 over 10 generations, band ±0.2 after generation 0, so the band
    // reaches 0.95 + 0.2 = 1.15 at generation 1 and 0.5 − 0.2 = 0.3 at generation 10.
    const lines = plain(renderChart(fakeResult(10), { width: 60, color: false }));
    const labels = lines.filter((l) => l.includes("┤")).map((l) => l.slice(0, l.indexOf("┤")).trim());
    expect(labels[0]).toBe("1.150");
    expect(labels[2]).toBe("0.300");
    // The middle label is the value at the centre of row 4 of 8: dot 17.5 of 0…31.
    expect(labels[1]).toBe((1.15 - (17.5 / 31) * 0.85).toFixed(3));
  });

  it("on a log scale too, the ends are the smallest and largest values", () => {
    const r = fakeResult(30);
    r.generations.forEach((g, i) => (g.metrics.var_ratio = summary(10 ** (-i / 6), 10 ** (-i / 6 - 0.5), 10 ** (-i / 6 + 0.25))));
    const lines = plain(renderChart(r, { width: 60, color: false }));
    expect(lines[1]).toContain("log scale");
    const labels = lines.filter((l) => l.includes("┤")).map((l) => l.slice(0, l.indexOf("┤")).trim());
    // Highest: generation 0's upper edge, 10^0.25; lowest: generation 30's lower edge, 10^−5.5.
    expect(labels[0]).toBe((10 ** 0.25).toFixed(3));
    expect(labels[2]).toBe("3.2e-6");
  });

  it("labels a count metric's axis as counts, in one style", () => {
    const r = fakeResult(10);
    r.generations.forEach((g, i) => {
      const v = 9000 + 150.3 * i;
      g.metrics = { vocab: summary(v, v - 100.25, v + 2500.5) };
    });
    const lines = plain(renderChart(r, { width: 60, color: false }));
    const labels = lines.filter((l) => l.includes("┤")).map((l) => l.slice(0, l.indexOf("┤")).trim());
    expect(labels[0]).toBe("13003.5");
    expect(labels[2]).toBe("8899.8");
    for (const l of labels) expect(l).toMatch(/^\d+(\.\d)?$/);
    expect(lines[1]).toContain("9000 → 10503");
  });

  it("switches a metric spanning three decades or more to a log scale", () => {
    const r = fakeResult(30);
    r.generations.forEach((g, i) => (g.metrics.var_ratio = summary(10 ** (-i / 6))));
    expect(plain(renderChart(r, { width: 80, color: false }))[1]).toContain("var_ratio (log scale)");
    expect(plain(renderChart(fakeResult(30), { width: 80, color: false }))[1]).not.toContain("log scale");
  });

  it("skips metrics whose values are all missing", () => {
    const r = fakeResult(10);
    for (const g of r.generations) g.metrics.var_ratio = summary(NaN);
    expect(plain(renderChart(r, { width: 80, color: false }))[1]).toMatch(/^mean_drift/);
  });
});

describe("renderChart: colour", () => {
  it("has no escape codes when colour is off, at any width", () => {
    for (const width of [40, 80, 120]) expect(renderChart(fakeResult(20), { width, color: false }).join("\n")).not.toContain(ESC);
  });

  it("marks a falling metric yellow and a rising one cyan when colour is on", () => {
    const out = renderChart(fakeResult(20), { width: 80, color: true }).join("\n");
    const yellow = "\u001b[33m";
    const cyan = "\u001b[36m";
    // var_ratio falls, mean_drift rises: their median lines take those colours (braille after the code).
    expect(out).toMatch(new RegExp(`${yellow.replace("[", "\\[")}[\\u2801-\\u28ff]`));
    expect(out).toMatch(new RegExp(`${cyan.replace("[", "\\[")}[\\u2801-\\u28ff]`));
    const spark = renderChart(fakeResult(20), { width: 40, color: true }).join("\n");
    expect(spark).toContain(`${yellow}█`);
  });
});

describe("sparkline", () => {
  it("scales the smallest value to ▁ and the largest to █, and keeps the order", () => {
    expect(sparkline(Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]), 8)).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline(Float64Array.from([7, 6, 5, 4, 3, 2, 1, 0]), 8)).toBe("█▇▆▅▄▃▂▁");
  });

  it("samples evenly when there are more values than characters, and keeps both ends", () => {
    const values = Float64Array.from({ length: 101 }, (_, i) => i);
    const s = sparkline(values, 11);
    expect(s).toHaveLength(11);
    expect(s[0]).toBe("▁");
    expect(s[10]).toBe("█");
  });

  it("prints missing values as blanks and a constant series at mid height", () => {
    expect(sparkline(Float64Array.from([0, NaN, 1]), 3)).toBe("▁ █");
    expect(sparkline(Float64Array.from([2, 2, 2]), 3)).toBe("▅▅▅");
  });
});

describe("renderTable ends with the chart", () => {
  it("keeps the table on top and adds the chart after its footer, within the width", () => {
    const out = renderTable(fakeResult(12), { color: false, width: 80, showSamples: false });
    const lines = out.trimEnd().split("\n");
    const footer = lines.findIndex((l) => l.startsWith("median [2.5%, 97.5%]"));
    const header = lines.findIndex((l) => /^gen\s+var_ratio/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(footer).toBe(header + 14);
    expect(lines.slice(0, footer).join("\n")).not.toMatch(BRAILLE);
    expect(lines.slice(footer + 1).join("\n")).toMatch(BRAILLE);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  });
});
