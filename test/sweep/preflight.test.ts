/**
 * preflight in-process: mixtures are prepared on the preflight worker, run from its build in dist/
 * (the suite builds it first) or replaced by a throwaway script that misbehaves.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { liveWorkers } from "../../src/engine/workers.js";
import { CollapseError } from "../../src/errors.js";
import { preflight } from "../../src/sweep/preflight.js";
import { tempDir } from "../cli/cli.js";
import { redirect, resetRedirect } from "../engine/redirected-workers.js";
import { flags } from "../helpers.js";

vi.mock("node:worker_threads", async (original) => (await import("../engine/redirected-workers.js")).redirectedWorkerThreads(original));

afterEach(resetRedirect);

const point = (index: number, o: Record<string, string>) => ({ index, config: resolveSimConfig(flags({ model: "gmm", ...o })) });
const label = (index: number) => `point ${index + 1} of 3`;

function stopped(): void {
  expect(redirect.made).toHaveLength(1);
  expect(liveWorkers()).toHaveLength(0);
  for (const w of redirect.made) expect(w.threadId).toBe(-1);
}

describe("preflight of mixtures", () => {
  it("prepares them on one worker, which is stopped after", async () => {
    const { notes, seeds } = await preflight([point(0, { components: "2" }), point(1, { components: "3" })], label);
    expect(notes).toEqual([]);
    expect(seeds.size).toBe(0);
    stopped();
  });

  it("names the first point that cannot start", async () => {
    const points = [point(0, { components: "2" }), point(1, { components: "8", seedSize: "5" }), point(2, { components: "9", seedSize: "5" })];
    const error = await preflight(points, label).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollapseError);
    expect((error as Error).message).toMatch(/^point 2 of 3: .*5 row\(s\) but --components is 8: fewer points than components/);
    stopped();
  });

  it("a preflight worker that exits without a word rejects, naming the exit code (it does not hang)", { timeout: 20_000 }, async () => {
    const path = join(tempDir(), "worker.mjs");
    writeFileSync(path, `import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => process.exit(3));\n`);
    redirect.script = pathToFileURL(path);
    await expect(preflight([point(0, {})], label)).rejects.toThrow(/preflight worker stopped unexpectedly \(exit code 3\)/);
    stopped();
  });
});
