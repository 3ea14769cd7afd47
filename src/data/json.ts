/**
 * The one JSON reader of the project: seed data (.json, .ndjson), label files, --config,
 * baselines, sweep shards and plot input all parse through `parseJson`, so they all:
 *
 * - accept a UTF-8 byte-order mark (editors on Windows write one; JSON.parse refuses it);
 * - refuse documents nested deeper than MAX_JSON_DEPTH before parsing, by a linear scan: V8
 *   parses any depth, but everything that walks the value afterwards (JSON.stringify for hashes
 *   and messages, validators, the syntax-error locator) recurses and would overflow the stack.
 *   512 is jq's limit; no document this tool writes is deeper than 6;
 * - report errors on one line as `file:line:column: …`, quoting at most a short excerpt.
 *
 * parseJsonWithPositions adds where each top-level member sits, for readers that reject values
 * of a valid document (label files) and must say file:line:column too.
 */
import { InputError, UsageError } from "../errors.js";
import { excerpt } from "../excerpt.js";
import { type JsonMemberOffsets, jsonErrorOffset, type RepeatedKey, scanJson } from "./json-error.js";
import { positionOf, withoutBom } from "./read.js";

/** The deepest nesting of arrays and objects accepted (jq's limit). */
export const MAX_JSON_DEPTH = 512;

/** Where a JSON text comes from, and how its errors read. */
export interface JsonSite {
  /** The file name used in messages ("stdin" for standard input). */
  readonly name: string;
  /** Line and column of the text's first character in the file, when the text is part of it (an NDJSON line). */
  readonly line?: number;
  readonly column?: number;
  /** The message for a syntax error, from "file:line:column" and the parser's reason (cut short). */
  readonly invalid?: (where: string, reason: string) => string;
  /** Throw UsageError (for --config, an option) instead of InputError (data). */
  readonly usage?: boolean;
}

const defaultInvalid = (where: string, reason: string) => `${where}: invalid JSON (${reason}); fix the syntax`;

/** Parses one JSON text; throws InputError (or UsageError) with file:line:column on any problem. */
export function parseJson(text: string, site: JsonSite): unknown {
  const body = withoutBom(text);
  const fail = (message: string): never => {
    throw site.usage ? new UsageError(message) : new InputError(message);
  };
  const tooDeep = jsonDepthOffset(body);
  if (tooDeep >= 0) fail(`${whereIn(body, tooDeep, site)}: JSON nested deeper than ${MAX_JSON_DEPTH} levels; flatten the document`);
  try {
    return JSON.parse(body);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    // V8 quotes the start of the text ('Unexpected token 'S', "SECRET=hu"... is not valid JSON'):
    // that is content of a file that may not be ours to show (a baseline naming
    // /proc/self/environ), so only the position is kept.
    const reason = excerpt(e.message.replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, " is not valid JSON").split("\n")[0]!);
    let at: number;
    try {
      at = jsonErrorOffset(body);
    } catch {
      at = -1; // the locator is a courtesy: without it the message names the file alone
    }
    return fail((site.invalid ?? defaultInvalid)(at < 0 ? whereIn(body, -1, site) : whereIn(body, at, site), reason));
  }
}

/**
 * parseJson, refusing an object that names a key twice, at any depth: JSON.parse keeps the last
 * value silently, which a person reading the file (a config in a pull request) may not see. For
 * small, hand-written documents: the check is a second scan of the text, with a set per object.
 * `what` ends the message: `"seed" is given twice in one object of ${what}; keep one`.
 */
export function parseJsonUniqueKeys(text: string, site: JsonSite, what: string): unknown {
  const value = parseJson(text, site);
  const body = withoutBom(text);
  const repeated: RepeatedKey = { at: -1, key: "" };
  scanJson(body, undefined, repeated);
  if (repeated.at >= 0) {
    const message = `${whereIn(body, repeated.at, site)}: ${JSON.stringify(excerpt(repeated.key, 60))} is given twice in one object of ${what}; keep one`;
    throw site.usage ? new UsageError(message) : new InputError(message);
  }
  return value;
}

/**
 * A parsed JSON document that can say where its top-level members sit, as "file:line:column"
 * (shifted like parseJson's messages). Positions are found by a second scan of the text on first
 * use, and each is computed only when asked for: a document read without error costs one parse.
 */
export interface PositionedJson {
  readonly value: unknown;
  /** Where the top-level value starts. */
  where(): string;
  /** Where top-level member i starts, in document order: array element i, or object entry i's value. */
  memberWhere(i: number): string;
  /** Where the key of top-level object entry i starts (its opening quote). */
  keyWhere(i: number): string;
  /** The keys of a top-level object in document order, repeats included (JSON.parse keeps only the last); [] otherwise. */
  keys(): string[];
  /** The value of top-level object entry i, parsed from its own text: a repeated key's earlier values, which JSON.parse drops. */
  entryValue(i: number): unknown;
}

/** parseJson, and where the document's top-level members sit (see PositionedJson). */
export function parseJsonWithPositions(text: string, site: JsonSite): PositionedJson {
  const value = parseJson(text, site);
  const body = withoutBom(text);
  let members: JsonMemberOffsets | null = null;
  const scanned = (): JsonMemberOffsets => {
    if (members === null) {
      members = { start: 0, values: [], keys: [], keyEnds: [] };
      scanJson(body, members);
    }
    return members;
  };
  return {
    value,
    where: () => whereIn(body, scanned().start, site),
    memberWhere: (i) => whereIn(body, scanned().values[i]!, site),
    keyWhere: (i) => whereIn(body, scanned().keys[i]!, site),
    keys() {
      const { keys, keyEnds } = scanned();
      return keys.map((at, k) => JSON.parse(body.slice(at, keyEnds[k])) as string);
    },
    entryValue(i) {
      const { values, keys } = scanned();
      // From the value to the next key (or the closing brace), less the comma between them.
      const end = i + 1 < keys.length ? keys[i + 1]! : body.lastIndexOf("}");
      return JSON.parse(body.slice(values[i]!, end).trim().replace(/,$/, ""));
    },
  };
}

/**
 * Offset of the first "[" or "{" that opens a level deeper than `max`, or −1. Brackets inside
 * strings do not count; the text need not be valid JSON (the parser finds syntax errors).
 */
export function jsonDepthOffset(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: to the next quote not escaped by a backslash.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return -1;
}

/** "file:line:column" of an offset in the text (just "file" for −1), shifted to the text's place in the file. */
function whereIn(text: string, offset: number, site: JsonSite): string {
  const line0 = site.line ?? 1;
  if (offset < 0) return site.line === undefined ? site.name : `${site.name}:${line0}`;
  const { line, column } = positionOf(text, offset);
  const col = line === 1 ? column + (site.column ?? 1) - 1 : column;
  return `${site.name}:${line + line0 - 1}:${col}`;
}
