/**
 * How long a run will take, estimated from its configuration and the size of its seed data before
 * anything is fitted, and the one rule built on it: a run estimated under IN_THREAD_LIMIT_NS is
 * fitted and run in the calling thread; a longer one goes to worker threads, so that the main
 * thread stays free to draw progress and to answer a signal within a second. A worker costs 30 to
 * 60 ms of CPU to start and load its script, more than a small run takes (ARCHITECTURE §1, Threads).
 */
import type { SimConfig } from "../config/config.js";
import { modelOptions, tableWidth } from "../core/run.js";
import type { EncodedText } from "../data/seed-file.js";
import { parseSource } from "../data/source.js";
import { getModel } from "../models/index.js";
import { type SeedInput, type SeedSize, textLength } from "../models/model.js";

/**
 * A run estimated under this many nanoseconds stays in the calling thread. The estimates are
 * measured in a fresh process and rounded up (Model.work); they leave out the first run's JIT
 * compilation (tens of milliseconds), which is most of a small run's time (a run estimated at
 * 40 ms may take 110), and fall short by at most 1.2× on the runs `npm run bench -- work` tries
 * from 200 ms on, so a run that stays takes well under the second a signal may wait (the longest
 * there, 0.32 s).
 */
export const IN_THREAD_LIMIT_NS = 400e6;

/**
 * What the seed-fit summary costs per seed row after the run (src/core/run.ts assemble): a sort
 * of the seed data for its quantiles and tails: 145 ns a row for 2·10⁶ rows.
 */
const SEED_FIT_NS_PER_ROW = 150;

/**
 * What accumulate-subsample's pool costs a generation per value it holds, whatever the model (its
 * upkeep and the subsample's draw): 2.3–7.7 ns measured on Gaussian runs of M = 10⁴ and 10⁵, whose
 * estimates fell 2.6–3× short without it.
 */
const POOL_NS_PER_VALUE = 8;

/**
 * What a generation of `fresh` or `mix` costs against one of `replace`: it also draws real data
 * (new draws from the source, or a subset of the seed). Measured 1.1× for the Gaussian, 2.3–3.3×
 * for a categorical count vector (a draw over all K categories, again), whose estimates fell short
 * by as much without it.
 */
const REAL_DRAW_FACTOR = 3;

/**
 * The seed data's size: its rows (a text's characters; its bytes, at least as many, before it is
 * decoded) and columns; from the config for a seed not drawn yet.
 */
export function seedSize(config: SimConfig, input: SeedInput | EncodedText | null): SeedSize {
  if (input === null) {
    const model = getModel(config.model);
    // A drawn count vector has the source's K categories, drawn or not (core/seed.ts): a seed of
    // 100 draws of zipf(1.5,10000000) is ten million categories, each costing every generation.
    if (model.input === "labels") return { rows: drawnCategories(config) ?? config.seedSize ?? 0, dims: 1, observations: config.seedSize ?? 0 };
    // A drawn table has its source's columns (linear(5,1): six, for linreg) or --dims (mvn, gmm).
    return { rows: config.seedSize ?? 0, dims: model.input === "table" ? drawnWidth(config) : 1 };
  }
  switch (input.kind) {
    case "numbers":
      return { rows: input.values.length, dims: 1 };
    case "table":
      return { rows: input.columns[0]?.length ?? 0, dims: input.columns.length };
    case "labels": {
      let observations = 0;
      for (let i = 0; i < input.counts.length; i++) observations += input.counts[i]!;
      return { rows: input.counts.length, dims: 1, observations };
    }
    case "text":
      return { rows: textLength(input.text), dims: 1 };
    case "utf8":
      return { rows: input.bytes.length, dims: 1 };
  }
}

/** The columns of the table `config` draws (tableWidth); --dims when its source does not parse (the draw says why). */
function drawnWidth(config: SimConfig): number {
  try {
    return tableWidth(config.source ?? getModel(config.model).defaultSource, config.dims);
  } catch {
    return config.dims;
  }
}

/** The categories of the count vector `config` draws: its zipf(s,K) source's K; null for another source. */
function drawnCategories(config: SimConfig): number | null {
  const text = config.source ?? getModel(config.model).defaultSource;
  if (text === null) return null;
  try {
    const spec = parseSource(text);
    return spec.kind === "zipf" ? spec.k : null;
  } catch {
    // The draw says what is wrong with it.
    return null;
  }
}

/**
 * Whether the run `config` will likely go to worker threads, judged before its seed data is read:
 * from the config for a drawn seed (as estimateWork), from `fileBytes`, the --data file's size,
 * otherwise. A file's rows are taken as most files have them: a character a byte of text, a value
 * every 8 bytes of numbers or labels ("12.3456\n"); and the run must come to twice the in-thread
 * limit, so that a file near it stays on the old path (a coordinator started for nothing cost a
 * 31 kB file's run 18 ms of its 177, measured). A text's characters are known closer (as many as
 * its bytes, or fewer), so a quarter more will do: a novel's word bigram, -g 9 -r 1, estimated
 * at 0.8 s, has its coordinator started while the file is read. Null bytes (standard input, a pipe): no.
 */
export function likelyOffThread(config: SimConfig, fileBytes: number | null): boolean {
  if (config.data === null) return !fitsInThread(estimateWork(config, null).total);
  if (fileBytes === null) return false;
  const model = getModel(config.model);
  const text = model.input === "text";
  const rows = text ? fileBytes : Math.ceil(fileBytes / 8);
  // A table's columns as --dims says, for the models that take it (its header is not read yet).
  const takesDims = model.options.some((o) => o.key === "dims");
  // A label file's size tells its rows, not its categories, which are what costs: counted as one
  // (2·10⁶ labels of 5,000 kinds, taken for 2·10⁶ categories, started a coordinator for nothing,
  // a thread's memory: 98 → 110 MB).
  const size: SeedSize = model.input === "labels" ? { rows: 1, dims: 1, observations: rows } : { rows, dims: takesDims ? config.dims : 1 };
  return estimateWork(config, size).total >= (text ? 1.25 : 2) * IN_THREAD_LIMIT_NS;
}

/** A run's estimated cost in nanoseconds: generation 0's fit alone, and the whole run. */
export interface RunWork {
  readonly fit: number;
  readonly total: number;
}

/**
 * The estimated cost of the run `config` on seed data `input` (null: drawn from its source, of
 * config.seedSize; or only the seed's size, known or guessed).
 */
export function estimateWork(config: SimConfig, input: SeedInput | EncodedText | SeedSize | null): RunWork {
  const model = getModel(config.model);
  const seed = input !== null && !("kind" in input) ? input : seedSize(config, input);
  const {
    perGeneration,
    perRow,
    seedRows = seed.rows,
    perSeedRow = perRow + SEED_FIT_NS_PER_ROW,
  } = model.work(modelOptions(model, { ...config, sampleSize: config.sampleSize ?? seed.rows }), seed);
  const M = config.sampleSize ?? seedRows;
  const fit = perGeneration + perSeedRow * seed.rows;
  const G = config.generations;
  // The mean training set: accumulate keeps the seed and every generation's sample.
  const training = config.regime === "accumulate" ? seedRows + (M * (G + 1)) / 2 : M;
  // accumulate-subsample trains on M rows, drawn from a pool of the seed and every sample so far.
  const pool = config.regime === "accumulate-subsample" ? (seedRows + (M * (G + 1)) / 2) * POOL_NS_PER_VALUE * seed.dims : 0;
  // Under --reference source every replicate fits a seed sample of its own.
  const starts = config.reference === "source" ? config.replicates : 1;
  // fresh draws new real data from the source each generation, mix a real subset of the seed.
  const real = config.regime === "fresh" || config.regime === "mix" ? REAL_DRAW_FACTOR : 1;
  return { fit, total: starts * fit + config.replicates * G * ((perGeneration + perRow * training) * real + pool) };
}

/** Whether work of this many nanoseconds may run in the calling thread. */
export function fitsInThread(ns: number): boolean {
  return ns < IN_THREAD_LIMIT_NS;
}
