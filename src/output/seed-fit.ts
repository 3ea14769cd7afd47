/**
 * The one line the table and Markdown print under the generations when generation 0's model fits
 * the seed data poorly (the `seed_fit` object of ARCHITECTURE §3): every metric compares with that
 * model, so what the first fit lost is otherwise invisible.
 */
import type { SimResult } from "../core/result.js";
import { getModel } from "../models/index.js";
import { formatNumber } from "./numbers.js";

/** A seed fit is poor when its Kolmogorov–Smirnov p-value is below this. */
export const POOR_FIT_P = 0.01;

/**
 * "seed fit poor (KS D = 0.117, p = 2.2e-12): beyond 3σ0 the seed holds 1.1%, generation 0's model
 * 0.27%; metrics compare with that model, not the data", or null when the fit is not poor (or the model reports no KS test). The tail
 * named is the --tail-k whose data and model masses differ most, relatively; the last clause names
 * what the metrics compare with under --reference source.
 */
export function poorSeedFitLine(result: SimResult): string | null {
  const fit = result.seed_fit;
  if (!fit || typeof fit.ks_p !== "number" || typeof fit.ks !== "number" || !(fit.ks_p < POOR_FIT_P)) return null;
  let tail = "";
  let worst = -1;
  for (const key of Object.keys(fit)) {
    if (!key.startsWith("tail_mass_data_")) continue;
    const suffix = key.slice("tail_mass_data_".length);
    const data = fit[key];
    const model = fit[`tail_mass_model_${suffix}`];
    if (typeof data !== "number" || typeof model !== "number") continue;
    const gap = Math.abs(data - model) / Math.max(data, model, Number.MIN_VALUE);
    if (gap > worst) {
      worst = gap;
      tail = `: beyond ${suffix.replace("p", ".")}σ0 the seed holds ${percent(data)}, generation 0's model ${percent(model)}`;
    }
  }
  return `seed fit poor (KS D = ${formatNumber(fit.ks)}, p = ${pValue(fit.ks_p)})${tail}; ${comparedWith(result)}`;
}

/** What the metrics compare with: generation 0's model, or what the model declares for --reference source. */
function comparedWith(result: SimResult): string {
  if (result.config.reference !== "source") return "metrics compare with that model, not the data";
  return getModel(result.config.model).sourceComparison ?? "metrics compare with the source's distribution, not the data";
}

function percent(x: number): string {
  const p = x * 100;
  return `${p === 0 ? "0" : p >= 10 ? p.toFixed(1) : Number(p.toPrecision(2)).toString()}%`;
}

function pValue(p: number): string {
  return p === 0 ? "0" : p < 1e-3 ? p.toExponential(1) : p.toFixed(3);
}
