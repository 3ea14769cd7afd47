/**
 * The one description of a run, piece by piece, for the table and Markdown headers, check reports
 * and plot subtitles. Each piece comes from an option's declaration (its `describe`), so a model's
 * options describe themselves and only where the model takes them.
 */
import type { ResolvedConfig } from "../config/config.js";
import { modelsTaking, SIM_OPTIONS } from "../config/spec.js";

/** Options whose words are composed here rather than by their own declaration. */
const COMPOSED = new Set(["model", "data", "column", "source", "seedSize", "regime", "realFraction", "seed"]);

/** The loop's size, first after the seed data. */
const LEAD = ["sampleSize", "generations", "replicates"];

/**
 * The pieces of a run's description, in a fixed order: model, seed data, M, generations,
 * replicates, regime, then every other described option, then the seed. Keys in `skip` (what a
 * sweep varies: its legend says it) and absent or null values are left out, so a partial config
 * (a sweep's shared options, a file's) describes what it knows. Keys in `omit` are known but
 * said elsewhere (a plot's title names the model).
 */
export function describeRunParts(c: Partial<ResolvedConfig>, skip: ReadonlySet<string> = new Set(), omit: ReadonlySet<string> = new Set()): string[] {
  const values = c as Record<string, unknown>;
  const known = (k: string) => !skip.has(k) && values[k] !== undefined && values[k] !== null;
  const has = (k: string) => known(k) && !omit.has(k);
  const parts: string[] = [];
  if (has("model")) parts.push(String(c.model));
  if (has("data")) parts.push(`data ${c.data === "-" ? "stdin" : c.data}${c.column != null ? ` [${c.column}]` : ""}`);
  else if (has("source")) parts.push(`source ${c.source}${has("seedSize") ? ` ×${c.seedSize}` : ""}`);
  const model = known("model") ? String(c.model) : null;
  const describe = (key: string) => {
    const spec = SIM_OPTIONS.find((o) => o.key === key);
    if (!spec?.describe || !has(key)) return;
    // A model's own option is described where the model takes it; with the model unknown, when it is not the default.
    const takers = modelsTaking(key);
    if (model !== null ? !takers.some((m) => m.name === model) : JSON.stringify(values[key]) === JSON.stringify(spec.default)) return;
    const words = (spec.describe as (v: unknown) => string | null)(values[key]);
    if (words !== null) parts.push(words);
  };
  for (const key of LEAD) describe(key);
  if (has("regime")) parts.push(`regime ${c.regime}${(c.regime === "mix" || c.regime === "fresh") && has("realFraction") ? ` (real ${c.realFraction})` : ""}`);
  for (const spec of SIM_OPTIONS) if (!COMPOSED.has(spec.key) && !LEAD.includes(spec.key)) describe(spec.key);
  if (has("seed")) parts.push(`seed ${c.seed}`);
  return parts;
}

export function describeRun(c: ResolvedConfig): string {
  return describeRunParts(c).join(" · ");
}
