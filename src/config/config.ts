import type { Estimator, ModelName, Regime, Tokens } from "./spec.js";

/**
 * A fully resolved simulation: every option with its value, defaults included. This is what the
 * JSON output records as `config` and what `collapse check` re-runs. Running options (format,
 * output file, colour, jobs) are deliberately not part of it: they must not change the numbers.
 */
export interface SimConfig {
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
  estimator: Estimator;
  regime: Regime;
  realFraction: number;
  filterRecall: number;
  temperature: number;
  topK: number;
  topP: number;
  truncate: number | null;
  tokens: Tokens;
  order: number;
  holdout: number;
  smoothing: number;
  components: number;
  dims: number;
  tailK: number[];
  tailFraction: number;
  quantiles: number[];
  theory: boolean;
}

/** A SimConfig whose seed data has been read: sample size and seed size are known. */
export interface ResolvedConfig extends SimConfig {
  sampleSize: number;
  /**
   * Lower-case hex SHA-256 of the --data file's bytes, right after `data` in the JSON document;
   * absent for a --source run. `collapse check` refuses data whose hash differs.
   */
  dataSha256?: string;
}
