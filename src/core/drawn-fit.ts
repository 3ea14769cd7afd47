/**
 * When the loop fits a training set as it is drawn (Model.fitDraws, ARCHITECTURE §2): the size from
 * which it does, and whether a whole run does, which the memory estimate needs (src/core/memory.ts).
 */
import type { ResolvedConfig } from "../config/config.js";
import type { Footprint } from "../models/model.js";
import { scheduleValues } from "./schedule.js";

/**
 * From this many rows on, a training set that is one sample and nothing else (replace, no filter)
 * is fitted as it is drawn when the model can (Model.fitDraws): no sample of M rows is then held
 * in any thread. 2²⁰ values of the Gaussian are 8 MB; below it samples stay cheap to hold, and the
 * fits of the sizes most runs use keep their bits.
 */
export const DRAWN_FIT_MIN = 1 << 20;

/**
 * Whether every generation of this run trains on draws fitted as they are drawn: what the memory
 * estimate counts instead of a sample per thread (src/core/memory.ts).
 */
export function fitsEveryDraw(config: Pick<ResolvedConfig, "regime" | "sampleSize" | "filterRecall" | "generations">, footprint: Footprint): boolean {
  if (footprint.fitsDraws !== true) return false;
  return scheduleValues(config.filterRecall, config.generations).every((recall) => drawnTrainingSet(config.regime, config.sampleSize, recall));
}

/** Whether a generation's training set is one sample and nothing else, large enough to be fitted as drawn. */
export function drawnTrainingSet(regime: ResolvedConfig["regime"], sampleSize: number, recall: number): boolean {
  return regime === "replace" && recall === 0 && sampleSize >= DRAWN_FIT_MIN;
}
