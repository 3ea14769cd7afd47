/**
 * --width, --height and --title: the whole figure has exactly the size asked for (the panels take
 * what the rest leaves), a size too small for the panels is refused naming one that fits, and the
 * title replaces the generated one wherever a title shows.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { loadPlotInput } from "../../src/plot/load.js";
import { htmlPage, MIN_PANEL, renderPlot, svgSize, withTitle } from "../../src/plot/render.js";
import { buildPlotSpec, PANEL_HEIGHT, type PlotOptions } from "../../src/plot/spec.js";
import { tempDir } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { HOOK_TIMEOUT, PLOT_DEFAULTS, simDoc } from "./documents.js";

let run = "";

beforeAll(() => {
  run = simDoc({ generations: 10, replicates: 30, theory: true });
}, HOOK_TIMEOUT);

function plotOf(options: Partial<PlotOptions> = {}) {
  return buildPlotSpec(loadPlotInput({ name: "run.json", text: run }), { ...PLOT_DEFAULTS, ...options });
}

/** Plot-area sizes of the panels, from their background rectangles. */
function panelSizes(svg: string): [number, number][] {
  return [...svg.matchAll(/concat_\d+_group"[^>]*><g transform="[^"]*"><path class="background" aria-hidden="true" d="M0\.5,0\.5h(\d+)v(\d+)/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
}

describe("--width and --height", () => {
  it.each([
    [[], 1000, 700],
    [[], 901, 601],
    [["var_ratio"], 640, 360],
    [["var_ratio", "kl", "w2"], 777, 555],
  ] as const)("metrics %j at %i × %i px: exactly that, panels as equal as whole pixels allow", async (metrics, width, height) => {
    const { svg } = await renderPlot(plotOf({ metrics: [...metrics] }), { width, height });
    expect(svgSize(svg)).toEqual({ width, height });
    const sizes = panelSizes(svg);
    expect(sizes).toHaveLength(metrics.length || 4);
    const widths = sizes.map((s) => s[0]);
    const heights = sizes.map((s) => s[1]);
    expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(1);
    expect(Math.max(...heights) - Math.min(...heights)).toBeLessThanOrEqual(1);
  });

  it("one of them alone leaves the other dimension as by default", async () => {
    const plain = svgSize((await renderPlot(plotOf())).svg);
    const wide = await renderPlot(plotOf(), { width: 1400 });
    expect(svgSize(wide.svg)).toEqual({ width: 1400, height: plain.height });
    expect(panelSizes(wide.svg).every(([, h]) => h === PANEL_HEIGHT)).toBe(true);
    expect(svgSize((await renderPlot(plotOf(), { height: 900 })).svg)).toEqual({ width: plain.width, height: 900 });
  });

  it("a size leaving panels under the minimum is refused with a size that works", async () => {
    let message = "";
    try {
      await renderPlot(plotOf(), { width: 400 });
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      message = (e as Error).message;
    }
    expect(message).toMatch(
      new RegExp(
        `^--width 400 is too small: the panels would be less than ${MIN_PANEL.width} px wide; give --width (\\d+) or more, or fewer --metrics \\(fewer columns\\)$`,
      ),
    );
    const least = Number(/give --width (\d+)/.exec(message)![1]);
    expect(least).toBeGreaterThan(400);
    expect(svgSize((await renderPlot(plotOf(), { width: least })).svg).width).toBe(least);
    await expect(renderPlot(plotOf(), { width: least - 3 })).rejects.toThrow(UsageError);
    await expect(renderPlot(plotOf({ metrics: ["kl"] }), { height: 120 })).rejects.toThrow(
      /^--height 120 is too small: the panels would be less than 60 px high; give --height \d+ or more$/,
    );
  });
});

describe("--title", () => {
  it("replaces the generated title in the figure, the SVG's <title>, the caption and the page", async () => {
    const plot = plotOf({ title: "Twenty-five samples & a <title>" });
    const svg = withTitle((await renderPlot(plot)).svg, plot.title);
    expect(svg).toContain(">Twenty-five samples &amp; a &lt;title&gt;</text>");
    expect(svg).toContain("<title>Twenty-five samples &amp; a &lt;title&gt;</title>");
    expect(svg).not.toContain("Model collapse: gaussian");
    expect(plot.title.caption).toMatch(/^Twenty-five samples & a <title>\. source normal/);
    expect(htmlPage(svg, plot.title)).toContain("<title>Twenty-five samples &amp; a &lt;title&gt;</title>");
  });

  it('"" draws no title block, and the SVG keeps the generated title for readers', async () => {
    const plot = plotOf({ title: "" });
    const svg = withTitle((await renderPlot(plot)).svg, plot.title);
    expect(svg).toContain("<title>Model collapse: gaussian</title>");
    expect(svg).not.toMatch(/>Model collapse: gaussian<\/text>/);
    expect(svg).not.toContain("solid: median over");
  });
});

describe("collapse plot (the built binary): bad sizes and titles", () => {
  it.each([
    [["--width", "wide"], /^collapse: --width must be a whole number of pixels from 100 to 10000, got "wide"\n$/],
    [["--height", "99"], /^collapse: --height must be a whole number of pixels from 100 to 10000, got "99"\n$/],
    [["--width", "1e4"], /^collapse: --width must be a whole number/],
    [["--title", "two\nlines"], /^collapse: --title must be one line of text without control characters, got "two\\nlines"\n$/],
  ])("%j: one line, exit 2", async (args, message) => {
    // In-process, from a file: stdin is tested in test/cli/plot.test.ts.
    const input = join(tempDir(), "run.json");
    writeFileSync(input, run);
    const r = await cli(["plot", input, ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });
});
