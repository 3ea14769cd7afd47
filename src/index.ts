/**
 * collapse as a library: the same simulations, sweeps and checks as the CLI, with types.
 *
 *   import { simulate, sweep, check } from "collapse";
 *   const doc = await simulate({ model: "gaussian", generations: 9, sampleSize: 20 });
 *
 * Options are the camelCase keys of a `--config` file; results are the documents of
 * `--format json`. Bad options or data reject with a CollapseError whose `exitCode` is the CLI's.
 */

export type { Comparison, ComparisonRow } from "./check/compare.js";
export type { CheckReport, PointCheck, SimCheckReport, SweepCheckReport } from "./check/report.js";
export { passed } from "./check/report.js";
export type { Tolerance } from "./check/tolerance.js";
export type { ResolvedConfig, SimConfig } from "./config/config.js";
export type { Summary } from "./core/aggregate.js";
export type { ExtinctionRecord, GenerationResult, SimResult } from "./core/result.js";
export { CheckFailure, CollapseError, InputError, UsageError } from "./errors.js";
export { type CheckOptions, check } from "./lib/check.js";
export type { RunSettings } from "./lib/run-settings.js";
export { type SimOptions, simulate } from "./lib/simulate.js";
export { type SweepOptions, type SweepPointResult, type SweepSettings, sweep } from "./lib/sweep.js";
export { VERSION } from "./version.js";
