/**
 * Replicate aggregation: every (generation, metric) becomes mean, sd, se, median, p025, p975
 * over the replicates (ARCHITECTURE §3).
 */
import { quantiles } from "../stats/quantiles.js";
import type { ReplicateBlock } from "./loop.js";

export interface Summary {
  mean: number;
  /** Sample standard deviation over replicates (n − 1); 0 with one replicate. */
  sd: number;
  /** Standard error of the mean, sd/√R. */
  se: number;
  median: number;
  p025: number;
  p975: number;
}

export const SUMMARY_KEYS = ["mean", "sd", "se", "median", "p025", "p975"] as const;

/** The summary kept by holdSummaryShape (at most one). */
const heldShapes: Summary[] = [];

/**
 * Keeps one summary whose every field holds a fraction alive for the life of the thread; call it
 * before the thread makes or parses many summaries. V8 gives objects of one shape one hidden class,
 * and a field stores values the way its first value asked. A baseline's summaries parsed first
 * (generation 0's sd and se are 0) stored those as small integers, the re-run's first fraction
 * there retired that class, and every summary made before was converted on its next read: comparing
 * 1.4 million means against a re-run took 2.5 s instead of 0.6 s. With this one first, every
 * summary's fields start as doubles. (Kept, because an unused hidden class is collected.)
 */
export function holdSummaryShape(): void {
  if (heldShapes.length === 0) heldShapes.push({ mean: 0.5, sd: 0.5, se: 0.5, median: 0.5, p025: 0.5, p975: 0.5 });
}

const PROBS = [0.5, 0.025, 0.975] as const;

/** Where summarize selects its quantiles: one buffer for every call, grown to the most replicates seen. */
let scratch = new Float64Array(0);

/** The summary of one metric's replicate values. Quantiles interpolate linearly (numpy's default). */
export function summarize(values: Float64Array): Summary {
  const s = oneSummary;
  summarizeInto(values, s, 0);
  return { mean: s[0]!, sd: s[1]!, se: s[2]!, median: s[3]!, p025: s[4]!, p975: s[5]! };
}

/** summarize's numbers before they become an object. */
const oneSummary = new Float64Array(SUMMARY_KEYS.length);

/** summarize's numbers, in SUMMARY_KEYS' order, written to out[at..at + 6). */
export function summarizeInto(values: Float64Array, out: Float64Array, at: number): void {
  const n = values.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // Equal values (generation 0, one replicate) have exactly that mean; sum/n could be off by an ulp.
  const mean = min === max ? min : sum / n;
  let ss = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
    comp += d;
  }
  // The compensation term removes the rounding error of the mean (two-pass algorithm).
  const sd = n > 1 ? Math.sqrt(Math.max(0, (ss - (comp * comp) / n) / (n - 1))) : 0;
  if (scratch.length < n) scratch = new Float64Array(n);
  const q = quantiles(values, PROBS, scratch);
  out[at] = mean;
  out[at + 1] = sd;
  out[at + 2] = sd / Math.sqrt(n);
  out[at + 3] = q[0]!;
  out[at + 4] = q[1]!;
  out[at + 5] = q[2]!;
}

/** From this many replicates in a block, `replicateColumn` copies a block's run of values with `set`. */
const SET_MIN = 32;

/**
 * One per-replicate column of the blocks — a metric's values, or the training mix's real or
 * synthetic rows, each block's laid out [g · count + local] — gathered as [g · R + r]: every
 * generation's R values side by side, in replicate order, for `generations` rows, from blocks that
 * cover replicates 0…R−1 exactly once, in any order. A single block is already laid out so and is
 * returned as it is; otherwise the column is written into `into` (of length generations · R), one
 * block at a time. Gathered one generation and metric at a time instead, the 500 one-replicate
 * blocks of a coordinator's share at -g 1000 -r 1000 (with --jobs 2) cost 0.3 s of property reads
 * in a serial tail of the run; before that, a subarray per block, generation and metric was 864 ms
 * of garbage.
 */
export function replicateColumn<B extends Pick<ReplicateBlock, "from" | "to">>(
  blocks: readonly B[],
  column: (block: B) => Float64Array,
  generations: number,
  into: Float64Array,
): Float64Array {
  if (blocks.length === 1) return column(blocks[0]!);
  const R = into.length / generations;
  for (const block of blocks) {
    const count = block.to - block.from;
    const from = column(block);
    // A large block is copied by the typed array's own `set`, compiled into V8 where a loop runs
    // as bytecode in a short run; a small one value by value.
    if (count >= SET_MIN) for (let g = 0; g < generations; g++) into.set(from.subarray(g * count, (g + 1) * count), g * R + block.from);
    else for (let g = 0; g < generations; g++) for (let i = 0; i < count; i++) into[g * R + block.from + i] = from[g * count + i]!;
  }
  return into;
}

/**
 * The summaries of metrics 0…metrics−1 of `metricCount` over blocks that cover replicates 0…R−1,
 * for `count` generations: generation g's of metric m at (g · metricCount + m) · SUMMARY_KEYS.length
 * of `out`; `column(block, m)` is a block's values of metric m. A metric's summaries depend on its
 * values alone, so two threads may each make some of a run's (src/engine/summaries.ts).
 */
export function summarizeMetrics<B extends Pick<ReplicateBlock, "from" | "to">>(
  blocks: readonly B[],
  metrics: number,
  column: (block: B, m: number) => Float64Array,
  shape: { readonly count: number; readonly replicates: number; readonly metricCount: number },
  out: Float64Array,
): void {
  const { count, replicates: R, metricCount } = shape;
  // One metric at a time, its replicates side by side per generation (replicateColumn).
  const gathered = blocks.length === 1 ? new Float64Array(0) : new Float64Array(count * R);
  for (let m = 0; m < metrics; m++) {
    const values = replicateColumn(blocks, (b) => column(b, m), count, gathered);
    for (let g = 0; g < count; g++) summarizeInto(values.subarray(g * R, (g + 1) * R), out, (g * metricCount + m) * SUMMARY_KEYS.length);
  }
}
