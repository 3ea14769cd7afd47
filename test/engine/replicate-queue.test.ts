/**
 * The replicate queue (src/engine/replicate-queue.ts): every replicate taken exactly once, in
 * shrinking chunks, by any number of threads taking at the same time.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { ReplicateQueue } from "../../src/engine/replicate-queue.js";
import { ROOT } from "../cli/cli.js";

describe("ReplicateQueue", () => {
  it("hands out chunks of a share of what is left, down to one, covering [from, to) once", () => {
    const queue = ReplicateQueue.create(10, 110, 2);
    const sizes: number[] = [];
    let expected = 10;
    for (let range = queue.takeChunk(); range !== null; range = queue.takeChunk()) {
      expect(range[0]).toBe(expected);
      expected = range[1];
      sizes.push(range[1] - range[0]);
    }
    expect(expected).toBe(110);
    // A quarter of what is left for two threads: 25 of 100, then 19 of 75, … then ones.
    expect(sizes.slice(0, 3)).toEqual([25, 19, 14]);
    expect(sizes.at(-1)).toBe(1);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]!);
    expect(queue.takeOne()).toBeNull();
  });

  it("takeOne and takeChunk share the cursor; an empty range gives nothing", () => {
    const queue = ReplicateQueue.create(0, 3, 4);
    expect(queue.takeOne()).toBe(0);
    expect(queue.takeChunk()).toEqual([1, 2]);
    expect(queue.takeOne()).toBe(2);
    expect(queue.takeChunk()).toBeNull();
    expect(ReplicateQueue.create(5, 5, 2).takeOne()).toBeNull();
  });

  it("gives every replicate to exactly one of three threads taking one at a time, all at once", async () => {
    const R = 300_000;
    // A race is only a test if the threads took at the same time: at least two of them with
    // interleaved replicates, 1,000 or more each. On a loaded machine one thread may be descheduled
    // for the few milliseconds a race lasts, so a race without overlap is run again (at most 3 times);
    // every race, overlapping or not, must give each replicate exactly once.
    let overlapped = false;
    for (let attempt = 0; attempt < 3 && !overlapped; attempt++) {
      const all = await race(R);
      const seen = new Uint8Array(R);
      for (const taken of all) for (const r of taken) seen[r]!++;
      expect(seen.every((n) => n === 1)).toBe(true);
      const spans = all.filter((t) => t.length >= 1000).map((t) => [t[0]!, t.at(-1)!] as const);
      overlapped = spans.some(([lo, hi], i) => spans.some(([lo2, hi2], j) => i !== j && lo < hi2 && lo2 < hi));
    }
    expect(overlapped, "the threads never took replicates at the same time").toBe(true);
  });
});

/** Three threads (this one and two workers) take replicates [0, R) one at a time from one queue, started together. */
async function race(R: number): Promise<number[][]> {
  const queue = ReplicateQueue.create(0, R, 3);
  // Every thread starts taking at the same moment: the workers wait on `go` once loaded.
  const go = new Int32Array(new SharedArrayBuffer(4));
  // The built module (the suite builds dist/ first): a worker cannot load TypeScript.
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    import(workerData.module).then(({ ReplicateQueue }) => {
      const queue = new ReplicateQueue(workerData.handle);
      const go = new Int32Array(workerData.go);
      parentPort.postMessage("ready");
      Atomics.wait(go, 0, 0);
      const taken = [];
      for (let r = queue.takeOne(); r !== null; r = queue.takeOne()) taken.push(r);
      parentPort.postMessage(taken);
    });`;
  const module = join(ROOT, "dist", "engine", "replicate-queue.js");
  const ready: Promise<void>[] = [];
  const others = [0, 1].map(
    () =>
      new Promise<number[]>((done, fail) => {
        const w = new Worker(code, { eval: true, workerData: { module, handle: queue.handle, go: go.buffer } });
        ready.push(new Promise((isReady) => w.once("message", () => isReady())));
        w.once("error", fail);
        void ready.at(-1)!.then(() => w.once("message", (taken: number[]) => void w.terminate().then(() => done(taken))));
      }),
  );
  await Promise.all(ready);
  Atomics.store(go, 0, 1);
  Atomics.notify(go, 0);
  const mine: number[] = [];
  for (let r = queue.takeOne(); r !== null; r = queue.takeOne()) mine.push(r);
  return [mine, ...(await Promise.all(others))];
}
