/**
 * Baselines: a results document saved by `collapse sim --save-baseline FILE` (the JSON document of
 * ARCHITECTURE §5). Reading one checks its shape, so that `collapse check` fails with exit 2 and one line
 * naming the bad field rather than comparing against garbage.
 */
import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, posix, relative, sep, win32 } from "node:path";
import { isBundled } from "../config/spec.js";
import { holdSummaryShape, SUMMARY_KEYS } from "../core/aggregate.js";
import type { SimResult } from "../core/result.js";
import { parseJsonBytes } from "../data/json-steps.js";
import { readUtf8 } from "../data/read.js";
import { InputError, UsageError } from "../errors.js";

/** Far more than any model reports; bounds what a report (and a message) lists. */
const MAX_METRICS = 100;
const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const REGENERATE = "regenerate it with collapse sim --save-baseline FILE";

/** A baseline as read: the document, plus where it came from (for messages). */
export interface Baseline {
  readonly path: string;
  readonly result: SimResult;
}

/**
 * Reads and validates a baseline. Summary values written as null (JSON's spelling of NaN and ±∞)
 * become NaN. Throws InputError (exit 2) naming the file and the first bad field.
 */
export async function readBaseline(path: string): Promise<Baseline> {
  return { path, result: validateResult(await readBaselineJson(path), path) };
}

/**
 * A baseline file's JSON, read like any input: size-limited while reading, strict UTF-8, a FIFO or
 * slow pipe waited on; parsed in steps when large, so that a signal is answered meanwhile.
 */
export async function readBaselineJson(path: string): Promise<unknown> {
  holdSummaryShape();
  let bytes: Uint8Array;
  try {
    bytes = (await readUtf8(path, `write one with collapse sim --save-baseline ${path}`)).bytes;
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.message.replace(/^cannot read /, "cannot read baseline "));
    throw e;
  }
  return parseJsonBytes(bytes, { name: path, invalid: (where, reason) => `${where}: baseline is not valid JSON (${reason}); ${REGENERATE}` });
}

/** Whether `tool` is {"name": "collapse", "version": V} with a version that can be echoed in messages. */
export function isTool(tool: unknown): tool is { name: "collapse"; version: string } {
  return isObject(tool) && tool.name === "collapse" && typeof tool.version === "string" && /^[0-9A-Za-z.+-]{1,32}$/.test(tool.version);
}

/**
 * Checks that `doc` has the shape of a results document; returns it typed. `within` names where
 * the document sits in a larger one (a sweep's point: `points[3].`) and how to regenerate it.
 */
export function validateResult(doc: unknown, path: string, within: { prefix: string; regenerate: string } = { prefix: "", regenerate: REGENERATE }): SimResult {
  const { prefix, regenerate } = within;
  const bad = (field: string, want: string, got: unknown): never => {
    throw new InputError(`${path}: ${field} must be ${want}, got ${describe(got)}; ${regenerate}`);
  };
  const q = (field: string) => `"${prefix}${field}"`;
  if (!isObject(doc)) return bad("the document", "a JSON object (a collapse results document)", doc);
  const tool = doc.tool;
  // The version and the metric names are echoed in warnings and reports: they must look like one.
  if (!isTool(tool)) return bad(q("tool"), '{"name": "collapse", "version": "…"}', tool);
  if (!isObject(doc.config)) return bad(q("config"), "an object of options", doc.config);
  if (typeof doc.config.model !== "string") return bad(q("config.model"), "a model name", doc.config.model);
  if (typeof doc.config.generations !== "number") return bad(q("config.generations"), "a number", doc.config.generations);
  const data = doc.config.data;
  if (data !== null && data !== undefined && typeof data !== "string") return bad(q("config.data"), "a file path or null", data);
  const hash = doc.config.dataSha256;
  if (hash !== undefined && !isSha256(hash)) return bad(q("config.dataSha256"), "the SHA-256 of the data file (64 lower-case hex digits)", hash);
  const gens = doc.generations;
  if (!Array.isArray(gens) || gens.length === 0) return bad(q("generations"), "a non-empty array", gens);
  let names: string[] | undefined;
  gens.forEach((g: unknown, i) => {
    const at = q(`generations[${i}]`);
    if (!isObject(g)) return bad(at, "an object", g);
    if (g.generation !== i) return bad(`${at}.generation`, `${i} (generations in order from 0)`, g.generation);
    if (!isObject(g.metrics)) return bad(`${at}.metrics`, "an object of metric summaries", g.metrics);
    const here = Object.keys(g.metrics);
    const odd = here.find((name) => !METRIC_NAME.test(name));
    if (odd !== undefined) return bad(`${at}.metrics`, "metric names such as var_ratio", odd);
    if (here.length > MAX_METRICS) return bad(`${at}.metrics`, `at most ${MAX_METRICS} metrics`, `${here.length}`);
    if (names === undefined) {
      if (here.length === 0) return bad(`${at}.metrics`, "at least one metric", g.metrics);
      names = here;
    } else if (here.join() !== names.join()) {
      // Named by the first difference: the lists themselves can be long.
      const first = names;
      const k = first.findIndex((name, j) => here[j] !== name);
      const want = k < 0 ? `no metric after ${first.at(-1)}` : `${first[k]} as metric ${k + 1}`;
      return bad(`${at}.metrics`, `the metrics of generation 0 (${want})`, k < 0 ? here[first.length] : (here[k] ?? "nothing"));
    }
    for (const name of here) {
      const s = g.metrics[name];
      if (!isObject(s)) return bad(`${at}.metrics.${name}`, "a summary object", s);
      for (const key of SUMMARY_KEYS) {
        const v = s[key];
        if (v === null) s[key] = NaN;
        else if (typeof v !== "number") return bad(`${at}.metrics.${name}.${key}`, "a number or null", v);
      }
    }
  });
  if (gens.length !== doc.config.generations + 1) {
    return bad(q("generations"), `${doc.config.generations + 1} entries (config.generations + 1)`, `${gens.length} entries`);
  }
  return doc as unknown as SimResult;
}

/**
 * The seed data file a baseline's re-run reads, or null for a --source run.
 *
 * A baseline is untrusted input (in CI it arrives with a pull request), so the path it records is
 * read relative to the baseline's own folder and may not leave it: an absolute path, or one that
 * climbs out with `..` once normalised (`/` and `\` both count as separators), is refused before
 * anything is read, lest `"data": "/proc/self/environ"` turn an error message into a leak; so is
 * a path whose real location (symbolic links followed) is outside the folder.
 * `--data FILE` (`override`) is the user's own choice: it replaces the recorded path, read from
 * the working directory as everywhere else. "-" (stdin) stays stdin.
 */
export function baselineDataPath(baseline: Baseline, override: string | undefined, field = "config.data"): string | null {
  const { path, result } = baseline;
  const recorded = (result.config as { data?: unknown }).data;
  const data = typeof recorded === "string" ? recorded : null;
  if (override !== undefined) {
    if (data === null)
      throw new UsageError(`--data replaces the data file of a baseline, but ${path} was run from --source ${result.config.source ?? ""}; drop --data`);
    return override;
  }
  if (data === null || data === "-") return data;
  const refuse = (why: string): never => {
    throw new InputError(
      `${path}: "${field}" ${why} (${describe(data)}); a baseline may only name data in its own folder or below; pass --data FILE to collapse check to choose the file`,
    );
  };
  if (isAbsolute(data) || posix.isAbsolute(data) || win32.isAbsolute(data)) return refuse("is an absolute path");
  const normal = posix.normalize(data.replaceAll("\\", "/"));
  if (normal === ".." || normal.startsWith("../")) return refuse("climbs out of the baseline's folder");
  const resolved = join(dirname(path), normal);
  // The bundled corpus (the ngram default) is found by the seed loader wherever the package is.
  if (isBundled(data) && !existsSync(resolved)) return data;
  // A pull request can add a symbolic link as easily as a baseline: the file actually read must be
  // inside the folder too.
  let inside: string | null = null;
  try {
    inside = relative(realpathSync(dirname(path)), realpathSync(resolved));
  } catch {
    // Absent or unreadable: the seed reader says so, with its own message.
  }
  if (inside !== null && (inside === ".." || inside.startsWith(".." + sep) || isAbsolute(inside))) {
    return refuse("leads out of the baseline's folder through a symbolic link");
  }
  return resolved;
}

// The document --save-baseline writes, and its data paths: baseline-data.ts (a sweep worker renders it).
export { baselineDocument, dataPathFor } from "./baseline-data.js";

export function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

export function isSha256(x: unknown): x is string {
  return typeof x === "string" && /^[0-9a-f]{64}$/.test(x);
}

/** A value quoted short, for messages (values from a baseline are input). */
export function describe(x: unknown): string {
  if (x === undefined) return "nothing";
  const s = JSON.stringify(x);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
