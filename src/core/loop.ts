/**
 * The generation loop (ARCHITECTURE §1): fit θ0 on the seed data, then for each generation draw a sample
 * from the previous model, build the training set by the regime, refit, and measure against
 * generation 0. Replicates are independent repetitions of the loop, each on its own stream derived from
 * (seed, replicate index), so any split of replicates across workers gives the same numbers.
 */
import type { ResolvedConfig } from "../config/config.js";
import { InputError } from "../errors.js";
import type { AnyModel, Footprint, Metrics, RunContext } from "../models/model.js";
import { deriveSeed, Rng } from "../stats/rng.js";
import type { DataShape, MachineMemory } from "./memory.js";
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
  /** The data's shape, for the memory estimate (how many worker threads fit). */
  readonly shape: DataShape;
  readonly metrics0: Metrics;
  /** New real data for the `fresh` regime: from the generative source, or D0 resampled. */
  readonly freshReal: (n: number, rng: Rng) => unknown;
  /** The seed input it was prepared from (workers prepare their own copy from it). */
  readonly seed: SeedResult;
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
}

/** The smallest training set any model can be fitted to. */
const MIN_TRAINING_SIZE = 2;

function recordMetrics(values: Float64Array[], names: readonly string[], metrics: Metrics, index: number): void {
  for (let m = 0; m < names.length; m++) {
    const v = metrics[names[m]!];
    values[m]![index] = v === undefined ? Number.NaN : v;
  }
}

/**
 * Runs replicates [from, to). `onGeneration` is called after every generation of every replicate
 * (for progress bars); it must not throw.
 */
export function runReplicates(p: Prepared, from: number, to: number, onGeneration?: () => void): ReplicateBlock {
  const { model, config, options } = p;
  const G = config.generations;
  const count = to - from;
  const values = p.metricNames.map(() => new Float64Array((G + 1) * count));
  const categories = model.extinctions ? model.extinctions.categories(p.reference) : null;
  const deaths: Int32Array[] | null = categories ? [] : null;
  let samples: string[] | null = null;

  for (let r = from; r < to; r++) {
    const local = r - from;
    const start = r > 0 && p.replicateStart ? p.replicateStart(r) : p;
    recordMetrics(values, p.metricNames, start.metrics0, local);
    const died = categories ? new Int32Array(categories.length).fill(-1) : null;
    if (died) {
      deaths!.push(died);
      // Against the source, a category the seed sample missed is already extinct at generation 0.
      markDeaths(died, model.extinctions!.alive(start.params0, p.reference), 0);
    }
    const describe = r === 0 && model.describe ? model.describe : null;
    if (describe) samples = [describe(p.params0, new Rng(deriveSeed(config.seed, "describe", 0)), p.reference, options)];

    const rng = new Rng(deriveSeed(config.seed, "replicate", r));
    const trainingSets = new ReplicateTrainingSets(p, rng, start.data0);
    let params = start.params0;
    for (let g = 1; g <= G; g++) {
      const train = trainingSets.next(params, g, r);
      params = model.fit(train, options);
      recordMetrics(values, p.metricNames, model.measure(params, train, p.reference, options), g * count + local);
      if (died) markDeaths(died, model.extinctions!.alive(params, p.reference), g);
      if (describe) samples!.push(describe(params, new Rng(deriveSeed(config.seed, "describe", g)), p.reference, options));
      onGeneration?.();
    }
  }
  return { from, to, values, deaths, samples };
}

function markDeaths(died: Int32Array, alive: ArrayLike<number | boolean>, generation: number): void {
  for (let i = 0; i < died.length; i++) if (died[i] === -1 && !alive[i]) died[i] = generation;
}

/**
 * The training sets of one replicate, generation after generation, under the configured regime:
 * - replace:    Tg = Sg (M synthetic samples from θ(g−1)), after the filter;
 * - accumulate: Tg = D0 ∪ S1 ∪ … ∪ Sg (each Sg filtered), kept in an append-only pool;
 * - mix:        Tg = a fixed random subset of D0 of size round(A·M), drawn once per replicate,
 *               plus M − round(A·M) synthetic samples (filtered);
 * - fresh:      like mix, but the real part is new each generation (from --source, or D0 resampled).
 */
class ReplicateTrainingSets {
  private readonly pool: { add(d: unknown): void; view(): unknown } | null;
  private readonly realSubset: unknown;
  private readonly realCount: number;

  constructor(
    private readonly p: Prepared,
    private readonly rng: Rng,
    data0: unknown,
  ) {
    const { config, model } = p;
    const M = config.sampleSize;
    this.realCount = config.regime === "mix" || config.regime === "fresh" ? Math.round(config.realFraction * M) : 0;
    this.pool = config.regime === "accumulate" ? model.ops.pool(data0) : null;
    this.realSubset = config.regime === "mix" ? model.ops.subset(data0, this.realCount, rng) : null;
  }

  next(params: unknown, generation: number, replicate: number): unknown {
    const { config, model } = this.p;
    const ops = model.ops;
    let synthetic = model.sample(params, config.sampleSize - this.realCount, this.rng, this.p.options);
    if (config.filterRecall > 0) synthetic = ops.thin(synthetic, 1 - config.filterRecall, this.rng);
    let train: unknown;
    switch (config.regime) {
      case "replace":
        train = synthetic;
        break;
      case "accumulate":
        this.pool!.add(synthetic);
        train = this.pool!.view();
        break;
      case "mix":
        train = ops.concat([this.realSubset, synthetic]);
        break;
      case "fresh":
        // round(A·M) can be 0 (small A·M); a source asked for zero draws would be an empty seed.
        train = this.realCount > 0 ? ops.concat([this.p.freshReal(this.realCount, this.rng), synthetic]) : synthetic;
        break;
    }
    const size = ops.size(train);
    if (size < MIN_TRAINING_SIZE) {
      throw new InputError(
        `generation ${generation} of replicate ${replicate} has ${size} training sample(s) left after the filter; ` +
          `lower --filter-recall or raise --sample-size`,
      );
    }
    return train;
  }
}
