import type { AllModelOptions, ModelName } from "../models/index.js";
import type { Regime } from "../models/model.js";

/** The options every run has (src/config/spec.ts declares them). */
export interface CommonConfig {
  model: ModelName;
  data: string | null;
  column: string | null;
  source: string | null;
  seedSize: number | null;
  generations: number;
  /** null until the seed data is known: the default is the seed size. */
  sampleSize: number | null;
  replicates: number;
  seed: string;
  regime: Regime;
  /** A number, or a schedule's canonical text (src/core/schedule.ts). */
  realFraction: number | string;
  /** A number, or a schedule's canonical text (src/core/schedule.ts). */
  filterRecall: number | string;
  /** What the metrics compare with: generation 0's fit, or the built-in source's true distribution. */
  reference: "gen0" | "source";
  theory: boolean;
}

/**
 * A fully resolved simulation: every option with its value, defaults included — every run's
 * options and every model's own (each model declares its options: src/models/). This is what the
 * JSON output records as `config` and what `collapse check` re-runs. Running options (format,
 * output file, colour, jobs) are deliberately not part of it: they must not change the numbers.
 */
export type SimConfig = CommonConfig & { -readonly [K in keyof AllModelOptions]: AllModelOptions[K] };

/** A SimConfig whose seed data has been read: sample size and seed size are known. */
export type ResolvedConfig = SimConfig & {
  sampleSize: number;
  /**
   * Lower-case hex SHA-256 of the --data file's bytes, right after `data` in the JSON document;
   * absent for a --source run. `collapse check` refuses data whose hash differs.
   */
  dataSha256?: string;
};
