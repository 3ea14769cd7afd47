/**
 * The generation loop (ARCHITECTURE §1): fit θ0 on the seed data, then for each generation draw a sample
 * from the previous model, build the training set by the regime, refit, and measure against
 * generation 0. Replicates are independent repetitions of the loop, each on its own stream derived from
 * (seed, replicate index), so any split of replicates across workers gives the same numbers.
 */
import type { ResolvedConfig } from "../config/config.js";
import { InputError } from "../errors.js";
import type { AnyModel, Footprint, Metrics, RunContext } from "../models/model.js";
import { hypergeometric } from "../stats/hypergeometric.js";
import { deriveSeed, Rng } from "../stats/rng.js";
import { drawnTrainingSet } from "./drawn-fit.js";
import type { DataShape, MachineMemory } from "./memory.js";
import { scheduleValues } from "./schedule.js";
import type { SeedResult } from "./seed.js";

/** Everything a replicate needs, computed once: the seed data, θ0 and the generation-0 reference. */
export interface Prepared {
  readonly model: AnyModel;
  readonly config: ResolvedConfig;
  /** The model's own options and the run context: all the model sees of the configuration. */
  readonly options: RunContext;
  /** What a thread holds per run, for how many worker threads fit. */
  readonly footprint: Footprint;
  readonly data0: unknown;
  /** Data never trained on that `seed` set aside (ngram's held-out text), or undefined. */
  readonly heldOut: unknown;
  readonly params0: unknown;
  /** What the metrics compare with: `fitted`, or the source's truth under --reference source. */
  readonly reference: unknown;
  /** Generation 0's own reference, which the seed fit describes. */
  readonly fitted: unknown;
  /**
   * Under --reference source, replicate r ≥ 1 starts from its own seed sample drawn from the source
   * (the papers average over the first fit too); null: every replicate starts from data0.
   */
  readonly replicateStart: ((replicate: number) => ReplicateStart) | null;
  readonly metricNames: readonly string[];
  /**
   * Generation 0's categories (Model.extinctions), made once: a model's list is new at each call,
   * and there may be millions. Null for a model without categories.
   */
  readonly categories: readonly string[] | null;
  /** The data's shape, for the memory estimate (how many worker threads fit). */
  readonly shape: DataShape;
  readonly metrics0: Metrics;
  /** New real data for the `fresh` regime: from the generative source, or D0 resampled. */
  readonly freshReal: (n: number, rng: Rng) => unknown;
  /**
   * The seed input it was prepared from, for workers to prepare their own copy from. Null where no
   * worker needs it (a replicate worker; a coordinator once its workers have it), so that a large
   * text is let go: 50 MB of text is a 100 MB string.
   */
  seed: SeedResult | null;
  /**
   * False when no output shows the first replicate's samples of each generation (Model.describe:
   * the JSON document and --show-samples do): they are then not drawn. A run with 10⁵ generations
   * spent 0.8 s of 5 on them for a CSV that has no place for them. Absent: drawn.
   */
  describes?: boolean;
  /** What the machine offers (null: unknown), for how many worker threads fit. */
  readonly machine: MachineMemory | null;
}

/** Where one replicate starts: its seed data, generation 0's fit of it, and that fit's metrics. */
export interface ReplicateStart {
  readonly data0: unknown;
  readonly params0: unknown;
  readonly metrics0: Metrics;
}

/** Raw per-replicate results of replicates [from, to). */
export interface ReplicateBlock {
  readonly from: number;
  readonly to: number;
  /** values[metric][generation * (to − from) + (replicate − from)] */
  readonly values: Float64Array[];
  /** deaths[replicate − from][category] = first generation the category was extinct, or −1. */
  readonly deaths: Int32Array[] | null;
  /** Generation-by-generation sample text of the first replicate, when the block holds it. */
  readonly samples: string[] | null;
  /**
   * The training mix: real[generation * (to − from) + (replicate − from)] rows of real data and
   * synthetic[…] rows of synthetic data trained on (generation 0: the seed data).
   */
  readonly real: Float64Array;
  readonly synthetic: Float64Array;
}

/** The smallest training set any model can be fitted to. */
const MIN_TRAINING_SIZE = 2;

/** Writes a generation's metrics, in the run's metric order, at `index` of each metric's values (NaN: a metric not measured). */
type MetricsRecorder = (values: Float64Array[], metrics: Metrics, index: number) => void;

/**
 * The recorder of a run's metric names: a function that reads each metric by its name written out,
 * compiled once per run. Reading them by a name taken from the list made each read a lookup by a
 * key that changes from one to the next, which V8 does through a slow generic path: 193 ms of
 * `sim -g 1000 -r 1000` (14 million reads), against 39 ms. The names are JSON string literals, so
 * any name is safe to write out. Where a process forbids code from strings (Node's
 * --disallow-code-generation-from-strings), the loop by name does it.
 */
export function metricsRecorder(names: readonly string[]): MetricsRecorder {
  let recorder = recorders.get(names);
  if (recorder === undefined) recorders.set(names, (recorder = compileRecorder(names)));
  return recorder;
}

/**
 * A run's recorder, kept for its list of names (Prepared.metricNames): each block of replicates
 * reuses the function, and with it the code V8 has optimised for it, instead of compiling a new
 * one that starts cold.
 */
const recorders = new WeakMap<readonly string[], MetricsRecorder>();

function compileRecorder(names: readonly string[]): MetricsRecorder {
  const lines = names.map((name, m) => `v = metrics[${JSON.stringify(name)}]; values[${m}][index] = v === undefined ? NaN : v;`);
  try {
    return new Function("values", "metrics", "index", `let v;\n${lines.join("\n")}`) as MetricsRecorder;
  } catch {
    return (values, metrics, index) => {
      for (let m = 0; m < names.length; m++) {
        const v = metrics[names[m]!];
        values[m]![index] = v === undefined ? Number.NaN : v;
      }
    };
  }
}

/**
 * Runs replicates [from, to). `onGeneration` is called after every generation of every replicate
 * (for progress bars); it must not throw.
 */
export function runReplicates(p: Prepared, from: number, to: number, onGeneration?: () => void): ReplicateBlock {
  const runner = new ReplicateRunner(p, from, to);
  while (runner.runNext(onGeneration));
  return runner.block;
}

/**
 * Replicates [from, to) run one at a time, in order, into one block: a thread that must turn to
 * other work between replicates (a coordinator, src/engine/parallel.ts) still fills one block of
 * many, which its summaries read faster than a block each (runReplicates runs them all at once).
 */
export class ReplicateRunner {
  private next: number;
  private readonly values: Float64Array[] = [];
  private readonly deaths: Int32Array[] | null;
  private samples: string[] | null = null;
  private readonly real: Float64Array;
  private readonly synthetic: Float64Array;
  /** A sample the next replicate may draw into (Model.sample's spare): memory stays one sample. */
  private spare: unknown;
  private readonly schedules: TrainingSchedules;
  private readonly recordMetrics: MetricsRecorder;
  private readonly size0: number;

  constructor(
    private readonly p: Prepared,
    private readonly from: number,
    private readonly to: number,
  ) {
    const rows = (p.config.generations + 1) * (to - from);
    // Pushed one by one: `map` gave an array of packed elements for some calls and of holey ones
    // for others, and V8 threw away runReplicates' optimised code at each change (5 times in the
    // bench's 8-point sweep, each followed by a compilation of 12–25 ms).
    for (let m = 0; m < p.metricNames.length; m++) this.values.push(new Float64Array(rows));
    this.deaths = p.categories ? [] : null;
    this.real = new Float64Array(rows);
    this.synthetic = new Float64Array(rows);
    this.next = from;
    this.schedules = trainingSchedules(p.config);
    this.recordMetrics = metricsRecorder(p.metricNames);
    this.size0 = p.model.ops.size(p.data0);
  }

  /** The block of replicates [from, to), once runNext has run them all. */
  get block(): ReplicateBlock {
    const { from, to, values, deaths, samples, real, synthetic } = this;
    return { from, to, values, deaths, samples, real, synthetic };
  }

  /** Runs the next replicate; false (and nothing run) once every one has been. */
  runNext(onGeneration?: () => void): boolean {
    if (this.next >= this.to) return false;
    const r = this.next++;
    const { p, values, real, synthetic, recordMetrics } = this;
    const { model, config, options, categories } = p;
    const G = config.generations;
    const count = this.to - this.from;
    const local = r - this.from;
    const start = r > 0 && p.replicateStart ? p.replicateStart(r) : p;
    recordMetrics(values, start.metrics0, local);
    real[local] = this.size0;
    const died = categories ? new Int32Array(categories.length).fill(-1) : null;
    if (died) {
      this.deaths!.push(died);
      // Against the source, a category the seed sample missed is already extinct at generation 0.
      markDeaths(died, model.extinctions!.alive(start.params0, p.reference), 0);
    }
    const describe = r === 0 && p.describes !== false && model.describe ? model.describe : null;
    if (describe) this.samples = [describe(p.params0, new Rng(deriveSeed(config.seed, "describe", 0)), p.reference, options)];

    const rng = new Rng(deriveSeed(config.seed, "replicate", r));
    const trainingSets = new ReplicateTrainingSets(p, this.schedules, rng, start.data0, this.spare);
    let params = start.params0;
    for (let g = 1; g <= G; g++) {
      const set = trainingSets.next(params, g, r);
      // The previous model is done with once its sample is drawn: not held during the new fit,
      // which may need as much memory again (its counts, on 50 MB of text hundreds of MB).
      if (params !== start.params0) model.release?.(params);
      params = null;
      const train = set.data;
      real[g * count + local] = set.real;
      synthetic[g * count + local] = set.synthetic;
      params = set.fitted ?? model.fit(train, options);
      recordMetrics(values, model.measure(params, train, p.reference, options), g * count + local);
      if (died) markDeaths(died, model.extinctions!.alive(params, p.reference), g);
      if (describe) this.samples!.push(describe(params, new Rng(deriveSeed(config.seed, "describe", g)), p.reference, options));
      onGeneration?.();
    }
    // The last generation's model too: the next replicate's first fit may reuse its arrays.
    if (params !== start.params0) model.release?.(params);
    this.spare = trainingSets.lastDraws;
    return true;
  }
}

function markDeaths(died: Int32Array, alive: ArrayLike<number | boolean>, generation: number): void {
  for (let i = 0; i < died.length; i++) if (died[i] === -1 && !alive[i]) died[i] = generation;
}

/** One generation's training set and what it holds (the training mix, ARCHITECTURE §5). */
export interface TrainingSet {
  /** null when the set was fitted as it was drawn (`fitted`). */
  readonly data: unknown;
  /** The fit of a set the model fitted as it drew it (Model.fitDraws), holding none of it. */
  readonly fitted?: unknown;
  /** Rows (samples, tokens, draws) of real data: seed rows, or fresh real draws. */
  readonly real: number;
  /** Rows of synthetic data, after the filter. */
  readonly synthetic: number;
}

/** The filter's recall and the real rows of each generation (index g; see scheduleValues), the same for every replicate. */
interface TrainingSchedules {
  readonly recall: Float64Array;
  /** Real rows per training set under mix and fresh; null under the other regimes. */
  readonly realCounts: Int32Array | null;
}

function trainingSchedules(config: ResolvedConfig): TrainingSchedules {
  const G = config.generations;
  const M = config.sampleSize;
  const mixes = config.regime === "mix" || config.regime === "fresh";
  return {
    recall: scheduleValues(config.filterRecall, G),
    realCounts: mixes ? Int32Array.from(scheduleValues(config.realFraction, G), (a) => Math.round(a * M)) : null,
  };
}

/**
 * The training sets of one replicate, generation after generation, under the configured regime
 * (A_g and r_g are generation g's --real-fraction and --filter-recall, constant or a schedule):
 * - replace:    Tg = Sg (M synthetic samples from θ(g−1)), after the filter;
 * - accumulate: Tg = D0 ∪ S1 ∪ … ∪ Sg (each Sg filtered), kept in an append-only pool;
 * - accumulate-subsample: the same pool, of which Tg is min(M, pool) rows drawn uniformly without
 *               replacement: the number k of seed rows among them is hypergeometric, then k seed
 *               rows and the rest from the synthetic pool are drawn uniformly — the same law as a
 *               uniform subset of the whole pool, with the real count known;
 * - mix:        Tg = round(A_g·M) rows of a fixed random subset of D0 (of the largest size the
 *               schedule needs, drawn once per replicate; all of it when A_g needs that many, else a
 *               fresh subset of it), plus M − round(A_g·M) synthetic samples (filtered);
 * - fresh:      like mix, but the real part is new each generation (from --source, or D0 resampled).
 * Under replace with no filter in a generation, from DRAWN_FIT_MIN rows, a model with fitDraws fits
 * the draws as it makes them: the set is its fit alone, with no data held (src/core/drawn-fit.ts).
 * A constant A and r give the same random streams as before schedules existed.
 */
class ReplicateTrainingSets {
  private readonly pool: { add(d: unknown): void; view(): unknown } | null;
  private synthetic: { add(d: unknown): void; view(): unknown } | null = null;
  private syntheticCount = 0;
  private readonly realSubset: unknown;
  private readonly realCounts: Int32Array | null;
  private readonly recall: Float64Array;
  private readonly realCount0: number;
  /** The previous generation's draws (or the previous replicate's last), which sample() may reuse under replace. */
  lastDraws: unknown;

  constructor(
    private readonly p: Prepared,
    schedules: TrainingSchedules,
    private readonly rng: Rng,
    /** The replicate's own seed data (under --reference source each replicate has its own). */
    private readonly data0: unknown,
    spare: unknown,
  ) {
    this.lastDraws = spare;
    const { config, model } = p;
    const G = config.generations;
    this.recall = schedules.recall;
    this.realCount0 = model.ops.size(data0);
    this.realCounts = schedules.realCounts;
    this.pool = config.regime === "accumulate" ? model.ops.pool(data0) : null;
    this.realSubset = config.regime === "mix" ? model.ops.subset(data0, Math.max(...this.realCounts!.subarray(G >= 1 ? 1 : 0)), rng) : null;
  }

  next(params: unknown, generation: number, replicate: number): TrainingSet {
    const { config, model } = this.p;
    const data0 = this.data0;
    const ops = model.ops;
    const M = config.sampleSize;
    const realCount = this.realCounts ? this.realCounts[generation]! : 0;
    const recall = this.recall[generation]!;
    if (model.fitDraws && drawnTrainingSet(config.regime, M, recall)) {
      const fitted = model.fitDraws(params, M, this.rng, this.p.options);
      if (fitted !== null) {
        // No sample of this replicate is held from now on: an earlier one is let go.
        this.lastDraws = undefined;
        return { data: null, fitted, real: 0, synthetic: M };
      }
    }
    // Under replace, last generation's draws were its whole training set, and it is done with.
    const spare = config.regime === "replace" ? this.lastDraws : undefined;
    let synthetic = model.sample(params, M - realCount, this.rng, this.p.options, spare);
    this.lastDraws = synthetic;
    if (recall > 0) synthetic = ops.thin(synthetic, 1 - recall, this.rng);
    const drawn = ops.size(synthetic);
    let set: TrainingSet;
    switch (config.regime) {
      case "replace":
        set = { data: synthetic, real: 0, synthetic: drawn };
        break;
      case "accumulate":
        this.pool!.add(synthetic);
        this.syntheticCount += drawn;
        set = { data: this.pool!.view(), real: this.realCount0, synthetic: this.syntheticCount };
        break;
      case "accumulate-subsample": {
        if (this.synthetic === null) this.synthetic = ops.pool(synthetic);
        else this.synthetic.add(synthetic);
        this.syntheticCount += drawn;
        const total = this.realCount0 + this.syntheticCount;
        const take = Math.min(M, total);
        const real = hypergeometric(this.rng, total, this.realCount0, take);
        const data = ops.concat([ops.subset(data0, real, this.rng), ops.subset(this.synthetic.view(), take - real, this.rng)]);
        set = { data, real, synthetic: take - real };
        break;
      }
      case "mix": {
        const full = ops.size(this.realSubset);
        const real = realCount === full ? this.realSubset : ops.subset(this.realSubset, realCount, this.rng);
        set = { data: ops.concat([real, synthetic]), real: realCount, synthetic: drawn };
        break;
      }
      case "fresh": {
        // round(A·M) can be 0 (small A·M); a source asked for zero draws would be an empty seed.
        const real = realCount > 0 ? this.p.freshReal(realCount, this.rng) : null;
        set = real === null ? { data: synthetic, real: 0, synthetic: drawn } : { data: ops.concat([real, synthetic]), real: ops.size(real), synthetic: drawn };
        break;
      }
    }
    const size = ops.size(set.data);
    if (size < MIN_TRAINING_SIZE) {
      throw new InputError(
        `generation ${generation} of replicate ${replicate} has ${size} training sample(s) left after the filter; ` +
          `lower --filter-recall or raise --sample-size`,
      );
    }
    return set;
  }
}
