/**
 * A result document with its generations held as columns of numbers (ARCHITECTURE §2): what the
 * coordinator thread sends the main thread, and what `assemble` builds the document from.
 *
 * A document of 100,001 generations × 13 metrics is 1.3 million summary objects. Sent as objects,
 * the structured clone took 1.2 s to write on the coordinator and several seconds to read back on
 * the main thread (measured with v8.serialize: 1.2 s and 3.4–4 s). As columns its numbers are a few
 * typed arrays that move without being copied, and the objects are made once, where they are read.
 */
import { holdSummaryShape, SUMMARY_KEYS, type Summary } from "./aggregate.js";
import type { ExtinctionRecord, GenerationResult, SimResult, TrainingMix } from "./result.js";

/** Numbers per summary: SUMMARY_KEYS in their order. */
const SUMMARY_SIZE = SUMMARY_KEYS.length;

/** Each generation's theory (absent, or its own metrics), as key lists shared by generations that have the same keys. */
export interface TheoryColumns {
  /** The distinct lists of metric names a generation's theory has, in its key order. */
  readonly keyLists: readonly (readonly string[])[];
  /** Per generation: its key list in keyLists, or −1 for no theory. */
  readonly lists: Int32Array;
  /** The values of every generation's theory, one generation after another, in its key order. */
  readonly values: Float64Array;
}

/**
 * The document's extinction records, in its order, as columns: a categorical run over millions of
 * categories loses most of them, and 1.7 million records sent as objects held the main thread 2 s
 * to read (a signal unanswered), after the coordinator spent as long writing them.
 */
export interface ExtinctionColumns {
  /** The categories' names end to end, in pieces of at most NAME_PIECE_UNITS (a name is never cut; one longer has a piece of its own). */
  readonly names: readonly string[];
  /** Per record: the piece its name is in, and where the name ends there (it starts where the record before it ends, in the same piece, or at 0). */
  readonly piece: Int32Array;
  readonly ends: Int32Array;
  readonly generation: Float64Array;
  readonly replicates: Float64Array;
}

/** UTF-16 units of category names a piece of ExtinctionColumns.names holds: far below a string's limit (512 Mi). */
const NAME_PIECE_UNITS = 1 << 26;

/** Records (category, generation, replicates) as ExtinctionColumns. */
export function extinctionColumns(categories: readonly string[], generation: ArrayLike<number>, replicates: ArrayLike<number>): ExtinctionColumns {
  const n = categories.length;
  const names: string[] = [];
  const piece = new Int32Array(n);
  const ends = new Int32Array(n);
  let parts: string[] = [];
  let length = 0;
  for (let i = 0; i < n; i++) {
    const name = categories[i]!;
    if (length > 0 && length + name.length > NAME_PIECE_UNITS) {
      names.push(parts.join(""));
      parts = [];
      length = 0;
    }
    parts.push(name);
    length += name.length;
    piece[i] = names.length;
    ends[i] = length;
  }
  if (parts.length > 0) names.push(parts.join(""));
  return { names, piece, ends, generation: Float64Array.from(generation), replicates: Float64Array.from(replicates) };
}

export interface ResultColumns {
  /** The document but its generations and extinctions, in the document's key order. */
  readonly head: Omit<SimResult, "generations" | "extinctions">;
  /** The extinction records (models that track categories), or null. */
  readonly extinctions: ExtinctionColumns | null;
  readonly metricNames: readonly string[];
  /** Generation g's summary of metric m: SUMMARY_KEYS' values from (g × metrics + m) × 6. */
  readonly summaries: Float64Array;
  /** Null when the run reports no theory at all. */
  readonly theory: TheoryColumns | null;
  /** A short sample of each generation's output (the first replicate's), or null. */
  readonly samples: readonly string[] | null;
  /** Generation g's training mix at 3g: real, synthetic, real_share. */
  readonly training: Float64Array;
}

/** Collects each generation's theory in order (see TheoryColumns). */
export class TheoryColumnsBuilder {
  private readonly keyLists: string[][] = [];
  private readonly listIndex = new Map<string, number>();
  private readonly lists: number[] = [];
  private readonly values: number[] = [];

  add(theory: Record<string, number> | undefined): void {
    if (theory === undefined) {
      this.lists.push(-1);
      return;
    }
    // A key whose value is undefined is one JSON leaves out and a tidy row reads as null: left out.
    const keys = Object.keys(theory).filter((key) => theory[key] !== undefined);
    // A NUL cannot be in a metric's name, so the joined names identify the list.
    const id = keys.join("\u0000");
    let list = this.listIndex.get(id);
    if (list === undefined) {
      list = this.keyLists.push(keys) - 1;
      this.listIndex.set(id, list);
    }
    this.lists.push(list);
    for (const key of keys) this.values.push(theory[key]!);
  }

  build(): TheoryColumns {
    return { keyLists: this.keyLists, lists: Int32Array.from(this.lists), values: Float64Array.from(this.values) };
  }
}

/** The buffers of a result's columns, to move to another thread rather than copy. */
export function columnBuffers(c: ResultColumns): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [c.summaries, c.training];
  if (c.theory) arrays.push(c.theory.lists, c.theory.values);
  if (c.extinctions) arrays.push(c.extinctions.piece, c.extinctions.ends, c.extinctions.generation, c.extinctions.replicates);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** The result document the columns hold: the same keys, in the same order, and the same numbers. */
export function resultFromColumns(c: ResultColumns): SimResult {
  const document = new DocumentMaker(c);
  document.makeUpTo(document.count);
  document.makeExtinctionsUpTo(document.extinctionCount);
  return document.result();
}

/** Generations made between two calls of `between` in resultFromColumnsInSteps. */
export const GENERATIONS_PER_STEP = 4096;
/** Extinction records made between two calls of `between` in resultFromColumnsInSteps: a few ms. */
export const EXTINCTIONS_PER_STEP = 1 << 16;

/**
 * resultFromColumns, GENERATIONS_PER_STEP generations at a time, awaiting `between` after each
 * step: at 10⁵ generations the document's 1.5 million objects take 0.2 s to make and as much again
 * to collect, which a thread that must answer a signal cannot spend in one go.
 */
export async function resultFromColumnsInSteps(c: ResultColumns, between: () => Promise<unknown>): Promise<SimResult> {
  const document = new DocumentMaker(c);
  for (let to = GENERATIONS_PER_STEP; to < document.count; to += GENERATIONS_PER_STEP) {
    document.makeUpTo(to);
    await between();
  }
  document.makeUpTo(document.count);
  for (let to = EXTINCTIONS_PER_STEP; to < document.extinctionCount; to += EXTINCTIONS_PER_STEP) {
    document.makeExtinctionsUpTo(to);
    await between();
  }
  document.makeExtinctionsUpTo(document.extinctionCount);
  return document.result();
}

/**
 * Makes the document's generations in order, as far as asked each time. (A plain loop, not a
 * generator: each sweep worker compiles it, and the generator took twice as long to compile.)
 */
class DocumentMaker {
  readonly count: number;
  readonly extinctionCount: number;
  private readonly generations: GenerationResult[] = [];
  private readonly extinctions: ExtinctionRecord[] = [];
  /** The next theory value's index: each generation's theory takes as many as its key list has. */
  private theoryAt = 0;

  constructor(private readonly c: ResultColumns) {
    this.count = c.training.length / 3;
    this.extinctionCount = c.extinctions?.generation.length ?? 0;
    holdSummaryShape();
  }

  /** Makes extinction records up to `to` (exclusive). */
  makeExtinctionsUpTo(to: number): void {
    if (this.c.extinctions === null) return;
    const { names, piece, ends, generation, replicates } = this.c.extinctions;
    const records = this.extinctions;
    for (let i = records.length; i < to; i++) {
      const start = i > 0 && piece[i - 1] === piece[i] ? ends[i - 1]! : 0;
      records.push({ category: names[piece[i]!]!.slice(start, ends[i]!), generation: generation[i]!, replicates: replicates[i]! });
    }
  }

  /** Makes generations up to `to` (exclusive). */
  makeUpTo(to: number): void {
    const { summaries, training, samples, metricNames, theory } = this.c;
    const metricCount = metricNames.length;
    const generations = this.generations;
    for (let g = generations.length; g < to; g++) {
      const metrics: Record<string, Summary> = {};
      for (let m = 0; m < metricCount; m++) {
        const at = (g * metricCount + m) * SUMMARY_SIZE;
        metrics[metricNames[m]!] = {
          mean: summaries[at]!,
          sd: summaries[at + 1]!,
          se: summaries[at + 2]!,
          median: summaries[at + 3]!,
          p025: summaries[at + 4]!,
          p975: summaries[at + 5]!,
        };
      }
      const out: GenerationResult = { generation: g, metrics };
      const list = theory === null ? -1 : theory.lists[g]!;
      if (list >= 0) {
        const values: Record<string, number> = {};
        for (const key of theory!.keyLists[list]!) values[key] = theory!.values[this.theoryAt++]!;
        out.theory = values;
      }
      if (samples) out.sample = samples[g]!;
      const mix: TrainingMix = { real: training[3 * g]!, synthetic: training[3 * g + 1]!, real_share: training[3 * g + 2]! };
      out.training = mix;
      generations.push(out);
    }
  }

  result(): SimResult {
    const { tool, config, seed, seed_fit } = this.c.head;
    const result: SimResult = { tool, config, seed, ...(seed_fit ? { seed_fit } : {}), generations: this.generations };
    if (this.c.extinctions) result.extinctions = this.extinctions;
    return result;
  }
}
