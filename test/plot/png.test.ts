/**
 * `collapse plot` as PNG: a real PNG (signature, valid chunks) of the SVG's size, carrying its title;
 * the same bytes every time; written through the one writer (atomically to a file, as bytes to a
 * pipe) and refused on a terminal.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { PNG_SIGNATURE, svgToPng, withText } from "../../src/plot/png.js";
import { BIN, ROOT, tempDir } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { HOOK_TIMEOUT, plotSvg, simDoc, svgSize } from "./documents.js";

interface Chunk {
  type: string;
  data: Buffer;
}

/** The chunks of a PNG, each CRC checked; throws on a malformed file. */
function chunks(png: Uint8Array): Chunk[] {
  const b = Buffer.from(png);
  if (!b.subarray(0, 8).equals(Buffer.from(PNG_SIGNATURE))) throw new Error("no PNG signature");
  const out: Chunk[] = [];
  for (let at = 8; at < b.length; ) {
    const length = b.readUInt32BE(at);
    const type = b.subarray(at + 4, at + 8).toString("latin1");
    const data = b.subarray(at + 8, at + 8 + length);
    if (b.readUInt32BE(at + 8 + length) !== crc32(b.subarray(at + 4, at + 8 + length))) throw new Error(`bad CRC in ${type}`);
    out.push({ type, data });
    at += 12 + length;
  }
  if (out[0]?.type !== "IHDR" || out.at(-1)?.type !== "IEND") throw new Error("IHDR must come first and IEND last");
  return out;
}

const ihdrSize = (png: Uint8Array) => {
  const ihdr = chunks(png)[0]!.data;
  return { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4) };
};

/** iTXt chunks as keyword → text (no compression, no language tag). */
function itxt(png: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of chunks(png).filter((c) => c.type === "iTXt")) {
    const nul = c.data.indexOf(0);
    out[c.data.subarray(0, nul).toString("latin1")] = c.data.subarray(nul + 5).toString("utf8");
  }
  return out;
}

let run = "";
let svg = "";

beforeAll(async () => {
  run = simDoc({ generations: 8, replicates: 40, theory: true });
  svg = (await plotSvg("run.json", run)).svg;
}, HOOK_TIMEOUT);

describe("svgToPng", () => {
  it("is a valid PNG of the SVG's width and height, with its title and description", async () => {
    const image = await svgToPng(svg, { title: "Model collapse: gaussian", description: "A caption — with ×, σ² and “quotes”." });
    expect(Buffer.from(image.png.subarray(0, 8))).toEqual(Buffer.from(PNG_SIGNATURE));
    expect(ihdrSize(image.png)).toEqual(svgSize(svg));
    expect({ width: image.width, height: image.height }).toEqual(svgSize(svg));
    expect(itxt(image.png)).toEqual({ Title: "Model collapse: gaussian", Description: "A caption — with ×, σ² and “quotes”." });
    expect(image.warnings).toEqual([]);
  });

  it("draws the same bytes every time", async () => {
    const text = { title: "t", description: "d" };
    const [a, b] = await Promise.all([svgToPng(svg, text), svgToPng(svg, text)]);
    expect(Buffer.from(a.png).equals(Buffer.from(b.png))).toBe(true);
  });

  it("withText leaves anything that does not end in IEND as it is", () => {
    const junk = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
    expect(withText(junk, [["Title", "x"]])).toBe(junk);
  });
});

describe("collapse plot --format png (the built binary)", () => {
  it("infers PNG from -o x.png and replaces the file atomically: its mode kept, no temporary file left", async () => {
    const dir = tempDir();
    const input = join(dir, "run.json");
    writeFileSync(input, run);
    const out = join(dir, "x.png");
    writeFileSync(out, "old");
    chmodSync(out, 0o640);
    const r = await cli(["plot", input, "-o", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    const png = readFileSync(out);
    expect(ihdrSize(png)).toEqual(svgSize((await cli(["plot", input])).stdout));
    expect(statSync(out).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual(["run.json", "x.png"]);
    // A failed run leaves the old picture as it was.
    const failed = await cli(["plot", input, "-o", out, "--metrics", "nope"]);
    expect(failed.status).toBe(2);
    expect(readFileSync(out).equals(png)).toBe(true);
  });

  it("writes the bytes to a pipe, identical to the file's", async () => {
    const dir = tempDir();
    const input = join(dir, "run.json");
    writeFileSync(input, run);
    expect((await cli(["plot", input, "-o", join(dir, "a.png")])).status).toBe(0);
    // Bytes on a real pipe: a process of its own (the in-process runner captures text).
    const piped = spawnSync(process.execPath, [BIN, "plot", input, "--format", "png"], { cwd: ROOT, maxBuffer: 64 * 2 ** 20 });
    expect(piped.status).toBe(0);
    expect(piped.stderr.toString()).toBe("");
    expect(piped.stdout.equals(readFileSync(join(dir, "a.png")))).toBe(true);
  });

  it("--format svg wins over a .png name, silently; an unknown extension writes SVG with a note", async () => {
    const dir = tempDir();
    const input = join(dir, "run.json");
    writeFileSync(input, run);
    const forced = await cli(["plot", input, "-o", join(dir, "x.png"), "--format", "svg"]);
    expect(forced.stderr).toBe("");
    expect(readFileSync(join(dir, "x.png"), "utf8")).toMatch(/^<svg /);
    const odd = await cli(["plot", input, "-o", join(dir, "x.pdf")]);
    expect(odd.stderr).toBe(`collapse: -o ${join(dir, "x.pdf")}: unknown extension, writing the svg format; pass --format to choose\n`);
    expect(readFileSync(join(dir, "x.pdf"), "utf8")).toMatch(/^<svg /);
    expect((await cli(["plot", input, "-o", join(dir, "y.pdf"), "--quiet"])).stderr).toBe("");
  });

  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("refuses a terminal on stdout: one line, exit 2, nothing drawn on it", async () => {
    const dir = tempDir();
    const input = join(dir, "run.json");
    writeFileSync(input, run);
    const command = [process.execPath, BIN, "plot", input, "--format", "png"].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
    const { status, out } = await new Promise<{ status: number | null; out: string }>((resolve, reject) => {
      const child = spawn("script", ["-qefc", command, "/dev/null"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
      child.on("error", reject);
      child.on("close", (status) => resolve({ status, out }));
    });
    expect(status).toBe(2);
    // The terminal shows stdout and stderr together: the one line and no PNG bytes.
    expect(out.trim()).toBe("collapse: --format png is binary and stdout is a terminal; give -o FILE.png or redirect stdout (> plot.png)");
  });
});
