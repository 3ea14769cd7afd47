/**
 * runParallel on worker threads, in-process. A worker script under src/ is run from its build in
 * dist/ (the suite builds it first), or replaced by a throwaway script that misbehaves.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import type { Prepared } from "../../src/core/loop.js";
import { prepare as prepareHere } from "../../src/core/run.js";
import { loadSeed } from "../../src/core/seed.js";
import { loadSeedSync } from "../../src/data/seed-file.js";
import { REPLICATE_WORKER, runParallel, staysInThread, type WorkerTask } from "../../src/engine/parallel.js";
import { startSession } from "../../src/engine/session.js";
import { releaseSpares, startSpares } from "../../src/engine/spare-workers.js";
import { SPLIT_MIN_VALUES, type SummaryTask } from "../../src/engine/summaries.js";
import { liveWorkers } from "../../src/engine/workers.js";
import { getModel } from "../../src/models/index.js";
import { tempDir } from "../cli/cli.js";
import { flags } from "../helpers.js";
import { prepare, simulate } from "../run.js";
import { redirect, resetRedirect } from "./redirected-workers.js";

vi.mock("../../src/builtins.js", async (original) => (await import("./redirected-workers.js")).redirectedBuiltins(original));

afterEach(resetRedirect);

/**
 * A mixture run long enough by its estimate to go to workers (a 2-D mixture's EM is priced for its
 * worst case: 0.6 s), which takes a tenth of that.
 */
function mixture(): Prepared {
  const { prepared } = prepare(resolveSimConfig(flags({ model: "gmm", dims: "2", generations: "20", replicates: "7", seedSize: "30", seed: "11" })));
  expect(staysInThread(prepared)).toBe(false);
  return prepared;
}

/** In a misbehaving worker: true for the one worker that takes replicate 0 from the shared queue. */
const TAKES_FIRST = "Atomics.add(new Int32Array(task.queue.cursor), 0, 1) === 0";

function misbehaving(body: string): URL {
  const path = join(tempDir(), "worker.mjs");
  writeFileSync(path, `import { parentPort } from "node:worker_threads";\nparentPort.on("message", (task) => {\n${body}\n});\n`);
  return pathToFileURL(path);
}

describe("staysInThread", () => {
  it("counts the seed fit's pass over the seed data: a large seed goes off the main thread however short the run", () => {
    const run = (seedSize: string) => prepare(resolveSimConfig(flags({ seedSize, sampleSize: "10", generations: "2", replicates: "5" }))).prepared;
    expect(staysInThread(run("100"))).toBe(true);
    expect(staysInThread(run("5000000"))).toBe(false);
  });
});

describe("a model that shares its shaped seed data (Model.shareSeed)", () => {
  it("sends the n-gram model's workers its tokens, not its text; they give the result of this thread", { timeout: 30_000 }, async () => {
    const file = join(tempDir(), "text.txt");
    const words = ["the", "tower’s", "of", "a", "château", "rose", "over", "old", "stone", "bells", "and"];
    writeFileSync(file, Array.from({ length: 60_000 }, (_, i) => words[(i * 7 + (i >> 3)) % words.length]).join(" "));
    const config = resolveSimConfig(flags({ model: "ngram", data: file, generations: "10", replicates: "4", seed: "shaped" }));
    const seed = loadSeedSync(getModel("ngram"), config);
    const { prepared: p } = prepare(config, seed);
    expect(staysInThread(p)).toBe(false);
    const expected = JSON.stringify(await runParallel(p, 1, undefined, { inThread: true }));
    const result = await runParallel(p, 3, undefined, { computesToo: true });
    expect(JSON.stringify(result)).toBe(expected);
    const tasks = redirect.posted.filter((m): m is WorkerTask => typeof m === "object" && m !== null && "queue" in m);
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(task.seed.input).toBeNull();
      expect((task.seeded as { data: unknown }).data).toBeInstanceOf(Int32Array);
    }
    // What a worker makes of them: the seed data, reference and first metrics of the text itself.
    const sent = structuredClone(tasks[0]!.seeded);
    const { prepared: q } = prepareHere(config, { ...seed, input: null }, null, undefined, sent);
    expect(q.data0).toEqual(p.data0);
    expect(q.heldOut).toEqual(p.heldOut);
    expect(JSON.stringify(q.metrics0)).toBe(JSON.stringify(p.metrics0));
    expect(q.model.extinctions!.categories(q.reference)).toEqual(p.model.extinctions!.categories(p.reference));
  });
});

describe("runParallel on workers", () => {
  it("gives the same result for 1 and 3 jobs (7 replicates: chunks of 2, 1, …) as in this thread, and every generation's progress", async () => {
    const p = mixture();
    const expected = JSON.stringify(await runParallel(p, 1, undefined, { inThread: true }));
    for (const jobs of [1, 3]) {
      let ticks = 0;
      const result = await runParallel(p, jobs, () => ticks++);
      expect(JSON.stringify(result)).toBe(expected);
      expect(ticks).toBe(7 * 20);
      expect(redirect.made.length).toBeGreaterThan(0);
      expect(liveWorkers()).toHaveLength(0);
      for (const w of redirect.made) expect(w.threadId).toBe(-1);
      redirect.made = [];
    }
  });

  it("computesToo (a coordinator): this thread runs a share, jobs − 1 workers the rest; the same result and progress", async () => {
    const p = mixture();
    const expected = JSON.stringify(await runParallel(p, 1, undefined, { inThread: true }));
    for (const jobs of [1, 3]) {
      let ticks = 0;
      const result = await runParallel(p, jobs, () => ticks++, { computesToo: true });
      expect(JSON.stringify(result)).toBe(expected);
      expect(ticks).toBe(7 * 20);
      expect(redirect.made).toHaveLength(jobs - 1);
      expect(liveWorkers()).toHaveLength(0);
      redirect.made = [];
    }
  });

  it("computesToo: a worker that fails ends the run at this thread's next replicate, not after its whole share", { timeout: 20_000 }, async () => {
    redirect.script = misbehaving("process.exit(3);");
    // 400 replicates: 200 of them this thread's, seconds of work; the worker dies as it starts.
    const { prepared } = prepare(resolveSimConfig(flags({ model: "gmm", dims: "2", generations: "20", replicates: "400", seedSize: "30", seed: "11" })));
    let ticks = 0;
    await expect(runParallel(prepared, 2, () => ticks++, { computesToo: true })).rejects.toThrow(/stopped unexpectedly \(exit code 3\)/);
    expect(ticks).toBeLessThan(200 * 20);
    expect(liveWorkers()).toHaveLength(0);
  });

  it("a worker that exits without a word rejects, naming the exit code (it does not hang)", { timeout: 20_000 }, async () => {
    redirect.script = misbehaving("process.exit(3);");
    await expect(runParallel(mixture(), 2)).rejects.toThrow(/stopped unexpectedly \(exit code 3\)/);
    expect(liveWorkers()).toHaveLength(0);
    for (const w of redirect.made) expect(w.threadId).toBe(-1);
  });

  it("a worker's error stops its siblings before the run rejects", { timeout: 20_000 }, async () => {
    // The worker that takes replicate 0 from the queue fails; every other one never ends.
    redirect.script = misbehaving(
      `if (${TAKES_FIRST}) parentPort.postMessage({ type: "error", error: { message: "the fit diverged", exitCode: null, stack: "Error: the fit diverged" } });`,
    );
    await expect(runParallel(mixture(), 3)).rejects.toThrow(/the fit diverged/);
    expect(redirect.made).toHaveLength(3);
    expect(liveWorkers()).toHaveLength(0);
    for (const w of redirect.made) expect(w.threadId).toBe(-1);
  });

  it("a worker's uncaught exception stops its siblings before the run rejects", { timeout: 20_000 }, async () => {
    redirect.script = misbehaving(`if (${TAKES_FIRST}) throw new Error("out of stack");`);
    await expect(runParallel(mixture(), 3)).rejects.toThrow(/out of stack/);
    expect(liveWorkers()).toHaveLength(0);
    for (const w of redirect.made) expect(w.threadId).toBe(-1);
  });
});

describe("startSession", () => {
  const session = async (o: Record<string, string>, jobs: number) => {
    const config = resolveSimConfig(flags({ model: "gmm", dims: "2", seedSize: "30", seed: "5", ...o }));
    const result = await (await startSession(config, loadSeed(getModel("gmm"), config), jobs)).run();
    expect(JSON.stringify(result)).toBe(JSON.stringify(simulate(config).result));
  };

  it("prepares and runs a mixture that is short by its estimate in this thread: no worker", async () => {
    await session({ generations: "3", replicates: "5" }, 2);
    expect(redirect.made).toHaveLength(0);
  });

  it("sends a long one to a coordinator worker", async () => {
    await session({ generations: "100", replicates: "1" }, 2);
    expect(redirect.made).toHaveLength(1);
    expect(liveWorkers()).toHaveLength(0);
  });
});

describe("runParallel off the main thread (a coordinator)", () => {
  it("runs a long run's single replicate itself, where the main thread would use a worker", async () => {
    const { prepared } = prepare(resolveSimConfig(flags({ model: "gmm", dims: "2", generations: "100", replicates: "1", seedSize: "30", seed: "5" })));
    expect(staysInThread(prepared)).toBe(false);
    const here = JSON.stringify(await runParallel(prepared, 2, undefined, { computesToo: true }));
    expect(redirect.made).toHaveLength(0);
    expect(JSON.stringify(await runParallel(prepared, 2))).toBe(here);
    expect(redirect.made).toHaveLength(1);
  });
});

describe("spare workers (src/engine/spare-workers.ts), started before their pool", () => {
  it("are taken by the pool in place of new ones: the same result, no thread more", async () => {
    const p = mixture();
    const expected = JSON.stringify(await runParallel(p, 1, undefined, { inThread: true }));
    startSpares(REPLICATE_WORKER, 2);
    expect(redirect.made).toHaveLength(2);
    const result = await runParallel(p, 3, undefined, { computesToo: true });
    expect(JSON.stringify(result)).toBe(expected);
    expect(redirect.made).toHaveLength(2);
    releaseSpares();
    expect(liveWorkers()).toHaveLength(0);
  });

  it("that the run does not need are let go as soon as its pool has started", async () => {
    startSpares(REPLICATE_WORKER, 3);
    const p = mixture();
    // Two threads at work: this one and one worker; two spares are left over.
    const running = runParallel(p, 2, undefined, { computesToo: true });
    expect(liveWorkers()).toHaveLength(1);
    await running;
    expect(redirect.made).toHaveLength(3);
    expect(liveWorkers()).toHaveLength(0);
    // And releaseSpares stops any left when nothing ran.
    startSpares(REPLICATE_WORKER, 1);
    expect(liveWorkers()).toHaveLength(1);
    releaseSpares();
    expect(liveWorkers()).toHaveLength(0);
  });

  it("that stopped before the pool came are passed over: the pool starts a new worker, and the run succeeds", { timeout: 20_000 }, async () => {
    // An empty script ends at once: a worker that has stopped by the time it is wanted.
    const empty = join(tempDir(), "empty.mjs");
    writeFileSync(empty, "");
    redirect.script = pathToFileURL(empty);
    startSpares(REPLICATE_WORKER, 1);
    const spare = redirect.made[0]!;
    await new Promise((stopped) => spare.once("exit", stopped));
    redirect.script = null;
    const p = mixture();
    const expected = JSON.stringify(await runParallel(p, 1, undefined, { inThread: true }));
    expect(JSON.stringify(await runParallel(p, 2, undefined, { computesToo: true }))).toBe(expected);
    expect(redirect.made).toHaveLength(2);
    releaseSpares();
    expect(liveWorkers()).toHaveLength(0);
  });
});

describe("a large run's summaries on two threads (src/engine/summaries.ts)", () => {
  /** A Gaussian run over SPLIT_MIN_VALUES replicate values: (G + 1) × metrics × R. */
  function large(o: Record<string, string>): Prepared {
    const { prepared } = prepare(resolveSimConfig(flags({ sampleSize: "10", seed: "halves", ...o })));
    const { generations, replicates } = prepared.config;
    expect((generations + 1) * prepared.metricNames.length * replicates).toBeGreaterThanOrEqual(SPLIT_MIN_VALUES);
    expect(staysInThread(prepared)).toBe(false);
    return prepared;
  }

  it("half of the metrics summarised on a worker: the result of one thread, and no thread left", { timeout: 30_000 }, async () => {
    const p = large({ generations: "300", replicates: "300" });
    const expected = JSON.stringify(await runParallel(p, 1, undefined, { inThread: true }));
    const result = await runParallel(p, 2, undefined, { computesToo: true });
    expect(JSON.stringify(result)).toBe(expected);
    const tasks = redirect.posted.filter((m): m is SummaryTask => typeof m === "object" && m !== null && "shape" in m);
    expect(tasks).toHaveLength(1);
    // The second half of the metrics, with their values only.
    const k = p.metricNames.length - Math.ceil(p.metricNames.length / 2);
    expect(tasks[0]!.shape.metricCount).toBe(k);
    for (const b of tasks[0]!.blocks) expect(b.values).toHaveLength(k);
    expect(liveWorkers()).toHaveLength(0);
  });

  it("a summary worker that stops rejects the run, naming its exit code", { timeout: 30_000 }, async () => {
    // One replicate: no replicate worker, so the only worker is the summary worker.
    const p = large({ generations: "80000", replicates: "1" });
    redirect.script = misbehaving("process.exit(3);");
    await expect(runParallel(p, 2, undefined, { computesToo: true })).rejects.toThrow(/stopped unexpectedly \(exit code 3\)/);
    expect(redirect.made).toHaveLength(1);
    expect(liveWorkers()).toHaveLength(0);
  });
});
