/**
 * `collapse check` of the largest baseline the tool writes (10⁵ generations, 275 MB): it passes
 * against its own re-run, and its thread never goes a second without a turn of its event loop, so
 * Ctrl-C is answered within the second README promises. Reading the baseline, re-making the re-run's
 * document and comparing 1.4 million means each held the thread for 1–3 s in one synchronous go
 * (the baseline's JSON.parse among them), and a signal during the comparison went unheard: the check
 * ran on and exited 0. Now the JSON is parsed in pieces (src/data/json-steps.ts), the re-run's
 * document made in steps (src/core/result-columns.ts) and the means compared a metric at a time
 * (src/check/compare.ts), with turns between.
 *
 * The longest stretch is measured in a child process of its own (no test runner sharing its heap), by
 * a 5 ms interval timer: the gap between two of its calls is the longest a signal would have waited.
 * After the change the longest is about 0.3 s on a 2-core machine, before it 1.2–2.7 s; the bound is
 * README's 1 s.
 */
import { spawnSync } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { collapseAsync, ROOT, tempDir } from "../cli/cli.js";

const ANSWER_MS = 1000;

describe("check of a 10⁵-generation baseline", () => {
  let baseline = "";
  beforeAll(async () => {
    baseline = join(tempDir(), "long.json");
    const r = await collapseAsync(["sim", "-g", "100000", "-r", "1", "-m", "10", "--quiet", "--save-baseline", baseline, "-o", "/dev/null"]);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(baseline).size).toBeGreaterThan(200e6);
  });

  it("passes against its own re-run, never holding its thread for a second", () => {
    const script = `
      const { check } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "dist/lib/check.js")).href)});
      const { passed } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "dist/check/report.js")).href)});
      let last = performance.now();
      let longest = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 5);
      const report = await check(${JSON.stringify(baseline)}, { jobs: 2 });
      clearInterval(timer);
      console.log(JSON.stringify({ passed: passed(report), compared: report.comparison.compared, longest: Math.round(longest) }));`;
    // A file, not -e: the check's worker threads inherit the process's options, and --input-type is not theirs.
    const file = join(tempDir(), "lag.mjs");
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const { passed, compared, longest } = JSON.parse(r.stdout) as { passed: boolean; compared: number; longest: number };
    expect(passed).toBe(true);
    expect(compared).toBe(100_001 * 14);
    expect(longest, `the thread was held for ${longest} ms`).toBeLessThan(ANSWER_MS);
  });
});
