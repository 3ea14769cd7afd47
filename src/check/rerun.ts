/**
 * Re-running a recorded configuration. A baseline's `config` is a ResolvedConfig — every option
 * with its value, including what was derived from the seed data — so it cannot be fed back to
 * resolveSimConfig as it is (that would reject, say, --seed-size next to --data). This module turns
 * it back into the raw options a user could have given, so that the re-run goes through the same
 * validation as `collapse sim` and reproduces the recorded numbers exactly.
 */
import type { ResolvedConfig } from "../config/config.js";
import { atModelDefault, type Origin, type RawOption } from "../config/resolve.js";

/**
 * The raw options that resolve to `config`, named as keys of the baseline file in messages.
 *
 * - null means "default" and is left out (as readConfigFile does);
 * - with `data` set, `seedSize` (the file's size), `source` (null) and `dataSha256` (the file's
 *   hash, which collapse check compares itself) are derived, so left out;
 * - a value equal to the current default for the model is left out: resolution gives it back,
 *   and options that do not apply to the model (which always hold their default) are not given;
 * - anything else is given, so a baseline keeps its numbers even if a later version changes a
 *   default. `sampleSize`, resolved from the seed size, is given explicitly: it resolves the same.
 */
export function rerunOptions(config: Readonly<Record<string, unknown>>, path: string): Map<string, RawOption> {
  const origin: Origin = { kind: "config", file: path };
  const raw = new Map<string, RawOption>([["model", { value: config.model, origin }]]);
  const atDefault = atModelDefault(raw.get("model"));
  const hasData = config.data !== null && config.data !== undefined;
  for (const [key, value] of Object.entries(config)) {
    if (key === "model" || value === null || value === undefined) continue;
    if (key === "dataSha256" || (hasData && (key === "seedSize" || key === "source"))) continue;
    if (atDefault(key, value)) continue;
    raw.set(key, { value, origin });
  }
  return raw;
}

/**
 * Keys whose re-run value differs from the recorded one, as "key: recorded → now" — e.g. the seed
 * size when the data file changed since the baseline was written. Empty when the re-run is faithful.
 * The data's hash is left out: collapse check compares it first, with its own message. So is an
 * option the baseline does not record at all that re-runs at its default (a baseline written
 * before the option existed, say before --count-column).
 */
export function configChanges(recorded: Readonly<Record<string, unknown>>, now: ResolvedConfig): string[] {
  const current = now as unknown as Record<string, unknown>;
  // An option a baseline does not record (it predates the option) re-runs at its default: no change.
  const atDefault = atModelDefault({ value: now.model, origin: { kind: "flag" } });
  const predates = (k: string) => !(k in recorded) && atDefault(k, current[k]);
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(current)])].filter((k) => k !== "dataSha256" && !predates(k));
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));
  return keys.filter((k) => JSON.stringify(recorded[k]) !== JSON.stringify(current[k])).map((k) => `${k}: ${show(recorded[k])} → ${show(current[k])}`);
}
