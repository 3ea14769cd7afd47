/**
 * The worker pool (src/engine/pool.ts) with throwaway worker scripts. Which task finishes when is
 * set by gates in a SharedArrayBuffer — a worker waits on a gate that another worker or the test
 * opens — never by timers, so every test waits on events only.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Worker } from "node:worker_threads";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { poolResults, runPool } from "../../src/engine/pool.js";
import { liveWorkers, terminateWorkers } from "../../src/engine/workers.js";
import { CollapseError } from "../../src/errors.js";
import { tempDir } from "../cli/cli.js";

/** Where the finishing order is logged in the shared buffer: a count, then the task indexes. */
const LOG = 32;

/**
 * One worker script for every test. A task may open gates when it starts, wait on gates, post
 * progress, then: hang (never answer), exit, throw, post an error, or log its index as finished,
 * open gates and post its result. `served` counts the tasks this thread was sent.
 */
const GATED = `
import { parentPort, threadId } from "node:worker_threads";
let served = 0;
const open = (a, g) => { Atomics.store(a, g, 1); Atomics.notify(a, g); };
parentPort.on("message", (task) => {
  served++;
  const a = task.sab ? new Int32Array(task.sab) : null;
  for (const g of task.opensOnStart ?? []) open(a, g);
  for (const g of task.waits ?? []) while (Atomics.load(a, g) === 0) Atomics.wait(a, g, 0);
  for (let k = 0; k < (task.progress ?? 0); k++) parentPort.postMessage({ type: "progress", progress: { index: task.index, k } });
  if (task.hang) return;
  if (task.exit !== undefined) process.exit(task.exit);
  if (task.throws) throw new Error(task.throws);
  if (task.fail) return parentPort.postMessage({ type: "error", error: task.fail });
  // Logged and gates opened before the result: once it is in, the pool may stop this thread.
  if (a) Atomics.store(a, ${LOG} + 1 + Atomics.add(a, ${LOG}, 1), task.index);
  for (const g of task.opensOnDone ?? []) open(a, g);
  parentPort.postMessage({ type: "result", result: { index: task.index, thread: threadId, served } });
});
`;

interface Task {
  index: number;
  sab?: SharedArrayBuffer;
  opensOnStart?: number[];
  waits?: number[];
  progress?: number;
  hang?: boolean;
  exit?: number;
  throws?: string;
  fail?: { message: string; exitCode: number | null; stack?: string };
  opensOnDone?: number[];
}
interface Result {
  index: number;
  thread: number;
  served: number;
}
interface Progress {
  index: number;
  k: number;
}

let script: URL;
beforeAll(() => {
  const path = join(tempDir(), "gated.mjs");
  writeFileSync(path, GATED);
  script = pathToFileURL(path);
});

// A failing test must not leave threads behind for the next one.
afterEach(() => terminateWorkers());

/** Gates shared with the workers, and the order in which their tasks finished. */
function gates() {
  const sab = new SharedArrayBuffer(4 * 64);
  const a = new Int32Array(sab);
  return {
    sab,
    open(g: number) {
      Atomics.store(a, g, 1);
      Atomics.notify(a, g);
    },
    finished(): number[] {
      return Array.from({ length: Atomics.load(a, LOG) }, (_, k) => Atomics.load(a, LOG + 1 + k));
    },
  };
}

const tasks = (n: number, each: (i: number) => Omit<Task, "index">): Task[] => Array.from({ length: n }, (_, i) => ({ index: i, ...each(i) }));

/** Every thread the pool started is gone and none is tracked any more. */
function expectAllStopped(started: readonly Worker[]): void {
  expect(liveWorkers()).toHaveLength(0);
  for (const w of started) expect(w.threadId).toBe(-1);
}

describe("delivery", () => {
  it("task order: results are delivered in task order although they finish in reverse", async () => {
    const g = gates();
    // Task i waits until task i + 1 is done: they finish 3, 2, 1, 0.
    const list = tasks(4, (i) => ({ sab: g.sab, waits: i < 3 ? [i + 1] : [], opensOnDone: [i] }));
    const delivered: number[] = [];
    await runPool<Task, Result>({
      script,
      tasks: list,
      jobs: 4,
      order: "task",
      deliver: (r, i) => {
        expect(r.index).toBe(i);
        delivered.push(i);
      },
    });
    expect(g.finished()).toEqual([3, 2, 1, 0]);
    expect(delivered).toEqual([0, 1, 2, 3]);
  });

  it("task order: each result is delivered as soon as every earlier one is done, not at the end", async () => {
    const g = gates();
    // Task 3 runs only once task 1 has been delivered: were results held back until all were done, this would never end.
    const list: Task[] = [
      { index: 0, sab: g.sab, waits: [1] },
      { index: 1, sab: g.sab, opensOnDone: [1] },
      { index: 2, sab: g.sab, waits: [3] },
      { index: 3, sab: g.sab, waits: [10], opensOnDone: [3] },
    ];
    const delivered: number[] = [];
    await runPool<Task, Result>({
      script,
      tasks: list,
      jobs: 4,
      order: "task",
      deliver: (_, i) => {
        delivered.push(i);
        if (i === 1) g.open(10);
      },
    });
    expect(g.finished()).toEqual([1, 0, 3, 2]);
    expect(delivered).toEqual([0, 1, 2, 3]);
  });

  it("completion order: results are delivered as they arrive", async () => {
    const g = gates();
    // Task 3 is free; task i < 3 waits until task i + 1 has been delivered.
    const list = tasks(4, (i) => ({ sab: g.sab, waits: i < 3 ? [10 + i] : [] }));
    const delivered: number[] = [];
    await runPool<Task, Result>({
      script,
      tasks: list,
      jobs: 4,
      order: "completion",
      deliver: (r, i) => {
        expect(r.index).toBe(i);
        delivered.push(i);
        if (i > 0) g.open(10 + i - 1);
      },
    });
    expect(delivered).toEqual([3, 2, 1, 0]);
  });

  it("progress messages reach the callback with their task's index, before that task's result", async () => {
    const list = tasks(5, (i) => ({ progress: i + 1 }));
    const events: string[] = [];
    await runPool<Task, Result, Progress>({
      script,
      tasks: list,
      jobs: 2,
      order: "completion",
      onProgress: (p, i) => {
        expect(p.index).toBe(i);
        events.push(`progress ${i}.${p.k}`);
      },
      deliver: (_, i) => events.push(`result ${i}`),
    });
    for (let i = 0; i < 5; i++) {
      const mine = events.filter((e) => e.startsWith(`progress ${i}.`) || e === `result ${i}`);
      expect(mine).toEqual([...Array.from({ length: i + 1 }, (_, k) => `progress ${i}.${k}`), `result ${i}`]);
    }
  });

  it("poolResults returns every result in task order", async () => {
    const g = gates();
    const list = tasks(4, (i) => ({ sab: g.sab, waits: i < 3 ? [i + 1] : [], opensOnDone: [i] }));
    const results = await poolResults<Task, Result>({ script, tasks: list, jobs: 4 });
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });
});

describe("workers", () => {
  it("zero tasks resolve at once and start no worker", async () => {
    const nowhere = new URL("file:///nonexistent/worker.mjs");
    const pending = runPool({ script: nowhere, tasks: [], jobs: 4, order: "task", deliver: () => expect.unreachable() });
    expect(liveWorkers()).toHaveLength(0);
    await pending;
    expect(await poolResults({ script: nowhere, tasks: [], jobs: 4 })).toEqual([]);
  });

  it("more jobs than tasks start only as many workers as tasks; all are stopped and untracked after success", async () => {
    const pending = poolResults<Task, Result>({ script, tasks: tasks(3, () => ({})), jobs: 8 });
    const started = liveWorkers();
    expect(started).toHaveLength(3);
    expect((await pending).map((r) => r.index)).toEqual([0, 1, 2]);
    expectAllStopped(started);
  });

  it("fewer jobs than tasks: each worker takes the next task when it is done with one", async () => {
    const pending = poolResults<Task, Result>({ script, tasks: tasks(7, () => ({})), jobs: 2 });
    const started = liveWorkers();
    expect(started).toHaveLength(2);
    const results = await pending;
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const threads = new Set(results.map((r) => r.thread));
    expect(threads.size).toBeLessThanOrEqual(2);
    // Every thread counted the tasks it was sent: together, all of them.
    const served = [...threads].map((t) => Math.max(...results.filter((r) => r.thread === t).map((r) => r.served)));
    expect(served.reduce((s, n) => s + n, 0)).toBe(7);
    // Each worker's first task is the next in order: tasks 0 and 1, on the two threads (the
    // replicate workers get the seed data in their first task only).
    const firsts = results.filter((r) => r.served === 1);
    expect(firsts.map((r) => r.index)).toEqual([0, 1]);
    expect(new Set(firsts.map((r) => r.thread)).size).toBe(2);
    expectAllStopped(started);
  });
});

describe("failures stop every worker and reject once", () => {
  /** Task 0 does `what` once tasks 1 and 2 have started (they then hang); jobs 3. */
  async function failFirst(what: Omit<Task, "index">, options: { context?: (i: number) => string; name?: string } = {}) {
    const g = gates();
    const list: Task[] = [
      { index: 0, sab: g.sab, waits: [1, 2], ...what },
      { index: 1, sab: g.sab, opensOnStart: [1], hang: true },
      { index: 2, sab: g.sab, opensOnStart: [2], hang: true },
      { index: 3 },
    ];
    const delivered: number[] = [];
    const pending = runPool<Task, Result>({ script, tasks: list, jobs: 3, order: "completion", deliver: (_, i) => delivered.push(i), ...options });
    const started = liveWorkers();
    expect(started).toHaveLength(3);
    const error = await pending.then(
      () => expect.unreachable("the pool resolved"),
      (e: unknown) => e,
    );
    expectAllStopped(started);
    expect(delivered).toEqual([]);
    return error as Error;
  }

  it("an error a worker posts: a user's error becomes a CollapseError with its exit code, with the task's context", async () => {
    const e = await failFirst({ fail: { message: "no column named x", exitCode: 2 } }, { context: (i) => `point ${i + 1} of 4` });
    expect(e).toBeInstanceOf(CollapseError);
    expect((e as CollapseError).exitCode).toBe(2);
    expect(e.message).toBe("point 1 of 4: no column named x");
  });

  it("an error a worker posts: anything else is a plain Error with the worker's stack", async () => {
    const e = await failFirst({ fail: { message: "bug", exitCode: null, stack: "Error: bug\n    at kernel (model.js:1:1)" } });
    expect(e).not.toBeInstanceOf(CollapseError);
    expect(e.message).toBe("Error: bug\n    at kernel (model.js:1:1)");
  });

  it("a worker's uncaught exception (its 'error' event)", async () => {
    const e = await failFirst({ throws: "kaboom" });
    expect(e.message).toBe("kaboom");
  });

  it.each([3, 0])("a worker that exits (code %i) without its task's result: an error naming the code", async (code) => {
    const e = await failFirst({ exit: code }, { name: "a test worker", context: (i) => `task ${i}` });
    expect(e).not.toBeInstanceOf(CollapseError);
    expect(e.message).toBe(`task 0: a test worker stopped unexpectedly (exit code ${code})`);
  });

  it("a worker that exits, named by default", async () => {
    const e = await failFirst({ exit: 3 });
    expect(e.message).toMatch(/stopped unexpectedly \(exit code 3\)$/);
  });

  it("two workers failing together: the promise rejects with the first error only", async () => {
    const g = gates();
    const list: Task[] = [0, 1].map((i) => ({
      index: i,
      sab: g.sab,
      opensOnStart: [i],
      waits: [1 - i],
      fail: { message: `failure ${i}`, exitCode: 2 },
    }));
    const pending = runPool<Task, Result>({ script, tasks: list, jobs: 2, order: "task", deliver: () => expect.unreachable() });
    const started = liveWorkers();
    await expect(pending).rejects.toThrow(/^failure [01]$/);
    expectAllStopped(started);
  });

  it("a deliver callback that throws: the pool stops and rejects with its error", async () => {
    const g = gates();
    // Task 0 answers once task 1 has started and hangs.
    const list: Task[] = [
      { index: 0, sab: g.sab, waits: [1] },
      { index: 1, sab: g.sab, opensOnStart: [1], hang: true },
      ...tasks(3, () => ({})).map((t) => ({ ...t, index: t.index + 2 })),
    ];
    const disk = new Error("disk full");
    let calls = 0;
    const pending = runPool<Task, Result>({
      script,
      tasks: list,
      jobs: 2,
      order: "task",
      deliver: () => {
        calls++;
        throw disk;
      },
    });
    const started = liveWorkers();
    expect(started).toHaveLength(2);
    await expect(pending).rejects.toBe(disk);
    expect(calls).toBe(1);
    expectAllStopped(started);
  });

  it("a progress callback that throws: the pool stops and rejects with its error", async () => {
    const list = tasks(3, () => ({ progress: 1, hang: true }));
    const broken = new Error("cannot draw");
    const pending = runPool<Task, Result, Progress>({
      script,
      tasks: list,
      jobs: 3,
      order: "task",
      deliver: () => expect.unreachable(),
      onProgress: () => {
        throw broken;
      },
    });
    const started = liveWorkers();
    await expect(pending).rejects.toBe(broken);
    expectAllStopped(started);
  });

  it("a worker script that cannot load rejects (it does not hang)", async () => {
    const pending = runPool({ script: new URL("missing.mjs", script), tasks: [1, 2], jobs: 2, order: "task", deliver: () => expect.unreachable() });
    const started = liveWorkers();
    await expect(pending).rejects.toThrow(/missing\.mjs/);
    expectAllStopped(started);
  });
});
