/**
 * The Gaussian's --quantiles passes only ever read large arrays; they are run on a few values as
 * src/stats/select-buckets.ts loads, so that V8 has seen every line of them before it compiles
 * them. Without that, V8 compiled the Gaussian's --quantiles passes inside
 * their first call's loop and threw the code away after the loop at every later call. Checked
 * with V8's own --trace-deopt in a child process: six calls, as six generations make; no timing
 * involved.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT } from "../cli/cli.js";

const url = (path: string) => JSON.stringify(pathToFileURL(join(ROOT, path)).href);

/** The names of the functions V8 deoptimised while `script` ran, once per deoptimisation. */
function deoptimised(script: string): string[] {
  const r = spawnSync(process.execPath, ["--trace-deopt", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  expect(r.status, r.stderr).toBe(0);
  return [...r.stdout.matchAll(/bailout \(kind: deopt-[a-z]+, reason: [^)]*\): begin\. deoptimizing \S+ <JSFunction (\w+)/g)].map((m) => m[1]!);
}

describe("warm-up at load", () => {
  it("keeps the Gaussian's counting and keeping passes compiled from one large sample to the next", () => {
    const names = deoptimised(`
      const { bucketLayout, meanCountingBuckets, planBuckets, varianceKeeping } = await import(${url("dist/stats/select-buckets.js")});
      const { fillNormal } = await import(${url("dist/stats/ziggurat.js")});
      const { Rng } = await import(${url("dist/stats/rng.js")});
      const n = 200001, x = new Float64Array(n), rng = new Rng("warm-up test");
      for (let g = 0; g < 6; g++) {
        fillNormal(x, rng, 0.5, 2);
        const layout = bucketLayout(x, n);
        const { mean, counted } = meanCountingBuckets(x, n, layout);
        varianceKeeping(x, mean, 0, n, planBuckets(counted, [100, 100000, 199000]));
      }`);
    // At most one each: V8 compiles on another thread, and how far a loop has run when its code
    // arrives can vary; without the warm-up each was thrown away at every call (six times).
    for (const pass of ["meanCountingBuckets", "varianceKeeping"]) expect(names.filter((name) => name === pass).length, pass).toBeLessThanOrEqual(1);
  });
});
