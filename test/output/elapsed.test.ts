/**
 * The table ends with the run's wall time ("elapsed 1.4 s"), for people; json, csv, ndjson and
 * Markdown never carry a time, so the same options and seed keep giving the same bytes. The
 * renderer is handed the seconds (it reads no clock), so these tests choose them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { formatters } from "../../src/output/format.js";
import { tempDir } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { flags } from "../helpers.js";
import { simulate } from "../run.js";

const result = simulate(resolveSimConfig(flags({ generations: 3, replicates: 20 }))).result;
const options = { color: false, width: 100, showSamples: false };

describe("the table's elapsed time", () => {
  it("is the table's last line, in the unit that reads best", () => {
    for (const [seconds, shown] of [
      [0.034, "0.03 s"],
      [1.44, "1.4 s"],
      [42, "42 s"],
      [245, "4 min 05 s"],
    ] as const) {
      const lines = formatters.table.render(result, { ...options, elapsedSeconds: seconds }).split("\n");
      expect(lines.at(-1)).toBe("");
      expect(lines.at(-2)).toBe(`elapsed ${shown}`);
      expect(lines.filter((l) => l.startsWith("elapsed"))).toHaveLength(1);
    }
  });

  it("comes after the chart and the text samples, dimmed with colour", () => {
    const text = formatters.table.render(result, { ...options, color: true, elapsedSeconds: 1.4 });
    expect(text.endsWith("\u001b[2melapsed 1.4 s\u001b[22m\n")).toBe(true);
  });

  it("is absent when no time is given, and never in the other formats", () => {
    expect(formatters.table.render(result, options)).not.toContain("elapsed");
    for (const format of ["markdown", "json", "csv", "ndjson"] as const) {
      expect(formatters[format].render(result, { ...options, elapsedSeconds: 1.4 })).not.toContain("elapsed");
    }
  });
});

describe("collapse sim: elapsed time end to end", () => {
  const SIM = ["sim", "-g", "3", "-r", "20", "--quiet"];

  it("ends the table, on stdout or in a file, whatever the width", async () => {
    for (const args of [SIM, [...SIM, "--show-samples"], ["sim", "--model", "categorical", "-g", "3", "-r", "5", "--quiet"]]) {
      const r = await cli(args);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/\nelapsed \d+(\.\d+)? (s|min \d\d s)\n$/);
    }
    const file = join(tempDir(), "table.txt");
    expect((await cli([...SIM, "-o", file])).status).toBe(0);
    expect(readFileSync(file, "utf8")).toMatch(/^collapse sim[\s\S]*\nelapsed \d+(\.\d+)? (s|min \d\d s)\n$/);
  });

  it("is not in json, csv, ndjson or markdown, which stay the same bytes run after run", async () => {
    for (const format of ["json", "csv", "ndjson", "markdown"]) {
      const a = await cli([...SIM, "--format", format]);
      const b = await cli([...SIM, "--format", format]);
      expect(a.status).toBe(0);
      expect(a.stdout).not.toMatch(/elapsed|\d s\b/);
      expect(b.stdout).toBe(a.stdout);
    }
  });
});
