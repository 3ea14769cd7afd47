/**
 * The start-up bundle (scripts/bundle.mjs): bin/collapse.js runs dist/bundle/main.js, the compiled
 * modules joined into one file. It must be the same program as dist/cli/main.js, workers included
 * (their scripts, bundled in place, are found from the bundle's folder too).
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./cli.js";

/** Runs `entry`'s main() with these arguments, as bin/collapse.js does (from a script file: workers inherit node's flags, so no --eval). */
function run(entry: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const script = join(tempDir(), "run.mjs");
  writeFileSync(script, `const { main } = await import(${JSON.stringify(pathToFileURL(join(ROOT, entry)).href)});\nawait main(process.argv);\n`);
  const r = spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the start-up bundle", () => {
  it("exists after the build, and bin/collapse.js prefers it", () => {
    expect(existsSync(join(ROOT, "dist", "bundle", "main.js"))).toBe(true);
  });

  it("gives the same bytes as the module-by-module build, on this thread and on workers (gmm, a sweep)", () => {
    // One run on this thread, one on a coordinator and replicate workers (a gmm run estimated
    // over the in-thread limit: src/engine/work.ts), one sweep on its workers (its own pool, from
    // another folder of dist/); ngram reads its bundled corpus by a path.
    for (const args of [
      ["sim", "-g", "3", "-r", "20", "--format", "json"],
      ["sim", "--model", "gmm", "-g", "50", "-r", "8", "-m", "60", "--seed-size", "60", "--format", "csv", "--jobs", "2"],
      ["sweep", "--grid", "sample-size=20,40", "-g", "20", "-r", "1000", "--format", "csv", "--jobs", "1"],
      ["sim", "--model", "ngram", "-g", "1", "-r", "1", "-m", "200", "--format", "ndjson", "--jobs", "1"],
    ]) {
      const a = run("dist/bundle/main.js", args);
      const b = run("dist/cli/main.js", args);
      expect(a.status, `${args.join(" ")}: ${a.stderr}`).toBe(0);
      expect(a.stdout, args.join(" ")).toBe(b.stdout);
    }
  });
});
