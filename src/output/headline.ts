/**
 * Which metrics a human-facing table shows first. Machine formats carry every metric; a terminal
 * has room for a few, so the most telling ones come first. Each model declares its own order
 * (Model.headline); a document is matched to the model whose headline it fits best, so a file
 * read back without its model (a CSV) gets the same columns.
 */
import { MODELS } from "../models/index.js";

/** Whether a headline entry (a name, or a prefix ending in "_") names `metric`. */
function names(entry: string, metric: string): boolean {
  return entry.endsWith("_") ? metric.startsWith(entry) : metric === entry;
}

/** The declared headline that most of `available` fits; on a tie, the earlier model's. */
function headlineFor(available: readonly string[]): readonly string[] {
  let best: readonly string[] = [];
  let bestScore = 0;
  for (const model of MODELS) {
    const score = model.headline.filter((entry) => available.some((m) => names(entry, m))).length;
    if (score > bestScore) [best, bestScore] = [model.headline, score];
  }
  return best;
}

/** Up to `count` headline metrics out of `available`, in the order the model declares. */
export function headlineMetrics(available: readonly string[], count: number): string[] {
  const chosen: string[] = [];
  for (const entry of headlineFor(available)) {
    // One metric per entry: tail_loss_2 is the headline; tail_loss_3 is in the machine formats.
    const name = available.find((m) => names(entry, m) && !chosen.includes(m));
    if (name !== undefined) chosen.push(name);
    if (chosen.length >= count) break;
  }
  return chosen;
}
