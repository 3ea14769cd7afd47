/**
 * The figure's layout: text measured with DejaVu Sans's own widths (so no wide gutter between panel
 * columns), panel titles level across a row, log axes labelled in one style.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BOLD, CHARS, REGULAR } from "../../src/plot/font-widths.js";
import { decadeLabels, powerOfTen } from "../../src/plot/spec.js";
import { textWidth } from "../../src/plot/text-width.js";
import { HOOK_TIMEOUT, plotSvg, simDoc } from "./documents.js";

/** x and y of each panel (concat cell), from its group's translate. */
function panelOrigins(svg: string): [number, number][] {
  return [...svg.matchAll(/class="mark-group role-scope concat_\d+_group"[^>]*><g transform="translate\(([-\d.]+),([-\d.]+)\)"/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
}

/** The y offset of each panel's title group from its panel (the figure's own title excluded: it comes last). */
function panelTitleOffsets(svg: string): number[] {
  const all = [...svg.matchAll(/<g class="mark-group role-title"><g transform="translate\(([-\d.]+),([-\d.]+)\)"/g)].map((m) => Number(m[2]));
  return all.slice(0, -1);
}

/** The text of every axis label. */
function axisLabels(svg: string): string[] {
  return [...svg.matchAll(/role-axis-label[^>]*>((?:<text [^>]*>[^<]*<\/text>)*)/g)].flatMap((m) => [...m[1]!.matchAll(/>([^<]*)<\/text>/g)].map((t) => t[1]!));
}

const PANEL_WIDTH = 340;

let run = "";
let collapsed = "";

beforeAll(() => {
  run = simDoc({ generations: 8, replicates: 40, theory: true });
  // M = 5 for 40 generations: the variance falls by many decades.
  collapsed = simDoc({ generations: 40, sampleSize: 5, replicates: 40 });
}, HOOK_TIMEOUT);

describe("text widths", () => {
  it("sums DejaVu Sans advance widths at the item's size and weight", () => {
    const w = (c: string, table: readonly number[]) => table[[...CHARS].indexOf(c)]!;
    expect(textWidth({ fontSize: 11 }, "kl")).toBeCloseTo(((w("k", REGULAR) + w("l", REGULAR)) * 11) / 1000, 10);
    expect(textWidth({ fontSize: 13, fontWeight: "bold" }, "kl")).toBeCloseTo(((w("k", BOLD) + w("l", BOLD)) * 13) / 1000, 10);
    expect(textWidth({ fontSize: 13, fontWeight: 700 }, "var_ratio")).toBeGreaterThan(textWidth({ fontSize: 13 }, "var_ratio"));
    // Vega's default size is 11 px; leading and trailing spaces are not drawn.
    expect(textWidth({}, "  σ² ")).toBe(textWidth({ fontSize: 11 }, "σ²"));
  });

  it("counts an unknown character as 0.6 em and stops at the item's limit", () => {
    expect(textWidth({ fontSize: 10 }, "漢")).toBe(6);
    expect(textWidth({ fontSize: 10, limit: 20 }, "a long legend label")).toBe(20);
    expect(textWidth({ fontSize: 10 }, null)).toBe(0);
  });

  it("measures the characters titles use (Greek, sub- and superscripts, math signs)", () => {
    for (const c of "σμθΣ²⁻³−×·‖→≤…—") expect(CHARS, c).toContain(c);
  });
});

describe("the 2×2 layout", () => {
  it("puts the second column right after the first one's panel: spacing and its own y axis, no more", async () => {
    const { svg } = await plotSvg("run.json", run);
    const [a, b, c, d] = panelOrigins(svg);
    expect(b![1]).toBe(a![1]);
    expect(c![0]).toBe(a![0]);
    expect(d).toEqual([b![0], c![1]]);
    // 28 px of spacing and a y axis of at most about 70 px; Vega's 0.8 em guess for the subtitles
    // made this gap 221 px.
    const gap = b![0] - a![0] - PANEL_WIDTH;
    expect(gap).toBeGreaterThan(28);
    expect(gap).toBeLessThan(100);
  });

  it("sets every panel's title at one height, whatever its axis labels and whether it has a description", async () => {
    const { svg } = await plotSvg("run.json", run, { metrics: ["var_ratio", "tail_loss_2", "mean_drift", "kl"] });
    const offsets = panelTitleOffsets(svg);
    expect(offsets).toHaveLength(4);
    expect(new Set(offsets).size).toBe(1);
    // A metric with no description: tidy rows of a metric of one's own, beside one that has one.
    const rows = ["generation,metric,mean,sd,se,median,p025,p975,theory"];
    for (let g = 0; g < 5; g++) rows.push(`${g},custom,${g},0,0,${g},${g - 1},${g + 1},`, `${g},kl,${g * 0.1},0,0,${g * 0.1},0,${g * 0.2},`);
    const mixed = await plotSvg("rows.csv", rows.join("\n") + "\n", { metrics: ["custom", "kl"] });
    const level = panelTitleOffsets(mixed.svg);
    expect(level).toHaveLength(2);
    expect(level[0]).toBe(level[1]);
  });
});

describe("log axes", () => {
  it("labels decades in one style: written out within 0.001 … 1000, else all as powers of ten", () => {
    expect(powerOfTen(-4)).toBe("10⁻⁴");
    expect(powerOfTen(12)).toBe("10¹²");
    expect(decadeLabels([0.001, 0.01, 0.1, 1, 10])).toBe("format(datum.value, '~g')");
    const mixed = decadeLabels([1e-4, 0.001, 0.01, 0.1, 1]);
    for (const e of [-4, -3, -2, -1, 0]) expect(mixed).toContain(`datum.value === 1e${e} ? '${powerOfTen(e)}'`);
  });

  it("draws a collapsing variance with every y label a power of ten, and a shallow one with every label written out", async () => {
    const deep = axisLabels((await plotSvg("m5.json", collapsed, { metrics: ["var_ratio"], scale: "log" })).svg);
    const y = deep.filter((l) => !/^\d+$/.test(l));
    expect(y.length).toBeGreaterThan(3);
    for (const label of y) expect(label).toMatch(/^10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+$/);
    const shallow = axisLabels((await plotSvg("run.json", run, { metrics: ["var_ratio"], scale: "log" })).svg);
    const written = shallow.filter((l) => l.includes("."));
    expect(written.length).toBeGreaterThan(0);
    for (const label of shallow) expect(label).toMatch(/^(\d+|0\.0*1)$/);
  });
});
