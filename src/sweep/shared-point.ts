/**
 * A sweep point whose replicates other sweep workers may help with, once they have no point of
 * their own left: without it, a sweep's last or largest point runs on one worker while the others
 * stand idle (a sweep of one large point and a few small ones takes as long with --jobs 2 as with
 * --jobs 1).
 *
 * The worker running the point (its owner) prepares generation 0, takes replicate 0, then
 * announces the point: its replicate queue (src/engine/replicate-queue.ts) and a results
 * store, both in shared memory. Owner and helpers take replicates from the queue, write each one's
 * metrics, training mix and extinctions into the store, and count it done; the owner, out of
 * replicates to take, waits until every one is counted, then assembles the point from the store
 * as from one block. Replicate 0, whose samples --show-samples prints, is always the owner's.
 * Which thread runs a replicate does not change its numbers, so the output is the same bytes.
 */
import type { Prepared, ReplicateBlock } from "../core/loop.js";
import { runReplicates } from "../core/loop.js";
import { type QueueHandle, ReplicateQueue } from "../engine/replicate-queue.js";

/** What the owner announces: everything a helper needs besides the point's own task. */
export interface SharedPoint {
  readonly queue: QueueHandle;
  /** Int32 [0]: replicates done, by anyone. */
  readonly done: SharedArrayBuffer;
  /** Float64, one block of all R replicates: each metric's values, then real, then synthetic rows. */
  readonly values: SharedArrayBuffer;
  /** Int32, R × categories: the first generation each category was extinct (−1: never); null without extinctions. */
  readonly deaths: SharedArrayBuffer | null;
}

/**
 * A point is shared only when there are other workers, it has replicates to spare, and it is long
 * by its estimate (src/engine/work.ts): a helper costs a worker's start and its own preparation of
 * generation 0, tens of milliseconds.
 */
export const SHARE_MIN_NS = 300e6;

export function worthSharing(replicates: number, jobs: number, estimatedNs: number): boolean {
  return jobs > 1 && replicates >= 4 && estimatedNs >= SHARE_MIN_NS;
}

/**
 * The owner's side: every replicate of `p`, some run here and the rest by helpers; `announce`
 * sends the shared point to the pool once this thread has taken replicate 0.
 */
export function runSharedPoint(p: Prepared, jobs: number, announce: (shared: SharedPoint) => void): ReplicateBlock {
  const R = p.config.replicates;
  const queue = ReplicateQueue.create(0, R, jobs);
  // Replicate 0 is this thread's (its samples are not in the store); the rest are offered at once.
  queue.takeOne();
  const shared = newStore(p, queue.handle);
  announce(shared);
  const own = runReplicates(p, 0, 1);
  store(shared, p, own);
  for (let range = queue.takeChunk(); range !== null; range = queue.takeChunk()) store(shared, p, runReplicates(p, range[0], range[1]));
  // The rest are a helper's, under way: wait for them (a helper that fails stops this worker too).
  const done = new Int32Array(shared.done);
  for (let n = Atomics.load(done, 0); n < R; n = Atomics.load(done, 0)) Atomics.wait(done, 0, n, 50);
  return fromStore(shared, p, own.samples);
}

/** A helper's side: replicates of the shared point until none is left to take. */
export function helpWithPoint(p: Prepared, shared: SharedPoint): void {
  const queue = new ReplicateQueue(shared.queue);
  for (let range = queue.takeChunk(); range !== null; range = queue.takeChunk()) store(shared, p, runReplicates(p, range[0], range[1]));
}

function newStore(p: Prepared, queue: QueueHandle): SharedPoint {
  const R = p.config.replicates;
  const categories = p.categories?.length ?? 0;
  const cells = (p.metricNames.length + 2) * (p.config.generations + 1) * R;
  return {
    queue,
    done: new SharedArrayBuffer(4),
    values: new SharedArrayBuffer(8 * cells),
    deaths: p.model.extinctions ? new SharedArrayBuffer(4 * R * categories) : null,
  };
}

/** The store's arrays: a block's layout for replicates [0, R) (ReplicateBlock). */
function views(shared: SharedPoint, p: Prepared) {
  const R = p.config.replicates;
  const size = (p.config.generations + 1) * R;
  const all = new Float64Array(shared.values);
  const series = Array.from({ length: p.metricNames.length + 2 }, (_, i) => all.subarray(i * size, (i + 1) * size));
  return { R, series, deaths: shared.deaths === null ? null : new Int32Array(shared.deaths) };
}

/** Writes a block's replicates into the store and counts them done. */
function store(shared: SharedPoint, p: Prepared, block: ReplicateBlock): void {
  const { R, series, deaths } = views(shared, p);
  const count = block.to - block.from;
  const from = [...block.values, block.real, block.synthetic];
  for (let s = 0; s < series.length; s++) {
    for (let g = 0; g <= p.config.generations; g++) {
      for (let i = 0; i < count; i++) series[s]![g * R + block.from + i] = from[s]![g * count + i]!;
    }
  }
  if (deaths !== null && block.deaths !== null) {
    block.deaths.forEach((died, i) => deaths.set(died, (block.from + i) * died.length));
  }
  const done = new Int32Array(shared.done);
  Atomics.add(done, 0, count);
  Atomics.notify(done, 0);
}

/** The whole point as one block, read from the store (copies: the store is shared memory). */
function fromStore(shared: SharedPoint, p: Prepared, samples: string[] | null): ReplicateBlock {
  const { R, series, deaths } = views(shared, p);
  const copies = series.map((s) => s.slice());
  const categories = deaths === null ? 0 : deaths.length / R;
  return {
    from: 0,
    to: R,
    values: copies.slice(0, p.metricNames.length),
    real: copies[p.metricNames.length]!,
    synthetic: copies[p.metricNames.length + 1]!,
    deaths: deaths === null ? null : Array.from({ length: R }, (_, r) => deaths.slice(r * categories, (r + 1) * categories)),
    samples,
  };
}
