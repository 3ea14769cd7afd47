import type { ResolvedConfig } from "../config/config.js";
import type { SeedFit } from "../models/model.js";
import type { Summary } from "./aggregate.js";

/** One category's extinction across replicates (discrete models). */
export interface ExtinctionRecord {
  category: string;
  /** Median (lower) first generation of extinction among the replicates in which it died. */
  generation: number;
  /** Share of replicates in which it had died by the last generation. */
  replicates: number;
}

export interface GenerationResult {
  generation: number;
  metrics: Record<string, Summary>;
  theory?: Record<string, number>;
  /** A short sample of generation g's output, first replicate (ngram). */
  sample?: string;
  /** What generation g was trained on (generation 0: the seed data); absent in documents of earlier versions. */
  training?: TrainingMix;
}

/**
 * A generation's training mix (ARCHITECTURE §5), each the mean over replicates: rows of real data,
 * rows of synthetic data after the filter, and the real share real/(real + synthetic) of each
 * replicate's training set.
 */
export interface TrainingMix {
  real: number;
  synthetic: number;
  real_share: number;
}

/** The JSON document of ARCHITECTURE §5; every output format renders this. */
export interface SimResult {
  tool: { name: string; version: string };
  config: ResolvedConfig;
  seed: string;
  /** How well generation 0's model fits the seed data (the model's seedFit hook; absent when it has none). */
  seed_fit?: SeedFit;
  generations: GenerationResult[];
  extinctions?: ExtinctionRecord[];
}
