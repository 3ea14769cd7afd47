/**
 * A large run's summaries made by two threads. Summarising every (generation, metric) over the
 * replicates is what a run does alone once its replicates are done: 0.3 s of `sim -g 1000 -r 1000`
 * (14 million values), a tenth of a run of many small generations, with the other thread idle. A
 * metric's summaries depend on its values alone, so a worker summarises the second half of the
 * metrics, whose values are moved to it (not copied), while this thread summarises the first.
 * The numbers are the same whichever thread makes them.
 */
import { SUMMARY_KEYS, summarizeMetrics } from "../core/aggregate.js";
import type { Prepared, ReplicateBlock } from "../core/loop.js";
import { poolResults } from "./pool.js";
import { startSpares } from "./spare-workers.js";

/** The summary worker's script. Out of this folder and back: the same path from dist/ and from the start-up bundle. */
export const SUMMARY_WORKER = new URL("../engine/summary-worker.js", import.meta.url);

/**
 * From this many replicate values (generations × metrics × replicates) a run's summaries are split
 * (about 25 ms of summarising, more than a worker costs to start and to be sent the values).
 */
export const SPLIT_MIN_VALUES = 1 << 20;

/**
 * A summary worker's task: per block, the values of the k metrics it summarises, in order, and
 * `shape.metricCount` k: its summaries come back as those k metrics' (not the whole run's: at
 * -g 100000 that would be 67 MB, half of it zeros).
 */
export interface SummaryTask {
  readonly blocks: readonly { readonly from: number; readonly to: number; readonly values: readonly Float64Array[] }[];
  readonly shape: { readonly count: number; readonly replicates: number; readonly metricCount: number };
}

/** Whether a run on `jobs` threads splits its summaries: two threads, two metrics or more, and values enough. */
export function splitsSummaries(p: Prepared, jobs: number): boolean {
  const metrics = p.metricNames.length;
  return jobs >= 2 && metrics >= 2 && (p.config.generations + 1) * metrics * p.config.replicates >= SPLIT_MIN_VALUES;
}

/** Starts the summary worker ahead, so that it has loaded its script by the end of the run. */
export function startSummaryWorker(): void {
  startSpares(SUMMARY_WORKER, 1);
}

/**
 * Every metric's summaries of `blocks` (covering replicates 0…R−1), the second half of the metrics
 * made on a worker: their values are moved to it, so the blocks' values of those metrics are
 * detached afterwards.
 */
export async function summariesOnTwoThreads(p: Prepared, blocks: readonly ReplicateBlock[]): Promise<Float64Array> {
  const metricCount = p.metricNames.length;
  const count = p.config.generations + 1;
  const shape = { count, replicates: p.config.replicates, metricCount };
  const half = Math.ceil(metricCount / 2);
  const k = metricCount - half;
  const task: SummaryTask = { blocks: blocks.map((b) => ({ from: b.from, to: b.to, values: b.values.slice(half) })), shape: { ...shape, metricCount: k } };
  const elsewhere = poolResults<SummaryTask, Float64Array>({
    script: SUMMARY_WORKER,
    tasks: [task],
    jobs: 1,
    name: "a summary worker",
    // Each metric's values of a block are an array of their own (runReplicates): each buffer once.
    transfer: (t) => t.blocks.flatMap((b) => b.values.map((v) => v.buffer as ArrayBuffer)),
  });
  // Awaited below; a failure here first must not leave its rejection unhandled.
  elsewhere.catch(() => {});
  const summaries = new Float64Array(count * metricCount * SUMMARY_KEYS.length);
  summarizeMetrics(blocks, half, (b, m) => b.values[m]!, shape, summaries);
  const [made] = await elsewhere;
  // Generation g's k metrics, after this thread's `half` of them.
  const S = SUMMARY_KEYS.length;
  for (let g = 0; g < count; g++) summaries.set(made!.subarray(g * k * S, (g + 1) * k * S), (g * metricCount + half) * S);
  return summaries;
}
