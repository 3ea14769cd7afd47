/**
 * Baselines: a results document saved by `collapse sim --save-baseline FILE` (the JSON document of
 * DESIGN §5). Reading one checks its shape, so that `collapse check` fails with exit 2 and one line
 * naming the bad field rather than comparing against garbage.
 */
import { readFileSync } from "node:fs";
import type { SimResult } from "../core/result.js";
import { SUMMARY_KEYS } from "../core/aggregate.js";
import { parseJson } from "../data/json.js";
import { InputError } from "../errors.js";

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
export function readBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String(code ?? e);
    throw new InputError(`cannot read baseline ${path}: ${why}; write one with collapse sim --save-baseline ${path}`);
  }
  const doc = parseJson(text, { name: path, invalid: (where, reason) => `${where}: baseline is not valid JSON (${reason}); ${REGENERATE}` });
  return { path, result: validateResult(doc, path) };
}

/** Checks that `doc` has the shape of a results document; returns it typed. */
export function validateResult(doc: unknown, path: string): SimResult {
  const bad = (field: string, want: string, got: unknown): never => {
    throw new InputError(`${path}: ${field} must be ${want}, got ${describe(got)}; ${REGENERATE}`);
  };
  if (!isObject(doc)) return bad("the document", "a JSON object (a collapse results document)", doc);
  const tool = doc.tool;
  if (!isObject(tool) || tool.name !== "collapse" || typeof tool.version !== "string") {
    return bad('"tool"', '{"name": "collapse", "version": "…"}', tool);
  }
  if (!isObject(doc.config)) return bad('"config"', "an object of options", doc.config);
  if (typeof doc.config.model !== "string") return bad('"config.model"', "a model name", doc.config.model);
  if (typeof doc.config.generations !== "number") return bad('"config.generations"', "a number", doc.config.generations);
  const gens = doc.generations;
  if (!Array.isArray(gens) || gens.length === 0) return bad('"generations"', "a non-empty array", gens);
  let names: string[] | undefined;
  gens.forEach((g: unknown, i) => {
    const at = `"generations[${i}]"`;
    if (!isObject(g)) return bad(at, "an object", g);
    if (g.generation !== i) return bad(`${at}.generation`, `${i} (generations in order from 0)`, g.generation);
    if (!isObject(g.metrics)) return bad(`${at}.metrics`, "an object of metric summaries", g.metrics);
    const here = Object.keys(g.metrics);
    if (names === undefined) {
      if (here.length === 0) return bad(`${at}.metrics`, "at least one metric", g.metrics);
      names = here;
    }
    else if (here.join() !== names.join()) return bad(`${at}.metrics`, `the metrics of generation 0 (${names.join(", ")})`, here.join(", "));
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
    return bad('"generations"', `${doc.config.generations + 1} entries (config.generations + 1)`, `${gens.length} entries`);
  }
  return doc as unknown as SimResult;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (x === undefined) return "nothing";
  const s = JSON.stringify(x);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
