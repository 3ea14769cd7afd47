/**
 * Which metrics a human-facing table shows first. Machine formats carry every metric; a terminal
 * has room for a few, so the most telling ones come first (whatever model produced them).
 */
const PRIORITY: readonly RegExp[] = [
  /^var_ratio$/,
  /^modes$/, // gmm: modes dying out is the story of a mixture
  /^nll_holdout$/, // kde: how well the model still explains real data held out
  /^mean_drift$/,
  /^tail_loss_/,
  /^kl$/,
  /^perplexity$/,
  /^ppl_gen0$/,
  /^extinct$/,
  /^tail_support$/,
  /^entropy$/,
  /^gini_simpson$/, // the discrete metric with a closed form (--theory)
  /^vocab$/,
  /^distinct_2$/,
  /^w2$/,
  /^tv$/,
  /^excess_risk$/, // linreg: the test error collapse adds, then the noise it loses
  /^noise_ratio$/,
  /^coef_drift$/,
];

/** Up to `count` headline metrics out of `available`, in priority order. */
export function headlineMetrics(available: readonly string[], count: number): string[] {
  const chosen: string[] = [];
  for (const pattern of PRIORITY) {
    for (const name of available) {
      // One metric per pattern: tail_loss_2 is the headline; tail_loss_3 is in the machine formats.
      if (pattern.test(name) && !chosen.includes(name)) {
        chosen.push(name);
        break;
      }
    }
    if (chosen.length >= count) break;
  }
  return chosen;
}
