/**
 * One simulation from a resolved configuration to the result document: seed data → θ0 →
 * replicates → aggregation. Pure computation; the CLI decides how to show it.
 */
import type { ResolvedConfig, SimConfig } from "../config/config.js";
import { isTableSource, parseSource, type SourceSpec, tableSourceNames } from "../data/source.js";
import { UsageError } from "../errors.js";
import { getModel } from "../models/index.js";
import type { AnyModel, LoopSettings, RunContext } from "../models/model.js";
import { deriveSeed, Rng } from "../stats/rng.js";
import { TOOL } from "../version.js";
import { replicateColumn, SUMMARY_KEYS, summarizeMetrics } from "./aggregate.js";
import { extinctionTimeline } from "./extinction-timeline.js";
import { type Prepared, type ReplicateBlock, type ReplicateStart, runReplicates } from "./loop.js";
import { checkMemory, type DataShape, estimateMemory, type MachineMemory } from "./memory.js";
import type { SimResult, TrainingMix } from "./result.js";
import { type ResultColumns, resultFromColumns, TheoryColumnsBuilder } from "./result-columns.js";
import { scheduleValues, varies } from "./schedule.js";
import { fromSource, loadSeed, type SeedResult, type SeedShell } from "./seed.js";

export interface PrepareOutcome {
  readonly prepared: Prepared;
  /** Notes for stderr (ignored columns and the like). */
  readonly notes: string[];
}

/**
 * Shapes the seed data, fits generation 0 and fixes every default that depends on the data.
 * `loaded` is the seed the data layer read (src/data/seed-file.ts); without it the seed is drawn
 * from the built-in source. `machine` is what the run may use; null skips the memory refusal
 * (the array-length limit still holds).
 */
export function prepare(
  config: SimConfig,
  loaded: SeedResult | SeedShell | null = null,
  machine: MachineMemory | null = null,
  /** Generation 0's parameters, fitted by the thread that sent them (Model.shareFit), or undefined: fit here. */
  params0Sent?: unknown,
  /** The seed data as the sending thread's `seed` shaped it (Model.shareSeed), with a SeedShell; or undefined: shape it here. */
  seededSent?: unknown,
): PrepareOutcome {
  const model = getModel(config.model);
  if (!loaded) checkBeforeDraw(config, machine);
  const seed = loaded ?? loadSeed(model, config);
  const provisional = { ...config, sampleSize: config.sampleSize ?? 2 } as ResolvedConfig;
  const { data: data0, heldOut } = shapedSeed(model, seed, seededSent, modelOptions(model, provisional));
  const size0 = model.ops.size(data0);
  const resolved: ResolvedConfig = withDataHash(
    {
      ...config,
      source: config.data === null ? (config.source ?? model.defaultSource) : null,
      seedSize: config.data === null ? config.seedSize : size0,
      sampleSize: config.sampleSize ?? size0,
    },
    seed.sha256 ?? null,
  );
  if (resolved.regime === "mix") {
    const fractions = scheduleValues(resolved.realFraction, resolved.generations);
    const real = Math.round(Math.max(...fractions.subarray(resolved.generations >= 1 ? 1 : 0)) * resolved.sampleSize);
    if (real > size0) {
      const most = varies(resolved.realFraction) ? `at most ${real}` : `${real}`;
      throw new UsageError(
        `--regime mix keeps ${most} real samples (--real-fraction ${resolved.realFraction} of --sample-size ${resolved.sampleSize}) but the seed data has ${size0}; lower one of them`,
      );
    }
  }
  const options = modelOptions(model, resolved);
  const firstShape = dataShape(data0, size0, 0, 1);
  const footprint = model.footprint(options, firstShape.dims);
  checkMemory(estimateMemory(resolved, footprint, firstShape), machine);
  const params0 = params0Sent !== undefined ? (model.receiveFit ? model.receiveFit(params0Sent) : params0Sent) : fit0(model, data0, options);
  const fitted = model.reference(data0, params0, options, heldOut);
  const source = seed.source;
  const reference = resolved.reference === "source" ? sourceReference(model, source, data0, params0, options, heldOut) : fitted;
  const replicateStart =
    resolved.reference === "source" && source !== null
      ? (r: number): ReplicateStart => {
          // Replicate 0 starts from data0 (stream "source"); replicate r from its own draw.
          const rng = new Rng(deriveSeed(resolved.seed, "source", r));
          const data = model.redrawSeed
            ? model.redrawSeed(reference, data0, rng, options)
            : model.seed(fromSource(model, resolved, source, resolved.seedSize!, rng), options).data;
          const params = model.fit(data, options);
          // Recorded at once, before the replicate measures again (Model.measure): no copy needed.
          return { data0: data, params0: params, metrics0: model.measure(params, data, reference, options) };
        }
      : null;
  const freshReal =
    source !== null
      ? (n: number, rng: Rng) => model.seed(fromSource(model, resolved, source, n, rng), options, "fresh").data
      : (n: number, rng: Rng) => model.ops.resample(data0, n, rng);
  const metricNames = model.metricNames(options, reference);
  const categories = model.extinctions ? model.extinctions.categories(reference) : null;
  const shape = dataShape(data0, size0, categories?.length ?? 0, metricNames.length);
  checkMemory(estimateMemory(resolved, footprint, shape), machine);
  const prepared: Prepared = {
    model,
    config: resolved,
    options,
    footprint,
    data0,
    heldOut,
    params0,
    reference,
    fitted,
    replicateStart,
    metricNames,
    categories,
    shape,
    // A copy: every replicate starts with it, and the model may rewrite what it returned (Model.measure).
    metrics0: { ...model.measure(params0, data0, reference, options) },
    freshReal,
    // A shell has nothing to send on: the thread that sent it did.
    seed: seed.input === null ? null : (seed as SeedResult),
    machine,
  };
  const absent = resolved.theory ? theoryAbsent(prepared) : null;
  return { prepared, notes: absent === null ? seed.notes : [...seed.notes, absent] };
}

/** `seed` shaped by the model, or what another thread's shaping sent (Model.receiveSeed). */
function shapedSeed(model: AnyModel, seed: SeedResult | SeedShell, sent: unknown, options: RunContext): { data: unknown; heldOut?: unknown } {
  if (sent !== undefined) {
    if (!model.receiveSeed) throw new Error(`prepare: --model ${model.name} cannot receive shaped seed data`);
    return model.receiveSeed(sent);
  }
  if (seed.input === null) throw new Error("prepare: a seed without its input needs the seed data shaped (Model.shareSeed)");
  return model.seed(seed.input, options);
}

/** Generation 0's fit: in shared memory when the model shares it with workers (Model.fitShared). */
function fit0(model: AnyModel, data0: unknown, options: RunContext): unknown {
  return model.shareFit && model.fitShared ? model.fitShared(data0, options) : model.fit(data0, options);
}

/** The reference of --reference source; resolution already refused --data and models without a source. */
function sourceReference(model: AnyModel, source: SourceSpec | null, data0: unknown, params0: unknown, options: RunContext, heldOut: unknown): unknown {
  if (source === null || !model.sourceReference)
    throw new UsageError(`--reference source: --model ${model.name} cannot compare with its source; use --reference gen0`);
  return model.sourceReference(source, data0, params0, options, heldOut);
}

/**
 * Records the data file's hash as `dataSha256`, right after `data` (where a reader looks for it);
 * the key order is fixed, so documents stay byte-identical for the same run.
 */
function withDataHash(config: ResolvedConfig, sha256: string | null): ResolvedConfig {
  if (sha256 === null) return config;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "dataSha256") continue;
    out[key] = value;
    if (key === "data") out.dataSha256 = sha256;
  }
  return out as unknown as ResolvedConfig;
}

/**
 * What a model sees of the configuration: its own declared options (narrow and typed by the
 * model), the sample size, the seed and how messages name the seed data.
 */
export function modelOptions(model: AnyModel, config: ResolvedConfig): RunContext {
  // Built key by key, not spread into a literal: V8 gave every spread copy a map (hidden class) of
  // its own, so the code optimised for one sweep point's options was thrown away at the next
  // point's ("wrong map"), in every function that reads them. Added in the same order, the objects
  // of one model share one map.
  const options: Record<string, unknown> = {};
  for (const spec of model.options) options[spec.key] = (config as unknown as Record<string, unknown>)[spec.key];
  options.sampleSize = config.sampleSize;
  options.seed = config.seed;
  options.seedName = config.data !== null ? config.data : `--source ${config.source ?? model.defaultSource}`;
  return options as unknown as RunContext;
}

/**
 * The note for --theory when the model has no closed form for this run (none at all, or none for
 * its regime and options), so that an absent theory column is explained rather than silent.
 */
function theoryAbsent(p: Prepared): string | null {
  const { model, config } = p;
  const tail = "the output has no theory values (README: Theory lists what is covered)";
  if (!model.theory) return `--theory: --model ${model.name} has no closed-form expectations; ${tail}`;
  if (config.generations === 0 || theoryAt(p, 1) !== undefined) return null;
  const scheduled = [varies(config.realFraction) ? "--real-fraction" : null, varies(config.filterRecall) ? "--filter-recall" : null].filter((f) => f !== null);
  if (scheduled.length > 0) {
    const verb = scheduled.length === 1 ? "changes" : "change";
    return `--theory: no closed form when ${scheduled.join(" and ")} ${verb} by generation (a schedule); ${tail}`;
  }
  const filter = typeof config.filterRecall === "string" || config.filterRecall > 0 ? `, --filter-recall ${config.filterRecall}` : "";
  return `--theory: no closed form for --model ${model.name} with --regime ${config.regime}${filter} and these options; ${tail}`;
}

/**
 * A model's closed forms at generation g, or undefined. They assume a constant real fraction and
 * filter recall: a run whose schedule varies by generation gets none (ARCHITECTURE §4).
 */
export function theoryAt(p: Prepared, g: number): Record<string, number> | undefined {
  const { model, config } = p;
  if (!model.theory || typeof config.realFraction !== "number" || typeof config.filterRecall !== "number") return undefined;
  const loop: LoopSettings = { regime: config.regime, realFraction: config.realFraction, filterRecall: config.filterRecall, sampleSize: config.sampleSize };
  return model.theory(p.options, loop, g, p.reference);
}

/**
 * The number of metrics before any data exists: the numeric models name them from the
 * configuration (gmm also from the dimension); a model that needs its reference counts as one.
 */
function metricCountBefore(model: AnyModel, options: RunContext, dims: number): number {
  try {
    return model.metricNames(options, { params: { dims } }).length;
  } catch {
    return 1;
  }
}

/** The data's shape for the memory estimate: rows, columns (multivariate rows carry `dims`), categories. */
function dataShape(data0: unknown, rows: number, categories: number, metrics: number): DataShape {
  const dims = (data0 as { dims?: unknown } | null)?.dims;
  return { rows, dims: typeof dims === "number" ? dims : 1, categories, metrics };
}

/**
 * A seed drawn from --source, and the run itself, checked against memory before the draw: a huge
 * --seed-size must not be drawn first, and -r 1000000 -g 100000 must not wait for anything.
 * (Callers that load the seed themselves, like the CLI, call this before loading.)
 */
export function checkBeforeDraw(config: SimConfig, machine: MachineMemory | null): void {
  if (config.data !== null) return;
  const model = getModel(config.model);
  const rows = config.seedSize ?? 100;
  const dims = model.input === "table" ? tableWidth(config.source ?? model.defaultSource, config.dims) : 1;
  const provisional = { ...config, sampleSize: config.sampleSize ?? rows } as ResolvedConfig;
  const options = modelOptions(model, provisional);
  const shape = { rows, dims, categories: 0, metrics: metricCountBefore(model, options, dims) };
  checkMemory(estimateMemory(provisional, model.footprint(options, dims), shape), machine);
}

/** The columns a table model's seed draw has: a table source's own (linear(d,sigma): d + 1), else --dims. */
export function tableWidth(source: string | null, dims: number): number {
  const spec = source === null ? null : parseSource(source);
  return spec !== null && isTableSource(spec) ? tableSourceNames(spec).length : dims;
}

/** Builds the result document from replicate blocks covering 0…R−1. */
export function assemble(p: Prepared, blocks: readonly ReplicateBlock[]): SimResult {
  return resultFromColumns(assembleColumns(p, blocks));
}

/**
 * The result document of replicate blocks covering 0…R−1, its generations as columns
 * (result-columns.ts). `summaries`, when given, are every metric's already (summarizeMetrics, made
 * by two threads: src/engine/summaries.ts), and the blocks' values are not read.
 */
export function assembleColumns(p: Prepared, blocks: readonly ReplicateBlock[], summaries?: Float64Array): ResultColumns {
  const { config, model, metricNames } = p;
  const count = config.generations + 1;
  const samples = blocks.find((b) => b.samples !== null)?.samples ?? null;
  const mixes = trainingMix(blocks, config.generations, config.replicates);
  const metricCount = metricNames.length;
  const training = new Float64Array(count * 3);
  const theory = config.theory ? new TheoryColumnsBuilder() : null;
  if (summaries === undefined) {
    summaries = new Float64Array(count * metricCount * SUMMARY_KEYS.length);
    summarizeMetrics(blocks, metricCount, (b, m) => b.values[m]!, { count, replicates: config.replicates, metricCount }, summaries);
  }
  for (let g = 0; g < count; g++) {
    theory?.add(theoryAt(p, g));
    const mix = mixes[g]!;
    training[3 * g] = mix.real;
    training[3 * g + 1] = mix.synthetic;
    training[3 * g + 2] = mix.real_share;
  }
  // Once per run, from generation 0 alone: the seed fit costs nothing per generation.
  // It describes generation 0's fit, so it reads the fit's reference whatever --reference says.
  const seedFit = model.seedFit?.(p.data0, p.params0, p.fitted, p.options);
  const head: ResultColumns["head"] = { tool: { ...TOOL }, config, seed: config.seed, ...(seedFit ? { seed_fit: seedFit } : {}) };
  const extinctions = p.categories
    ? extinctionTimeline(
        p.categories,
        blocks.flatMap((b) => b.deaths!),
        p.config.generations,
      )
    : null;
  return { head, extinctions, metricNames, summaries, theory: theory?.build() ?? null, samples, training };
}

/**
 * The training mix of each generation (ARCHITECTURE §5): the mean over replicates of the real rows,
 * the synthetic rows (after the filter) and the real share real/(real + synthetic) of each
 * replicate's training set. Equal values are kept exactly (a count, not a sum divided back).
 */
export function trainingMix(blocks: readonly ReplicateBlock[], generations: number, replicates: number): TrainingMix[] {
  const R = replicates;
  const rows = generations + 1;
  const room = () => (blocks.length === 1 ? new Float64Array(0) : new Float64Array(rows * R));
  const real = replicateColumn(blocks, (b) => b.real, rows, room());
  const synthetic = replicateColumn(blocks, (b) => b.synthetic, rows, room());
  const share = new Float64Array(R);
  const out: TrainingMix[] = [];
  for (let g = 0; g < rows; g++) {
    const at = g * R;
    for (let r = 0; r < R; r++) share[r] = real[at + r]! / (real[at + r]! + synthetic[at + r]!);
    out.push({ real: meanOf(real.subarray(at, at + R)), synthetic: meanOf(synthetic.subarray(at, at + R)), real_share: meanOf(share) });
  }
  return out;
}

/** The mean, exact when every value is equal (and summed in replicate order, so any --jobs agrees). */
function meanOf(x: Float64Array): number {
  let sum = 0;
  let same = true;
  for (let i = 0; i < x.length; i++) {
    sum += x[i]!;
    if (x[i] !== x[0]) same = false;
  }
  return same ? x[0]! : sum / x.length;
}

/** Runs all replicates in this thread (a seed from --data must be passed in: see prepare). */
export function simulate(config: SimConfig, seed: SeedResult | null = null, onGeneration?: () => void): { result: SimResult; notes: string[] } {
  const { prepared, notes } = prepare(config, seed);
  const block = runReplicates(prepared, 0, prepared.config.replicates, onGeneration);
  return { result: assemble(prepared, [block]), notes };
}
