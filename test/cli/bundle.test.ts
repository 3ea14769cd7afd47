/**
 * The start-up bundle (scripts/bundle.mjs): bin/collapse.js runs dist/bundle/main.cjs, the compiled
 * modules joined into one file, with V8's code cache (bin/load-bundle.js). It must be the same program as dist/cli/main.js, workers included
 * (their scripts, bundled in place, are found from the bundle's folder too).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, tempDir } from "./cli.js";

/** Runs `node FILE ARGS` from the repository (a script file: workers inherit node's flags, so no --eval). */
function node(file: string, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [file, ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the module-by-module entry's main() with these arguments, as bin/collapse.js runs the bundle's. */
function runModules(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const script = join(tempDir(), "run.mjs");
  writeFileSync(
    script,
    `const { main } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "dist", "cli", "main.js")).href)});\nawait main(process.argv);\n`,
  );
  return node(script, args);
}

describe("the start-up bundle", () => {
  it("exists after the build with a code cache that this Node accepts (a plain node process: vitest's flags would differ)", () => {
    expect(existsSync(join(ROOT, "dist", "bundle", "main.cjs"))).toBe(true);
    expect(existsSync(join(ROOT, "dist", "bundle", "main.cache"))).toBe(true);
    const script = join(tempDir(), "cache.mjs");
    writeFileSync(
      script,
      `const { loadBundle } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "bin", "load-bundle.js")).href)});\nprocess.stdout.write(String(loadBundle().script.cachedDataRejected));\n`,
    );
    expect(node(script).stdout).toBe("false");
  });

  it("is ASCII, every bundle, so that V8 holds each source as one byte a character (a single comment's '≤' would make it two)", () => {
    // scripts/bundle.mjs drops the comments (minifyWhitespace), which carried the sources' µ, σ and ≤.
    const bundles = [
      "bundle/main.cjs",
      "engine/worker.js",
      "engine/summary-worker.js",
      "engine/coordinator.js",
      "sweep/worker.js",
      "sweep/preflight-worker.js",
    ];
    for (const bundle of bundles) {
      const bytes = readFileSync(join(ROOT, "dist", bundle));
      const first = bytes.findIndex((b) => b > 0x7f);
      expect(first, `dist/${bundle}: a byte over 0x7f at offset ${first}`).toBe(-1);
    }
  });

  it("starts a default run without the built-in modules it needs only for threads, hashes, sockets or subprocesses", () => {
    // src/builtins.ts loads them on first use, and commander's node:child_process is a lazy stand-in
    // (scripts/bundle.mjs): each costs milliseconds of start-up when loaded.
    const preload = join(tempDir(), "modules.cjs");
    writeFileSync(preload, `process.on("exit", () => require("node:fs").writeSync(2, JSON.stringify(process.moduleLoadList)));\n`);
    const r = spawnSync(process.execPath, ["-r", preload, BIN, "sim", "-g", "2", "-r", "3", "--quiet", "-o", "/dev/null"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const loaded = new Set(JSON.parse(r.stderr) as string[]);
    expect(loaded.has("NativeModule vm")).toBe(true);
    for (const name of ["crypto", "worker_threads", "child_process"]) expect(loaded.has(`NativeModule ${name}`), name).toBe(false);
  });

  it("loads the packages it imports on demand (mathjs for --assert, Vega for plot), which a script cannot import itself", () => {
    const r = node(BIN, ["sim", "-g", "1", "-r", "2", "--assert", "var_ratio[1] < 100", "--quiet"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const results = join(tempDir(), "r.json");
    expect(node(BIN, ["sim", "-g", "1", "-r", "2", "--format", "json", "-o", results]).status).toBe(0);
    const plot = node(BIN, ["plot", results, "--format", "svg"]);
    expect(plot.stderr).toBe("");
    expect(plot.stdout).toMatch(/^<svg/);
  });

  it("gives the same bytes as the module-by-module build, on this thread and on workers (gmm, a sweep)", () => {
    // One run on this thread (ngram, which also reads its bundled corpus by a path), one on a
    // coordinator and a replicate worker (a 2-D mixture, whose EM is estimated at its worst case:
    // over the in-thread limit, src/engine/work.ts), one sweep on its workers (its own pool, from
    // another folder of dist/).
    for (const args of [
      ["sim", "--model", "gmm", "--dims", "2", "-g", "20", "-r", "7", "--seed-size", "30", "--format", "csv", "--jobs", "2"],
      ["sweep", "--model", "gmm", "--dims", "2", "--grid", "sample-size=20,40", "-g", "10", "-r", "7", "--seed-size", "30", "--format", "csv", "--jobs", "1"],
      ["sim", "--model", "ngram", "-g", "1", "-r", "1", "-m", "200", "--format", "ndjson", "--jobs", "1"],
    ]) {
      const a = node(BIN, args);
      const b = runModules(args);
      expect(a.status, `${args.join(" ")}: ${a.stderr}`).toBe(0);
      expect(a.stdout, args.join(" ")).toBe(b.stdout);
    }
  });
});
