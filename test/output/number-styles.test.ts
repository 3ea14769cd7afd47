/**
 * Numbers in the human-facing tables: a column (or a chart axis) keeps one style. Count metrics
 * (support, extinct, vocab, distinct_ngrams, modes) print as whole numbers, or with one decimal
 * where a quantile falls between two counts, never with an exponent; other columns never mix
 * `9855.2` with `1.01e4`.
 */
import { describe, expect, it } from "vitest";
import type { Summary } from "../../src/core/aggregate.js";
import type { SimResult } from "../../src/core/result.js";
import { formatters } from "../../src/output/format.js";
import { columnFormatter, formatCount, formatNumber, isCountMetric } from "../../src/output/numbers.js";
import { cli } from "../cli/in-process.js";

const summary = (median: number, lo = median, hi = median): Summary => ({ mean: median, sd: 0, se: 0, median, p025: lo, p975: hi });

describe("single numbers", () => {
  it("formatNumber: three decimals, one from 100 on, an exponent from 10⁶ on or below 5·10⁻⁴", () => {
    expect(formatNumber(0.7834)).toBe("0.783");
    expect(formatNumber(1)).toBe("1");
    expect(formatNumber(183)).toBe("183");
    expect(formatNumber(9855.23)).toBe("9855.2");
    expect(formatNumber(10123.4)).toBe("10123.4");
    expect(formatNumber(199993)).toBe("199993");
    expect(formatNumber(2.5e6)).toBe("2.50e6");
    expect(formatNumber(1.6e-20)).toBe("1.6e-20");
    expect(formatNumber(Number.NaN)).toBe("NaN");
    expect(formatNumber(-Infinity)).toBe("-inf");
  });

  it("formatCount: whole numbers bare, one decimal otherwise, never an exponent", () => {
    expect(formatCount(31)).toBe("31");
    expect(formatCount(23.475)).toBe("23.5");
    expect(formatCount(9855.2)).toBe("9855.2");
    expect(formatCount(12_345_678)).toBe("12345678");
    expect(formatCount(1_234_567.25)).toBe("1234567.3");
  });

  it("the count metrics are the ones that count things", () => {
    for (const name of ["support", "extinct", "vocab", "distinct_ngrams", "modes"]) expect(isCountMetric(name)).toBe(true);
    for (const name of ["support_ratio", "var_ratio", "perplexity", "tail_support", "distinct_2"]) expect(isCountMetric(name)).toBe(false);
  });
});

describe("columnFormatter", () => {
  it("keeps a column below 10⁶ in fixed notation, and puts every large value of a column reaching 10⁶ in scientific", () => {
    const fixed = columnFormatter([183, 9855.2, 10123.4, 0.5]);
    expect([183, 9855.2, 10123.4, 0.5].map(fixed)).toEqual(["183", "9855.2", "10123.4", "0.500"]);
    const wide = columnFormatter([183.2, 9855.2, 2.5e6, 0.5]);
    expect([183.2, 9855.2, 2.5e6, 0.5].map(wide)).toEqual(["1.83e2", "9.86e3", "2.50e6", "0.500"]);
  });

  it("a count column is counts whatever its size", () => {
    const count = columnFormatter([9855.2, 10012, 2.5e6], true);
    expect([9855.2, 10012, 2.5e6].map(count)).toEqual(["9855.2", "10012", "2500000"]);
  });
});

/** A real document, printed once: result() gives it new metrics. */
const printed = (await cli(["sim", "-g", "2", "-r", "3", "--quiet", "--format", "json"])).stdout;

/** A result with one count metric (vocab) and one other (perplexity) crossing 10⁴. */
function result(): SimResult {
  const rows: [number, number, number][] = [
    [9855.2, 9801.475, 9999.5],
    [10012.5, 9950, 10080.25],
    [10101, 10050.5, 10200],
  ];
  const doc = JSON.parse(printed) as SimResult;
  doc.generations.forEach((g, i) => {
    const [m, lo, hi] = rows[i]!;
    g.metrics = { perplexity: summary(m, lo, hi), vocab: summary(m, lo, hi) };
  });
  return doc;
}

describe("tables keep one style per column", () => {
  const doc = result();

  it("terminal table: counts with at most one decimal; the other column in fixed notation too, never 1.01e4", () => {
    const text = formatters.table.render(doc, { color: false, width: 120, showSamples: false });
    const rows = text.split("\n").filter((l) => /^\s+\d\s/.test(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^ {2}0 {2}9855\.2 \[9801\.5, 9999\.5\] +9855\.2 \[9801\.5, 9999\.5\]$/);
    expect(rows[1]).toContain("10012.5 [9950, 10080.3]");
    expect(rows[2]).toContain("10101 [10050.5, 10200]");
    expect(text).not.toMatch(/\de\d/);
  });

  it("Markdown: the same cells", () => {
    const md = formatters.markdown.render(doc, { color: false, width: 120, showSamples: false });
    expect(md).toContain("| 0 | 9855.2 [9801.5, 9999.5] | 9855.2 [9801.5, 9999.5] |");
    expect(md).not.toMatch(/\de\d/);
  });

  it("a real categorical run: the extinct column has no interpolated quantile with three decimals", async () => {
    const r = await cli(["sim", "--model", "categorical", "--data", "fixtures/dog-breeds.csv", "-g", "9", "-r", "100", "--quiet", "--no-color"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    const header = lines.findIndex((l) => l.startsWith("gen  extinct"));
    const cells = lines.slice(header + 1, header + 11).map((l) => l.slice(5, l.indexOf("  ", 5)).trim());
    expect(cells).toHaveLength(10);
    for (const cell of cells) expect(cell).toMatch(/^\d+(\.\d)?( \[\d+(\.\d)?, \d+(\.\d)?\])?$/);
  });
});
