/**
 * preflight in-process: mixtures are prepared on the preflight worker, run from its build in dist/
 * (the suite builds it first) or replaced by a throwaway script that misbehaves.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { estimateWork, fitsInThread, IN_THREAD_LIMIT_NS } from "../../src/engine/work.js";
import { liveWorkers } from "../../src/engine/workers.js";
import { CollapseError } from "../../src/errors.js";
import { preflight } from "../../src/sweep/preflight.js";
import { tempDir } from "../cli/cli.js";
import { redirect, resetRedirect } from "../engine/redirected-workers.js";
import { flags } from "../helpers.js";

vi.mock("../../src/builtins.js", async (original) => (await import("../engine/redirected-workers.js")).redirectedBuiltins(original));

afterEach(resetRedirect);

const point = (index: number, o: Record<string, string>) => ({ index, config: resolveSimConfig(flags({ model: "gmm", ...o })) });
/** A mixture so wide that even a tiny seed's fit is estimated too long for this thread (src/engine/work.ts). */
const WIDE = { dims: "24" };
const label = (index: number) => `point ${index + 1} of 3`;

function stopped(): void {
  expect(redirect.made).toHaveLength(1);
  expect(liveWorkers()).toHaveLength(0);
  for (const w of redirect.made) expect(w.threadId).toBe(-1);
}

describe("preflight of mixtures", () => {
  it("prepares them on one worker, which is stopped after", async () => {
    const points = [point(0, { components: "2", ...WIDE }), point(1, { components: "3", ...WIDE })];
    for (const p of points) expect(fitsInThread(estimateWork(p.config, null).fit)).toBe(false);
    const { notes, seeds } = await preflight(points, label);
    expect(notes).toEqual([]);
    expect(seeds.size).toBe(0);
    stopped();
  });

  it("fits small ones here while their estimates add up to less than the limit, and the rest on the worker", async () => {
    const small = point(0, { components: "2", dims: "2", seedSize: "10000" });
    const fit = estimateWork(small.config, null).fit;
    const fitting = Math.floor(IN_THREAD_LIMIT_NS / fit);
    expect(fitting).toBeGreaterThan(1);
    expect(fitting).toBeLessThan(6);
    const points = Array.from({ length: fitting + 2 }, (_, i) => ({ ...small, index: i }));
    await preflight(points, label);
    stopped();
    redirect.made = [];
    await preflight(points.slice(0, fitting), label);
    expect(redirect.made).toHaveLength(0);
  });

  it("names the first point that cannot start", async () => {
    const points = [
      point(0, { components: "2", ...WIDE }),
      point(1, { components: "8", seedSize: "5", ...WIDE }),
      point(2, { components: "9", seedSize: "5", ...WIDE }),
    ];
    for (const p of points) expect(fitsInThread(estimateWork(p.config, null).fit)).toBe(false);
    const error = await preflight(points, label).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollapseError);
    expect((error as Error).message).toMatch(/^point 2 of 3: .*5 row\(s\) but --components is 8: fewer points than components/);
    stopped();
  });

  it("a preflight worker that exits without a word rejects, naming the exit code (it does not hang)", { timeout: 20_000 }, async () => {
    const path = join(tempDir(), "worker.mjs");
    writeFileSync(path, `import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => process.exit(3));\n`);
    redirect.script = pathToFileURL(path);
    await expect(preflight([point(0, WIDE)], label)).rejects.toThrow(/preflight worker stopped unexpectedly \(exit code 3\)/);
    stopped();
  });
});
