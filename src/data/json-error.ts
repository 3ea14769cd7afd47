/**
 * The small recogniser of the JSON grammar that gives JSON its positions (file:line:column):
 *
 * - where a text stops being valid. V8's JSON.parse messages carry a position only for some
 *   errors ("Unexpected token ']', "[1,]" is not valid JSON" has none), so a failed parse is
 *   re-scanned here;
 * - where the top-level members of a valid text start (each array element, each object key and
 *   value), so that a reader can say where a value it rejects sits (parseJsonWithPositions).
 */
import { positionOf } from "./read.js";

/** Offsets of the top-level members of a JSON text, in document order (filled in by scanJson). */
export interface JsonMemberOffsets {
  /** Offset of the top-level value (after leading whitespace). */
  start: number;
  /** Offset of each array element, or of each object entry's value. */
  readonly values: number[];
  /** Offsets of each object entry's key: its opening quote, and just after its closing quote. */
  readonly keys: number[];
  readonly keyEnds: number[];
}

/** Where a valid JSON text first names a key twice in one object (filled in by scanJson). */
export interface RepeatedKey {
  /** Offset of the repeat's opening quote, −1 while none has been found. */
  at: number;
  /** The key, decoded ("s\\u0065ed" is "seed"). */
  key: string;
}

/** Offset of the first character at which `text` is not valid JSON, or −1 if it is valid. */
export function jsonErrorOffset(text: string): number {
  return scanJson(text);
}

/**
 * Walks `text` by the JSON grammar: the offset of the first character at which it is not valid
 * JSON, or −1 if it is valid. With `members`, records where the top-level members start; with
 * `repeated`, where an object first names a key it already has (in document order, any depth).
 * Recursive: callers check the nesting depth first (jsonDepthOffset).
 */
export function scanJson(text: string, members?: JsonMemberOffsets, repeated?: RepeatedKey): number {
  let i = 0;
  let depth = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i] ?? "x")) i++;
        else fail();
      } else i++;
    }
    fail();
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    // Members of the top level are the values read at depth 1.
    if (members !== undefined) {
      if (depth === 0) members.start = i;
      else if (depth === 1) members.values.push(i);
    }
    if (c === "{") {
      i++;
      depth++;
      ws();
      if (text[i] === "}") {
        i++;
        depth--;
        return;
      }
      // This object's keys, decoded, when repeats are looked for.
      const seen = repeated === undefined ? null : new Set<string>();
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const keyAt = i;
        string();
        if (members !== undefined && depth === 1) {
          members.keys.push(keyAt);
          members.keyEnds.push(i);
        }
        if (seen !== null) {
          const key = JSON.parse(text.slice(keyAt, i)) as string;
          if (seen.has(key) && repeated!.at < 0) {
            repeated!.at = keyAt;
            repeated!.key = key;
          }
          seen.add(key);
        }
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          depth--;
          return;
        } else fail();
      }
    } else if (c === "[") {
      i++;
      depth++;
      ws();
      if (text[i] === "]") {
        i++;
        depth--;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          depth--;
          return;
        } else fail();
      }
    } else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (at) {
    if (typeof at === "number") return Math.min(at, text.length);
    throw at;
  }
}

/** "name:line:column" of the first JSON syntax error in text (or just name if none is found). */
export function jsonErrorWhere(name: string, text: string): string {
  const at = jsonErrorOffset(text);
  if (at < 0) return name;
  const { line, column } = positionOf(text, at);
  return `${name}:${line}:${column}`;
}
