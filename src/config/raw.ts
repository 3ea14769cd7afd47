/** Options given as a plain object — a --config file's JSON, or a library caller's argument — as raw options for resolution. */
import type { Origin, RawOption } from "./resolve.js";

/**
 * One raw option per key of `doc`. null and undefined mean "default" and are left out, so a
 * results document's "config" block can be given back as options.
 */
export function rawOptions(doc: Readonly<Record<string, unknown>>, origin: Origin, skip: readonly string[] = []): Map<string, RawOption> {
  const raw = new Map<string, RawOption>();
  for (const [key, value] of Object.entries(doc)) {
    if (value === null || value === undefined || skip.includes(key)) continue;
    raw.set(key, { value, origin });
  }
  return raw;
}
