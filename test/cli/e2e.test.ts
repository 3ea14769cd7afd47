/**
 * The end-to-end layer: every command of the built binary once as a process of its own, and every
 * class of exit code — 0, 1 (a failed assertion or check), 2 (usage or input, ours and commander's)
 * and 70 (an internal error). The signals' 129, 130 and 143 are in test/cli/real-input.test.ts,
 * sim.test.ts and outputs.test.ts; stdin, pipes, terminals and devices in the files named for them.
 *
 * Everything else about the commands runs their entry in-process (test/cli/in-process.ts): the
 * same code from argv to exit code, but not Node's start-up, module loading from bin/, the process
 * exiting once the work is done, or what reaches the real stdout and stderr. These runs check
 * exactly that, a few at a time (Promise.all), so the layer costs seconds, not one per test.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { type CliResult, collapseAsync, tempDir } from "./cli.js";

/** Exit 2 (or 1), exactly one line on stderr in the house format, no trace. */
function oneLine(r: CliResult, status: number, pattern: RegExp): void {
  expect(r.status, r.stderr).toBe(status);
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^collapse: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at |node:internal/);
}

const SMALL = ["-g", "3", "-r", "10", "--seed", "e2e", "--jobs", "1"];

describe("each command as a process", () => {
  it("sim, sweep, merge, check and plot exit 0, 1 or 2 as documented, writing stdout, stderr and files", async () => {
    const dir = tempDir();
    const at = (name: string) => join(dir, name);
    const [table, json, failed, usage, parse, version, help, whole, shard1, shard2] = await Promise.all([
      collapseAsync(["sim", ...SMALL]),
      collapseAsync(["sim", ...SMALL, "--format", "json", "--save-baseline", at("base.json")]),
      collapseAsync(["sim", ...SMALL, "--format", "csv", "--assert", "var_ratio[3] > 5"]),
      collapseAsync(["sim", "-g", "2.5"]),
      collapseAsync(["sim", "--frobnicate"]),
      collapseAsync(["--version"]),
      collapseAsync(["--help"]),
      collapseAsync(["sweep", "--grid", "sample-size=10,20", ...SMALL]),
      collapseAsync(["sweep", "--grid", "sample-size=10,20", ...SMALL, "--shard", "1/2", "-o", at("s1.csv")]),
      collapseAsync(["sweep", "--grid", "sample-size=10,20", ...SMALL, "--shard", "2/2", "-o", at("s2.csv")]),
    ]);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stderr).toBe("");
    expect(table.stdout).toMatch(/^collapse sim · gaussian/);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).config.seed).toBe("e2e");
    // A failed assertion: the output first, then one line, exit 1.
    expect(failed.stdout).toMatch(/^generation,metric,mean/);
    oneLine(failed, 1, /assertion failed: var_ratio\[3\] > 5/);
    oneLine(usage, 2, /--generations must be a whole number/);
    oneLine(parse, 2, /unknown option '--frobnicate'/);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(help.status).toBe(0);
    for (const command of ["sim", "sweep", "merge", "check", "plot"]) expect(help.stdout).toContain(command);
    expect(whole.status, whole.stderr).toBe(0);
    expect(whole.stdout).toMatch(/^sampleSize,generation,metric/);
    for (const shard of [shard1, shard2]) {
      expect(shard.status, shard.stderr).toBe(0);
      expect(shard.stdout).toBe("");
    }

    const edited = JSON.parse(readFileSync(at("base.json"), "utf8"));
    edited.generations[3].metrics.var_ratio.mean += 1;
    writeFileSync(at("edited.json"), JSON.stringify(edited));
    writeFileSync(at("run.json"), json.stdout);
    const [merged, passed, regressed, plotted, unreadable] = await Promise.all([
      collapseAsync(["merge", at("s2.csv"), at("s1.csv")]),
      collapseAsync(["check", at("base.json"), "--jobs", "1"]),
      collapseAsync(["check", at("edited.json"), "--jobs", "1"]),
      collapseAsync(["plot", at("run.json"), "-o", at("run.svg")]),
      collapseAsync(["plot", at("absent.json")]),
    ]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
    expect(passed.status, passed.stderr).toBe(0);
    expect(passed.stdout).toMatch(/passed\s*$/);
    oneLine(regressed, 1, /check failed against .*edited\.json: 1 of \d+ means regressed \(var_ratio\)/);
    expect(plotted.status, plotted.stderr).toBe(0);
    expect(plotted.stdout).toBe("");
    expect(readFileSync(at("run.svg"), "utf8")).toMatch(/^<svg /);
    oneLine(unreadable, 2, /cannot read .*absent\.json: no such file/);
  });

  it("an internal error (a bug) is one line and exit 70; COLLAPSE_DEBUG=1 adds the trace", async () => {
    // A fault injected before collapse starts: serialising a results document throws a plain Error,
    // which no code path of collapse expects.
    const dir = tempDir();
    const fault = join(dir, "fault.mjs");
    writeFileSync(
      fault,
      `const stringify = JSON.stringify;\nJSON.stringify = function (value, ...rest) {\n  if (value && typeof value === "object" && "tool" in value) throw new Error("injected fault");\n  return stringify.call(this, value, ...rest);\n};\n`,
    );
    // As a file: URL, so that a TMPDIR with spaces cannot split NODE_OPTIONS.
    const env = { NODE_OPTIONS: `--import=${pathToFileURL(fault).href}` };
    const [plain, debug] = await Promise.all([
      collapseAsync(["sim", ...SMALL, "--format", "json"], { env }),
      collapseAsync(["sim", ...SMALL, "--format", "json"], { env: { ...env, COLLAPSE_DEBUG: "1" } }),
    ]);
    oneLine(plain, 70, /^collapse: internal error: injected fault; please report it with the command line \(COLLAPSE_DEBUG=1 shows the trace\)$/);
    expect(plain.stdout).toBe("");
    expect(debug.status).toBe(70);
    expect(debug.stderr).toMatch(/^Error: injected fault\n\s+at /);
    expect(debug.stderr.trimEnd().split("\n").at(-1)).toMatch(/^collapse: internal error: injected fault/);
  });
});
