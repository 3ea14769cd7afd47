/**
 * One-line definitions of the metrics (ARCHITECTURE §3), shown under each panel's title so a reader of
 * the picture need not look them up. Names not listed here get no subtitle.
 */
const EXACT: Record<string, string> = {
  mean: "mean of generation g",
  std: "standard deviation of generation g",
  var_ratio: "variance ratio σ²(g) / σ²(0)",
  log_var_ratio: "log variance ratio ln(σ²(g) / σ²(0))",
  gen_var_ratio: "generalised variance ratio (det Σg / det Σ0)^(1/d)",
  log_gen_var_ratio: "log generalised variance ratio",
  mean_drift: "mean drift (μg − μ0) / σ0",
  w2: "2-Wasserstein distance to generation 0",
  kl: "KL(θg ‖ θ0)",
  modes: "components with weight > 1%",
  support: "categories with p > 0",
  extinct: "categories lost since generation 0",
  support_ratio: "support / support at generation 0",
  entropy: "entropy (bits)",
  gini_simpson: "Gini–Simpson index 1 − Σp²",
  tv: "total variation distance to generation 0",
  js: "Jensen–Shannon divergence to generation 0 (bits)",
  tail_mass: "mass of generation 0's rarest categories",
  tail_loss: "tail loss 1 − tail_mass / tail_mass(0)",
  tail_support: "share of the rare categories still alive",
  perplexity: "perplexity of held-out original text",
  ppl_gen0: "perplexity of generation g's samples under θ0",
  vocab: "distinct tokens",
  distinct_ngrams: "distinct n-grams",
  distinct_2: "distinct bigrams / bigrams",
};

const PATTERNS: readonly [RegExp, (...groups: string[]) => string][] = [
  [/^tail_mass_centered_(.+)$/, (k) => `mass beyond μg ± ${k}σ0`],
  [/^tail_mass_(.+)$/, (k) => `mass beyond μ0 ± ${k}σ0`],
  [/^tail_loss_(.+)$/, (k) => `tail loss at ${k}σ0: 1 − centred tail mass / generation 0's`],
  [/^quantile_(\d+)p(\d+)$/, (_, whole, frac) => `sample ${whole}.${frac} quantile, standardised by generation 0`],
];

export function describeMetric(name: string): string | undefined {
  const exact = EXACT[name];
  if (exact !== undefined) return exact;
  for (const [re, text] of PATTERNS) {
    const m = re.exec(name);
    if (m) return text(...m.slice(1));
  }
  return undefined;
}
