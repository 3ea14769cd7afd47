/**
 * `collapse plot`: result documents (sim, sweep) and tidy rows (CSV, NDJSON) become well-formed
 * SVG with the expected panels and series. Most checks render in-process (Vega loads once); a few
 * run the built command line, through its entry in-process (cli()) or, to read stdin, as a process.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError, UsageError } from "../../src/errors.js";
import { drawPlot } from "../../src/plot/draw.js";
import { loadPlotInput } from "../../src/plot/load.js";
import { htmlPage, renderSvg, withTitle } from "../../src/plot/render.js";
import { buildPlotSpec, type PlotOptions } from "../../src/plot/spec.js";
import { tempDir } from "./cli.js";
import { cli } from "./in-process.js";

// ---------------------------------------------------------------------------------------------
// A small XML well-formedness check: balanced and properly nested tags, quoted attributes without
// duplicates, valid entity references, no stray "<" or "&" in text. (No XML parser ships in
// node_modules; this covers everything an SVG serialiser can get wrong.)

const NAME = "[A-Za-z_:][-A-Za-z0-9_:.]*";
const ENTITY = /^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;

function checkText(text: string, at: number): void {
  for (let i = text.indexOf("&"); i >= 0; i = text.indexOf("&", i + 1)) {
    if (!ENTITY.test(text.slice(i))) throw new Error(`bad entity reference at ${at + i}: ${text.slice(i, i + 12)}`);
  }
  if (text.includes(">") && text.includes("]]>")) throw new Error(`"]]>" in text at ${at}`);
}

function checkXml(xml: string): void {
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  const attr = new RegExp(`^\\s+(${NAME})\\s*=\\s*("[^"<]*"|'[^'<]*')`);
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (stack.length === 0 && text.trim() !== "") throw new Error(`text outside the root element at ${i}`);
    checkText(text, i);
    if (lt < 0) break;
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt + 4);
      if (end < 0) throw new Error(`unclosed comment at ${lt}`);
      i = end + 3;
      continue;
    }
    if (xml.startsWith("<?", lt)) {
      const end = xml.indexOf("?>", lt);
      if (end < 0) throw new Error(`unclosed processing instruction at ${lt}`);
      i = end + 2;
      continue;
    }
    if (xml.startsWith("<![CDATA[", lt)) {
      const end = xml.indexOf("]]>", lt);
      if (end < 0) throw new Error(`unclosed CDATA at ${lt}`);
      i = end + 3;
      continue;
    }
    const close = new RegExp(`^</(${NAME})\\s*>`).exec(xml.slice(lt));
    if (close) {
      const open = stack.pop();
      if (open !== close[1]) throw new Error(`</${close[1]}> at ${lt} closes <${open ?? "nothing"}>`);
      i = lt + close[0].length;
      continue;
    }
    const name = new RegExp(`^<(${NAME})`).exec(xml.slice(lt));
    if (!name) throw new Error(`stray "<" at ${lt}: ${xml.slice(lt, lt + 20)}`);
    let j = lt + name[0].length;
    const seen = new Set<string>();
    for (;;) {
      const a = attr.exec(xml.slice(j));
      if (!a) break;
      if (seen.has(a[1]!)) throw new Error(`duplicate attribute ${a[1]} at ${j}`);
      seen.add(a[1]!);
      checkText(a[2]!.slice(1, -1), j);
      j += a[0].length;
    }
    const end = /^\s*(\/?)>/.exec(xml.slice(j));
    if (!end) throw new Error(`malformed tag <${name[1]}> at ${lt}: ${xml.slice(j, j + 30)}`);
    if (stack.length === 0) roots++;
    if (roots > 1) throw new Error(`a second root element <${name[1]}> at ${lt}`);
    if (end[1] !== "/") stack.push(name[1]!);
    i = j + end[0].length;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("> <")}>`);
  if (roots !== 1) throw new Error("no root element");
}

/** The accessible labels (aria-label) of every mark in an SVG: one per line or band path. */
function markLabels(svg: string): string[] {
  return [...svg.matchAll(/<path [^>]*aria-label="([^"]*)"/g)].map((m) => m[1]!);
}

/** The points of the path whose aria-label is `label`, as [x, y] pixel pairs. */
function pathPoints(svg: string, label: string): [number, number][] {
  const tag = [...svg.matchAll(/<path [^>]*>/g)].map((m) => m[0]).find((t) => t.includes(`aria-label="${label}"`));
  if (!tag) throw new Error(`no path labelled ${label}`);
  const d = /\sd="([^"]*)"/.exec(tag)![1]!;
  return [...d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

const DEFAULTS: PlotOptions = { metrics: [], band: undefined, scale: "auto" };

async function plot(name: string, text: string, options: Partial<PlotOptions> = {}) {
  const spec = buildPlotSpec(loadPlotInput({ name, text }), { ...DEFAULTS, ...options });
  const { svg, warnings } = await renderSvg(spec.spec);
  return { svg: withTitle(svg, spec.title), warnings, spec };
}

// ---------------------------------------------------------------------------------------------

const G = 12;
let runJson = "";
let runCsv = "";
let runNdjson = "";
/** Sweep points: sample sizes and their run documents. */
const SIZES = [10, 30, 100];
const points: { size: number; doc: { generations: unknown[]; config: unknown; tool: unknown; seed: unknown } }[] = [];

function sweepDoc(sizes: number[]): string {
  const chosen = points.filter((p) => sizes.includes(p.size));
  const first = chosen[0]!.doc;
  return JSON.stringify({
    tool: first.tool,
    config: first.config,
    seed: first.seed,
    grid: ["sample-size"],
    points: chosen.map((p) => ({ params: { "sample-size": p.size }, generations: p.doc.generations })),
  });
}

beforeAll(async () => {
  const base = ["sim", "-g", String(G), "-r", "60", "--theory"];
  const run = async (extra: string[]) => {
    const r = await cli([...base, ...extra]);
    if (r.status !== 0) throw new Error(`collapse ${[...base, ...extra].join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  };
  runJson = await run(["--format", "json"]);
  runCsv = await run(["--format", "csv"]);
  runNdjson = await run(["--format", "ndjson"]);
  for (const size of [...SIZES, 300]) points.push({ size, doc: JSON.parse(await run(["-m", String(size), "--format", "json"])) });
});

describe("XML check (the test's own instrument)", () => {
  it("accepts well-formed XML and rejects the usual faults", () => {
    expect(() => checkXml('<svg a="1"><g><text>a &amp; b</text></g><path d="M0,0"/></svg>')).not.toThrow();
    for (const bad of ["<a><b></a></b>", "<a x=1/>", "<a>a & b</a>", '<a x="1" x="2"/>', "<a>", "<a/><b/>", "<a>1 < 2</a>"]) {
      expect(() => checkXml(bad), bad).toThrow();
    }
  });
});

describe("plot a sim document", () => {
  it("is one well-formed SVG with a panel per headline metric, median and band for each", async () => {
    const { svg, warnings } = await plot("run.json", runJson);
    expect(warnings).toEqual([]);
    checkXml(svg);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toMatch(/<svg [^>]*width="\d+" height="\d+"/);
    const labels = markLabels(svg);
    for (const metric of ["var_ratio", "mean_drift", "tail_loss_2", "kl"]) {
      expect(labels).toContain(`${metric} median`);
      expect(labels).toContain(`${metric} band 2.5%–97.5%`);
      expect(svg).toContain(`>${metric}</text>`);
    }
    // --theory was on: var_ratio has closed-form theory, drawn with the replicate mean it predicts.
    expect(labels).toContain("var_ratio theory");
    expect(labels).toContain("var_ratio mean");
    expect(svg).toContain("<title>Model collapse: gaussian</title>");
    expect(svg).toMatch(/<tspan>source normal\(0,1\) ×100 · M=100 · 60 replicates · regime replace · estimator mle · seed 1<\/tspan>/);
  });

  it("draws the median through all G+1 generations, falling for var_ratio (larger y is lower on screen)", async () => {
    const { svg } = await plot("run.json", runJson);
    const median = pathPoints(svg, "var_ratio median");
    expect(median).toHaveLength(G + 1);
    for (let i = 1; i < median.length; i++) expect(median[i]![0]).toBeGreaterThan(median[i - 1]![0]);
    const doc = JSON.parse(runJson);
    const first = doc.generations[0].metrics.var_ratio.median;
    const last = doc.generations[G].metrics.var_ratio.median;
    expect(last).toBeLessThan(first);
    expect(median[G]![1]).toBeGreaterThan(median[0]![1]);
    expect(pathPoints(svg, "var_ratio theory")).toHaveLength(G + 1);
  });

  it("draws only the metrics asked for, and refuses unknown ones with the list of known ones", async () => {
    const { svg } = await plot("run.json", runJson, { metrics: ["kl", "w2"] });
    checkXml(svg);
    const labels = markLabels(svg);
    expect(labels.filter((l) => l.endsWith(" median")).sort()).toEqual(["kl median", "w2 median"]);
    await expect(plot("run.json", runJson, { metrics: ["nope"] })).rejects.toThrow(UsageError);
    await expect(plot("run.json", runJson, { metrics: ["nope"] })).rejects.toThrow(/--metrics nope: no such metric in run\.json; it has .*var_ratio/);
  });

  it("uses a log scale when asked, or by itself for a variance collapsing by decades", async () => {
    const { svg } = await plot("run.json", runJson, { metrics: ["var_ratio"], scale: "log" });
    expect(svg).toMatch(/Y-axis titled 'var_ratio' for a log scale/);
    await expect(plot("run.json", runJson, { metrics: ["mean_drift"], scale: "log" })).rejects.toThrow(/values ≤ 0/);
    const collapsed = points.find((p) => p.size === 10)!.doc;
    const auto = await plot("m10.json", JSON.stringify(collapsed), { metrics: ["var_ratio", "mean_drift"] });
    expect(auto.svg).toMatch(/Y-axis titled 'var_ratio' for a log scale/);
    expect(auto.svg).toMatch(/Y-axis titled 'mean_drift' for a linear scale/);
  });
});

describe("plot a sweep document", () => {
  it("draws one line per point with a legend, and bands while there are at most three points", async () => {
    const { svg, warnings } = await plot("sweep.json", sweepDoc(SIZES));
    expect(warnings).toEqual([]);
    checkXml(svg);
    const labels = markLabels(svg);
    for (const size of SIZES) {
      expect(labels).toContain(`var_ratio median (sample-size=${size})`);
      expect(labels).toContain(`kl median (sample-size=${size})`);
      expect(labels).toContain(`var_ratio band 2.5%–97.5% (sample-size=${size})`);
      expect(svg).toMatch(new RegExp(`<text[^>]*>${size}</text>`));
    }
    expect(svg).toMatch(/<text[^>]*>sample-size<\/text>/);
    expect(svg).toContain("sweep over sample-size");
    // The sweep varies M, so the subtitle must not claim one.
    expect(svg).not.toMatch(/M=\d+/);
  });

  it("hides bands beyond three points unless asked", async () => {
    const four = sweepDoc([...SIZES, 300]);
    expect(markLabels((await plot("sweep.json", four)).svg).some((l) => l.includes("band"))).toBe(false);
    expect(markLabels((await plot("sweep.json", four, { band: true })).svg).filter((l) => l.startsWith("var_ratio band"))).toHaveLength(4);
    expect(markLabels((await plot("sweep.json", sweepDoc(SIZES), { band: false })).svg).some((l) => l.includes("band"))).toBe(false);
  });
});

describe("plot tidy rows", () => {
  it("CSV and NDJSON rows give the same series as the JSON document of the same run", async () => {
    const fromJson = markLabels((await plot("run.json", runJson)).svg).sort();
    const fromCsv = await plot("run.csv", runCsv);
    const fromNdjson = await plot("run.ndjson", runNdjson);
    checkXml(fromCsv.svg);
    checkXml(fromNdjson.svg);
    expect(markLabels(fromCsv.svg).sort()).toEqual(fromJson);
    expect(markLabels(fromNdjson.svg).sort()).toEqual(fromJson);
    expect(pathPoints(fromCsv.svg, "var_ratio median")).toEqual(pathPoints((await plot("run.json", runJson)).svg, "var_ratio median"));
  });

  it("groups rows by their parameter columns into one series each", async () => {
    const lines = runCsv.trimEnd().split("\n");
    const header = `sample-size,${lines[0]}`;
    const rows = [10, 20].flatMap((m) => lines.slice(1).map((l) => `${m},${l}`));
    const { svg } = await plot("sweep.csv", [header, ...rows].join("\n") + "\n", { metrics: ["var_ratio"] });
    const labels = markLabels(svg);
    expect(labels).toContain("var_ratio median (sample-size=10)");
    expect(labels).toContain("var_ratio median (sample-size=20)");
  });
});

describe("input errors say where and what", () => {
  it("invalid JSON names file:line:column", () => {
    expect(() => loadPlotInput({ name: "bad.json", text: '{\n  "generations": [\n    {"generation": 0,, }\n  ]\n}' })).toThrow(
      /^bad\.json:3:\d+: invalid JSON/,
    );
  });

  it("a JSON object that is neither a run nor a sweep, a summary that is not a number, a CSV without its columns", () => {
    expect(() => loadPlotInput({ name: "x.json", text: '{"a": 1}' })).toThrow(/x\.json: no "generations" \(a run\) or "points" \(a sweep\)/);
    const doc = JSON.parse(runJson);
    doc.generations[2].metrics.kl.median = "high";
    expect(() => loadPlotInput({ name: "y.json", text: JSON.stringify(doc) })).toThrow(
      /y\.json: generations\[2\]\.metrics\.kl\.median is "high", expected a number/,
    );
    expect(() => loadPlotInput({ name: "z.csv", text: "generation,metric,mean\n0,kl,1\n" })).toThrow(/z\.csv: no "median" column/);
    expect(() => loadPlotInput({ name: "w.csv", text: runCsv.replace("\n1,mean,", "\nx1,mean,") })).toThrow(/w\.csv:\d+:1: .*generation/);
    expect(() => loadPlotInput({ name: "x.json", text: "[]" })).toThrow(InputError);
  });
});

describe("html", () => {
  it("is a self-contained page: the SVG inline, a caption, no scripts or external resources", async () => {
    const spec = buildPlotSpec(loadPlotInput({ name: "run.json", text: runJson }), DEFAULTS);
    const { svg } = await renderSvg(spec.spec);
    const page = htmlPage(svg, spec.title);
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain("<svg ");
    expect(page).toMatch(/<figcaption>Model collapse: gaussian\. source normal\(0,1\) ×100, M=100, 60 replicates/);
    expect(page).not.toMatch(/<script|<link|src="http|href="http/);
    checkXml(page.replace(/^<!doctype html>\s*/, "").replace(/<meta [^>]*>/g, ""));
  });
});

describe("collapse plot (the built binary)", () => {
  it("writes SVG to -o atomically and nothing to stdout; HTML by --format or by the .html extension; reads stdin", async () => {
    const dir = tempDir();
    const input = join(dir, "run.json");
    writeFileSync(input, runJson);
    const svgPath = join(dir, "run.svg");
    const r = await cli(["plot", input, "-o", svgPath, "--metrics", "var_ratio"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    const svg = readFileSync(svgPath, "utf8");
    checkXml(svg);
    expect(markLabels(svg)).toContain("var_ratio median");

    const htmlPath = join(dir, "run.html");
    expect((await cli(["plot", input, "-o", htmlPath, "--metrics", "kl"])).status).toBe(0);
    expect(readFileSync(htmlPath, "utf8").startsWith("<!doctype html>")).toBe(true);

    const piped = await cli(["plot", "-", "--metrics", "kl", "--format", "html"], { input: runCsv });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toMatch(/^<!doctype html>/);
    expect(piped.stdout).toContain('aria-label="kl median"');
  });

  it("user errors exit 2 with one line and leave no file behind", async () => {
    const dir = tempDir();
    const input = join(dir, "run.json");
    writeFileSync(input, runJson);
    const out = join(dir, "x.svg");
    const unknown = await cli(["plot", input, "--metrics", "nope", "-o", out]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^collapse: --metrics nope: no such metric in .*run\.json; it has .*\n$/);
    expect(existsSync(out)).toBe(false);
    const missing = await cli(["plot", join(dir, "absent.json")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^collapse: cannot read .*absent\.json: no such file; .*\n$/);
    expect(missing.stderr.split("\n")).toHaveLength(2);
  });
});

describe("collapse plot of a file of 1 MB or more (drawn on a worker thread)", () => {
  it("gives the bytes this thread draws, in every format, and the same one-line errors", async () => {
    const dir = tempDir();
    const input = join(dir, "long.json");
    expect((await cli(["sim", "-g", "600", "--format", "json", "-o", input])).status).toBe(0);
    const bytes = readFileSync(input);
    expect(bytes.length).toBeGreaterThan(1 << 20);
    const options: PlotOptions = { metrics: [], band: undefined, scale: "auto" };
    for (const format of ["svg", "html", "png"] as const) {
      const out = join(dir, `long.${format}`);
      const r = await cli(["plot", input, "-o", out]);
      expect(r.status, r.stderr).toBe(0);
      const here = await drawPlot({ name: input, bytes: new Uint8Array(bytes), options, size: {}, format });
      expect(Buffer.from(readFileSync(out)).equals(Buffer.from(here.payload)), format).toBe(true);
    }
    const log = await cli(["plot", input, "--scale", "log", "--metrics", "mean_drift"]);
    expect(log.status).toBe(2);
    expect(log.stderr).toBe("collapse: --scale log: mean_drift has values ≤ 0, which a log scale cannot show; use --scale linear or leave --metrics out\n");
  });
});
