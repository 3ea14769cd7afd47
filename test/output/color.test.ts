/**
 * Colour rules (ARCHITECTURE §5): --no-color, NO_COLOR and FORCE_COLOR=0 switch colour off, FORCE_COLOR=1
 * forces it on, otherwise colour only on a terminal. Unit tests of the decision, then the binary
 * under a pseudo-terminal (util-linux `script`; skipped where missing), and its entry in-process
 * (test/cli/in-process.ts) for what a pipe gets: stdout is not a terminal there either.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { terminalWidth, useColor } from "../../src/output/color.js";
import { BIN, ROOT, tempDir } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";

/** An SGR escape sequence (colour, bold, dim): what "colour" means on a terminal. */
const SGR = /\u001b\[[0-9;]*m/;
const BRAILLE = /[\u2801-\u28ff]/;

describe("useColor", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  it("colours a terminal and not a pipe when nothing is said", () => {
    expect(useColor(true, tty, {})).toBe(true);
    expect(useColor(true, pipe, {})).toBe(false);
    expect(useColor(true, {}, {})).toBe(false);
  });

  it("--no-color wins over everything, FORCE_COLOR included", () => {
    expect(useColor(false, tty, {})).toBe(false);
    expect(useColor(false, tty, { FORCE_COLOR: "1" })).toBe(false);
  });

  it("NO_COLOR (any non-empty value) switches colour off, even when FORCE_COLOR asks for it", () => {
    for (const v of ["1", "0", "yes", "false"]) expect(useColor(true, tty, { NO_COLOR: v })).toBe(false);
    expect(useColor(true, tty, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
    // no-color.org: an empty NO_COLOR is as if unset.
    expect(useColor(true, tty, { NO_COLOR: "" })).toBe(true);
  });

  it("FORCE_COLOR=0 or false switches colour off; other values force it on a pipe", () => {
    expect(useColor(true, tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(useColor(true, tty, { FORCE_COLOR: "false" })).toBe(false);
    for (const v of ["1", "2", "3", "true", ""]) expect(useColor(true, pipe, { FORCE_COLOR: v })).toBe(true);
  });
});

describe("terminalWidth", () => {
  it("takes the terminal's columns, else COLUMNS (40 or more), else 80", () => {
    expect(terminalWidth({ isTTY: true, columns: 132 }, {})).toBe(132);
    expect(terminalWidth({ isTTY: true, columns: 0 }, { COLUMNS: "100" })).toBe(100);
    expect(terminalWidth({ isTTY: false, columns: 132 }, { COLUMNS: "60" })).toBe(60);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: "20" })).toBe(80);
    expect(terminalWidth({ isTTY: false }, {})).toBe(80);
  });
});

// ---------------------------------------------------------------------------------------------
// The binary: what a person sees on a terminal, and what a script gets through a pipe

const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
const SHORT = ["sim", "-g", "6", "-r", "20"];

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** `collapse ARGS` on a pseudo-terminal of `cols` columns; resolves to everything it showed. */
function underPty(args: string[], env: Record<string, string> = {}, options: { cols?: number; redirect?: string } = {}): Promise<string> {
  const base = { ...process.env, ...env };
  if (!("FORCE_COLOR" in env)) delete base.FORCE_COLOR;
  if (!("NO_COLOR" in env)) delete base.NO_COLOR;
  delete base.COLUMNS;
  const size = options.cols ? `stty cols ${options.cols} rows 50; ` : "";
  const command = size + [process.execPath, BIN, ...args].map(shellQuote).join(" ") + (options.redirect ? ` > ${shellQuote(options.redirect)}` : "");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qefc", command, "/dev/null"], { cwd: ROOT, env: base, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.on("error", reject);
    child.on("close", (status) => (status === 0 ? resolve(out) : reject(new Error(`exit ${status}: ${out}`))));
  });
}

describe.skipIf(!hasScript)("on a terminal (script)", () => {
  const file = join(tempDir(), "out.txt");
  const shown: Record<string, string> = {};

  beforeAll(async () => {
    const runs: Record<string, Promise<string>> = {
      plain: underPty(SHORT, {}, { cols: 100 }),
      wide: underPty(SHORT, {}, { cols: 130 }),
      noColorEnv: underPty(SHORT, { NO_COLOR: "1" }),
      forceZero: underPty(SHORT, { FORCE_COLOR: "0" }),
      noColorFlag: underPty([...SHORT, "--no-color"]),
      toFile: underPty([...SHORT, "-o", file]),
    };
    for (const [k, p] of Object.entries(runs)) shown[k] = await p;
  });

  it("colours the table and the chart", () => {
    expect(shown.plain).toMatch(SGR);
    expect(shown.plain).toMatch(BRAILLE);
    // The chart's median lines are painted: a colour code right before braille cells.
    expect(shown.plain).toMatch(/\u001b\[3[36]m[\u2801-\u28ff]/);
  });

  it("lays the chart out for the terminal's width: wider terminal, more panels", () => {
    const lines = (s: string) => s.replace(new RegExp(SGR.source, "g"), "").split(/\r?\n/);
    expect(Math.max(...lines(shown.plain!).map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(Math.max(...lines(shown.wide!).map((l) => l.length))).toBeLessThanOrEqual(130);
    // Each panel labels three rows with "┤": count the ticks.
    const panels = (s: string) => (s.match(/┤/g) ?? []).length / 3;
    expect(panels(shown.plain!)).toBe(2);
    expect(panels(shown.wide!)).toBeGreaterThan(panels(shown.plain!));
  });

  it("has no escape codes with NO_COLOR=1, FORCE_COLOR=0 or --no-color, but still the chart", () => {
    for (const k of ["noColorEnv", "forceZero", "noColorFlag"]) {
      expect(shown[k], k).not.toContain("\u001b");
      expect(shown[k], k).toMatch(BRAILLE);
    }
  });

  it("writes no colour into an -o file, even from a terminal", () => {
    const text = readFileSync(file, "utf8");
    expect(text.startsWith("collapse sim")).toBe(true);
    expect(text).not.toContain("\u001b");
  });
});

describe("through a pipe", () => {
  it("no colour unless FORCE_COLOR asks; then the chart is coloured too", async () => {
    const plain = await cli(SHORT);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain("\u001b");
    expect(plain.stdout).toMatch(BRAILLE);
    const forced = await cli(SHORT, { env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toMatch(/\u001b\[3[36]m[\u2801-\u28ff]/);
  });

  it("machine formats and Markdown get neither colour nor chart", async () => {
    for (const format of ["json", "csv", "ndjson", "markdown"]) {
      const r = await cli([...SHORT, "--format", format], { env: { FORCE_COLOR: "1" } });
      expect(r.status, format).toBe(0);
      expect(r.stdout, format).not.toContain("\u001b");
      expect(r.stdout, format).not.toMatch(BRAILLE);
      expect(r.stdout, format).not.toMatch(/[▁▂▃▄▅▆▇█]/);
    }
  });
});
