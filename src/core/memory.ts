/**
 * The memory a run will need, estimated before anything large is allocated, and the refusal when
 * it cannot fit: a run that would die with a RangeError or a heap crash after minutes is an exit 2
 * at once, with one line naming the estimate, its largest part and what the machine has.
 *
 * The model is deliberately simple and errs high (measured peaks are 0.5–1× the estimate): it
 * counts the data every thread holds at once, the per-generation metric values, and the
 * JavaScript objects of the summaries and the output document. Typed arrays live outside V8's
 * heap and are compared with the machine's memory; objects and strings live on the heap and are
 * also compared with V8's heap limit.
 */
import type { ResolvedConfig } from "../config/config.js";
import { UsageError } from "../errors.js";
import type { Footprint } from "../models/model.js";
import { fitsEveryDraw } from "./drawn-fit.js";

/** What the estimate needs to know of the data, beyond the configuration. */
export interface DataShape {
  /** Observations in the seed data (samples, rows, tokens; categories for categorical). */
  readonly rows: number;
  /** Columns of a row (1 for gaussian, categorical and ngram). */
  readonly dims: number;
  /** Categories (categorical) or vocabulary size (ngram); 0 when not applicable. */
  readonly categories: number;
  /** Metrics recorded per generation. */
  readonly metrics: number;
}

export interface MemoryPart {
  /** What the part is, with its factors, as a message shows it. */
  readonly what: string;
  readonly bytes: number;
  /** True when the part is JavaScript objects or strings (counted against V8's heap limit). */
  readonly heap: boolean;
  /** How to make it smaller. */
  readonly fix: string;
}

export interface MemoryEstimate {
  readonly total: number;
  /** The heap parts of the main thread. */
  readonly heap: number;
  readonly parts: readonly MemoryPart[];
  /** The longest single typed array the run creates. */
  readonly longestArray: { readonly length: number; readonly what: string; readonly fix: string };
}

export interface MachineMemory {
  /** Physical memory, or the cgroup limit when lower. */
  readonly total: number;
  /** V8's heap limit of this process. */
  readonly heapLimit: number;
}

/** Node and its modules before any data: measured ≈ 50 MB for the main thread, ≈ 25 MB per worker. */
const BASE = 60e6;
const PER_WORKER = 30e6;

/**
 * Heap per (generation, metric) of the result: its columns (src/core/result-columns.ts), the summary
 * object made from them, and the output text, made and written a piece at a time. Measured ≈ 310
 * bytes at -g 100000 -r 1 (peaks of 446–504 MB over the five formats, less 106 MB for a run of
 * 3,000 generations, for 1.3 million cells), counted as 450. It was 900 while the coordinator sent
 * summary objects and the text was made whole (1.27 GB).
 */
const HEAP_PER_CELL = 450;

/** Short-lived samples wait for the garbage collector: a thread holds about two at once. */
const GARBAGE = 2;

/** The longest typed array V8 creates (elements). */
export const MAX_ARRAY = 2 ** 32 - 1;

const GB = 1e9;

/** Bytes as messages show them: "74.5 GB", "812 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e12) return `${(bytes / 1e12).toFixed(1)} TB`;
  if (bytes >= 0.95 * GB) return `${(bytes / GB).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

type EstimateConfig = Pick<ResolvedConfig, "replicates" | "generations" | "sampleSize" | "regime" | "filterRecall">;

/** Draws a thread holds at once while it fits a sample as it draws it (the Gaussian's chunk, with room to spare). */
const DRAWN_ROWS = 1 << 15;

/**
 * The peak memory of a run whose replicates run on `threads` threads at once (1: the main thread
 * only; more: that many workers, each with its own copy of the seed data).
 */
export function estimateMemory(config: EstimateConfig, footprint: Footprint, shape: DataShape, threads = 1): MemoryEstimate {
  const R = config.replicates;
  const G = config.generations;
  const M = config.sampleSize;
  const d = shape.dims;
  const row = footprint.perRow;
  const dataRow = footprint.perSeedRow;
  const parts: MemoryPart[] = [];
  const workers = threads > 1 ? threads : 0;
  const inThreads = threads > 1 ? `, in each of ${threads} threads` : "";

  parts.push({ what: "Node itself", bytes: BASE + workers * PER_WORKER, heap: false, fix: "lower --jobs" });

  // Each thread prepares its own generation 0 from the seed input (a table and its rows: twice).
  const copies = 1 + workers;
  parts.push({
    what: `the seed data (${shape.rows} rows × ${d} column(s) × 8 bytes, twice${copies > 1 ? `, in each of ${copies} threads` : ""})`,
    bytes: copies * 2 * (footprint.countsOnly ? 8 * shape.categories : shape.rows * Math.max(dataRow, 8 * d)),
    heap: false,
    fix: "use less seed data (--seed-size, a smaller file) or lower --jobs",
  });

  // One replicate's training data per thread: M fresh rows (two alive at once), plus for
  // accumulate the pool of n0 + G·M rows in a buffer of up to twice that capacity
  // (accumulate-subsample: the same pool, and the index of its rows for each subset).
  // A sample fitted as it is drawn (src/core/drawn-fit.ts) is never held: a chunk of it at a time.
  const pooled = config.regime === "accumulate" || config.regime === "accumulate-subsample";
  const drawn = fitsEveryDraw(config, footprint);
  const pool = pooled ? 2 * (shape.rows + G * M) : 0;
  const rows = drawn ? DRAWN_ROWS : GARBAGE * M * (config.regime === "mix" || config.regime === "fresh" ? 2 : 1) + pool;
  const perThread = rows * row + footprint.perCategory * shape.categories * GARBAGE;
  parts.push({
    what: pooled
      ? `the accumulated training pool (n0 + G×M = ${shape.rows} + ${G} × ${M} rows × ${row} bytes, up to twice${inThreads})`
      : drawn
        ? `the draws being fitted (${DRAWN_ROWS} rows × ${row} bytes at a time${inThreads})`
        : `the samples (M=${M} rows × ${row} bytes, ${GARBAGE} at a time${inThreads})`,
    bytes: threads * perThread,
    heap: footprint.onHeap,
    fix: pooled ? "lower -g or -m, or use another --regime" : "lower -m (or --dims, --components)",
  });

  // Every replicate's metric values per generation: the workers' blocks, then collected per generation.
  const cells = (G + 1) * shape.metrics;
  parts.push({
    what: `the metric values (R=${R} × G+1=${G + 1} generations × ${shape.metrics} metrics × 8 bytes, twice)`,
    bytes: 2 * R * cells * 8,
    heap: false,
    fix: "lower -r or -g",
  });
  parts.push({
    what: `the summaries and the output document (${G + 1} generations × ${shape.metrics} metrics)`,
    bytes: cells * HEAP_PER_CELL,
    heap: true,
    fix: "lower -g, or fewer --quantiles and --tail-k",
  });
  if (shape.categories > 0) {
    parts.push({
      what: `the extinction records (R=${R} × ${shape.categories} categories × 4 bytes)`,
      bytes: R * (shape.categories * 4 + 100),
      heap: false,
      fix: "lower -r",
    });
  }

  const total = parts.reduce((s, p) => s + p.bytes, 0);
  const heap = parts.filter((p) => p.heap).reduce((s, p) => s + p.bytes, 0);
  // The longest typed arrays: a block's values of one metric (the main thread runs every
  // replicate in one block), the pool, one sample.
  const candidates = [
    { length: (G + 1) * R, what: `one metric's values (R=${R} × G+1=${G + 1})`, fix: "lower -r or -g" },
    { length: shape.rows * d, what: `the seed data (n0=${shape.rows} rows × ${d} columns)`, fix: "use less seed data (--seed-size, a smaller file)" },
    { length: drawn ? 0 : M * d, what: `one sample (M=${M} rows × ${d} columns)`, fix: "lower -m (or --dims)" },
    { length: pool > 0 ? (pool / 2) * d : 0, what: `the accumulated pool ((n0 + G×M) rows × ${d} columns)`, fix: "lower -g or -m, or use another --regime" },
  ];
  // On ties the earlier one is named: the seed data before the sample that defaults to its size.
  const longestArray = candidates.reduce((a, b) => (b.length > a.length ? b : a));
  return { total, heap, parts, longestArray };
}

/** The line of a refusal: the estimate, its largest part, what the machine has, how to fix it. */
function largest(parts: readonly MemoryPart[]): MemoryPart {
  return parts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
}

/**
 * Throws a UsageError when the run cannot fit: more memory than the machine has, more heap than
 * V8 allows, or a typed array longer than V8 can make. With `machine` null (a caller that did not
 * say what the machine has) only the array length is checked.
 */
export function checkMemory(estimate: MemoryEstimate, machine: MachineMemory | null): void {
  if (machine !== null && estimate.total > machine.total) {
    const top = largest(estimate.parts);
    throw new UsageError(
      `this run needs about ${formatBytes(estimate.total)} of memory (mostly ${top.what}: ${formatBytes(top.bytes)}) but the machine has ${formatBytes(machine.total)}; ${top.fix}`,
    );
  }
  if (machine !== null && estimate.heap > machine.heapLimit) {
    const top = largest(estimate.parts.filter((p) => p.heap));
    const mb = Math.ceil((estimate.heap * 1.25) / 2 ** 20);
    throw new UsageError(
      `this run needs about ${formatBytes(estimate.heap)} of JavaScript heap (mostly ${top.what}) but Node's heap limit is ${formatBytes(machine.heapLimit)}; ${top.fix}, or raise the limit with NODE_OPTIONS=--max-old-space-size=${mb}`,
    );
  }
  const { length, what, fix } = estimate.longestArray;
  if (length > MAX_ARRAY) {
    throw new UsageError(
      `this run needs ${what} of ${length.toExponential(2).replace("e+", "e")} values in one array, above the ${MAX_ARRAY} an array can hold; ${fix}`,
    );
  }
}

/**
 * The most worker threads (1…wanted) whose run still fits: results do not depend on the number
 * of threads, so a big run takes fewer rather than crash.
 */
export function threadsThatFit(config: EstimateConfig, footprint: Footprint, shape: DataShape, wanted: number, machine: MachineMemory | null): number {
  let t = wanted;
  while (machine !== null && t > 1 && estimateMemory(config, footprint, shape, t).total > machine.total) t--;
  return t;
}
