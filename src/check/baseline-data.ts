/**
 * What a baseline records of a run's --data path: the path relative to the baseline's own folder.
 * A module of its own, light enough for a sweep worker, which renders a point's part of a sweep's
 * baseline (src/sweep/point.ts).
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { isBundled } from "../config/spec.js";
import type { SimResult } from "../core/result.js";

/**
 * The document `--save-baseline FILE` writes: the run's results document, its data path rewritten
 * relative to FILE's folder (where collapse check will look for it), with `/` separators so the
 * baseline works on every system. A path that then climbs out of the folder is kept as such:
 * collapse check will ask for --data. Stdin and the bundled corpus are left as they are.
 */
export function baselineDocument(result: SimResult, baselinePath: string): SimResult {
  const data = result.config.data;
  if (data === null) return result;
  const portable = dataPathFor(data, baselinePath);
  return portable === data ? result : { ...result, config: { ...result.config, data: portable } };
}

/**
 * A --data path (relative to the working directory) as a baseline at `baselinePath` records it:
 * relative to the baseline's folder, with `/` separators. Stdin and the bundled corpus are kept.
 */
export function dataPathFor(data: string, baselinePath: string): string {
  if (data === "-" || (isBundled(data) && !existsSync(data))) return data;
  const rel = relative(dirname(resolve(baselinePath)), resolve(data));
  return isAbsolute(rel) ? rel : rel.split(sep).join("/");
}
