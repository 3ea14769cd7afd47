/**
 * Parsing a large JSON document without holding the thread. JSON.parse is one call that nothing
 * interrupts: on a 275 MB baseline (10⁵ generations) decoding the bytes, scanning the depth and
 * JSON.parse held the main thread for 2.5–3 s, and Ctrl-C waited for them. Here the bytes are
 * scanned in steps, with a turn of the event loop between steps, and parsed in pieces of about
 * PIECE_BYTES: a run of consecutive small members of a container is one JSON.parse of
 * "[" + members + "]" (or "{…}"), and a large container is put together from its pieces.
 *
 * The value is the one parseJson gives for the same text (tested against it): keys keep their
 * first position and their last value, "__proto__" stays an own key, and numbers and strings are
 * JSON.parse's own. The scan only follows strings and brackets, so it checks the document's
 * structure at its large levels and leaves the rest to JSON.parse; on anything it does not accept,
 * and on any JSON.parse error, the whole text goes through parseJson, which gives the one message
 * with file:line:column that every reader gives. A document shorter than STEPPED_BYTES goes there
 * directly.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { type JsonSite, MAX_JSON_DEPTH, parseJson } from "./json.js";
import { decodeCheckedUtf8 } from "./read.js";

/** Documents from this size are parsed in steps: below it, the whole parse takes a few ms. */
export const STEPPED_BYTES = 4 << 20;
/** The most bytes of small members one JSON.parse call is given (a member may add one more piece). */
export const PIECE_BYTES = 1 << 20;
/** Bytes scanned between two turns of the event loop. */
export const SCAN_BYTES = 2 << 20;

/** The sizes above and the wait between steps; tests make them small, or count the turns. */
export interface StepSizes {
  readonly stepped: number;
  readonly piece: number;
  readonly scan: number;
  readonly turn: () => Promise<unknown>;
}

const STEPS: StepSizes = { stepped: STEPPED_BYTES, piece: PIECE_BYTES, scan: SCAN_BYTES, turn: () => nextTurn() };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

type Container = unknown[] | Record<string, unknown>;

/** A container whose closing bracket the scan has not reached yet. */
interface Open {
  readonly array: boolean;
  /** Offset of its opening bracket. */
  readonly start: number;
  /** Its members put together so far; null while it is small enough to be parsed whole by its parent. */
  value: Container | null;
  /** Where the members not yet parsed start (an object member starts at its key), or −1. */
  pieceStart: number;
  /** Where they end: at the comma after the last of them. */
  pieceEnd: number;
  /** Where the current member starts, or −1 before it does (after the bracket or a comma). */
  member: number;
  /** The current object member's colon, or −1. */
  colon: number;
  /** A large container that is the current member, put together when it closed. */
  large: { readonly value: Container; readonly start: number } | null;
  /** Whether it has a member yet (a comma before any, or two in a row, is a syntax error). */
  members: number;
}

/** The document is not one this scan accepts: parseJson reads it and names the error. */
class NotAccepted extends Error {}

/**
 * The value of the JSON document in `bytes` (UTF-8, already checked by checkUtf8), as
 * parseJson(decodeCheckedUtf8(bytes), site) gives it, with the same errors; a large document is
 * parsed in steps with turns of the event loop between them (see the top of this file).
 */
export async function parseJsonBytes(bytes: Uint8Array, site: JsonSite, steps: Partial<StepSizes> = {}): Promise<unknown> {
  return (await parseJsonDocument(bytes, site, steps)).value;
}

/**
 * parseJsonBytes, and how many members the document's array or object has as written: a key
 * written twice counts twice (the value has it once), which tells a reader that must know of
 * repeats whether there were any. `members` is null when the document was parsed whole (below
 * `stepped`, or not an array or object that the scan accepts), and then only.
 *
 * With `take`, the elements of a document that is an array go to `take` as they are parsed, a
 * piece at a time and in order, and are not kept: the value is then an empty array, and no
 * array of them all is ever made. `take` has been given elements that count only when
 * `members` is not null: a document the scan refuses after some pieces is parsed whole (or
 * rejected with parseJson's error).
 */
export async function parseJsonDocument(
  bytes: Uint8Array,
  site: JsonSite,
  steps: Partial<StepSizes> = {},
  take?: (elements: unknown[]) => void,
): Promise<{ readonly value: unknown; readonly members: number | null }> {
  const s = { ...STEPS, ...steps };
  if (bytes.length >= s.stepped) {
    try {
      return await parseInSteps(bytes, s, take);
    } catch (e) {
      if (!(e instanceof NotAccepted || e instanceof SyntaxError)) throw e;
    }
  }
  return { value: parseJson(decodeCheckedUtf8(bytes, site.name), site), members: null };
}

async function parseInSteps(
  bytes: Uint8Array,
  { piece, scan, turn }: StepSizes,
  take: ((elements: unknown[]) => void) | undefined,
): Promise<{ value: Container; members: number }> {
  // ignoreBOM keeps a U+FEFF where a piece starts: JSON.parse must see (and refuse) it there.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const text = (from: number, to: number) => decoder.decode(bytes.subarray(from, to));
  const n = bytes.length;
  let i = 0;
  // Up to three byte-order marks, as the whole-text path drops: the decoder's, decodeCheckedUtf8's and parseJson's.
  for (let k = 0; k < 3 && bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf; k++) i += 3;
  const stack: Open[] = [];
  /** The document's own array or object, once open. */
  let root: Open | null = null;
  /** Whether the members of `o` go to `take` rather than into its value. */
  const taken = (o: Open) => take !== undefined && o === root && o.array;
  let top: Open | null = null;
  let document: { value: Container; members: number } | null = null;
  let started = false;

  /** Parses the pending run of small members of `o` and adds them to its value (or hands them to `take`). */
  const flush = (o: Open) => {
    if (o.pieceStart < 0) return;
    const body = text(o.pieceStart, o.pieceEnd);
    o.pieceStart = -1;
    const piece = JSON.parse(o.array ? `[${body}]` : `{${body}}`) as Container;
    if (taken(o)) take!(piece as unknown[]);
    else if (o.value === null) o.value = piece;
    else if (o.array) for (const v of piece as unknown[]) (o.value as unknown[]).push(v);
    else for (const key of Object.keys(piece)) setMember(o.value as Record<string, unknown>, key, (piece as Record<string, unknown>)[key]);
  };

  /** Ends the member of `o` that a comma or closing bracket at `at` follows. */
  const endMember = (o: Open, at: number) => {
    if (o.member < 0) throw new NotAccepted();
    if (o.large === null) {
      if (o.pieceStart < 0) o.pieceStart = o.member;
      o.pieceEnd = at;
      if (o.pieceEnd - o.pieceStart >= piece) flush(o);
    } else {
      const { value, start } = o.large;
      if (!o.array && o.colon < 0) throw new NotAccepted();
      // Nothing but white space may stand before a large member (the scan refuses anything after it).
      if (!blank(bytes, o.array ? o.member : o.colon + 1, start)) throw new NotAccepted();
      flush(o);
      if (o.value === null) o.value = o.array ? [] : {};
      if (taken(o)) take!([value]);
      else if (o.array) (o.value as unknown[]).push(value);
      else {
        const key = JSON.parse(text(o.member, o.colon)) as unknown;
        if (typeof key !== "string" || bytes[o.member] !== QUOTE) throw new NotAccepted();
        setMember(o.value as Record<string, unknown>, key, value);
      }
      o.large = null;
    }
    o.member = -1;
    o.colon = -1;
    o.members++;
  };

  while (i < n) {
    const stop = Math.min(n, i + scan);
    for (; i < stop; i++) {
      const c = bytes[i]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (top === null) {
        // Outside the document's value: only white space after it, and an array or object as it
        // (a document of one number or string has no pieces: parseJson reads it whole).
        if (started || (c !== OPEN_ARRAY && c !== OPEN_OBJECT)) throw new NotAccepted();
        started = true;
      } else if (c === COMMA) {
        endMember(top, i);
        continue;
      } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
        if ((c === CLOSE_ARRAY) !== top.array) throw new NotAccepted();
        if (top.member >= 0 || top.members > 0) endMember(top, i);
        const closed = stack.pop()!;
        const parent = stack.length > 0 ? stack[stack.length - 1]! : null;
        if (closed.value !== null || i + 1 - closed.start >= piece || parent === null) {
          // Large (or the document itself): put together now, handed to its parent as one value.
          flush(closed);
          const value = closed.value ?? (closed.array ? [] : {});
          if (parent === null) document = { value, members: closed.members };
          else parent.large = { value, start: closed.start };
        }
        top = parent;
        continue;
      } else if (c === COLON) {
        if (top.array || top.member < 0 || top.colon >= 0) throw new NotAccepted();
        top.colon = i;
        continue;
      } else if (top.member < 0) {
        top.member = i;
      } else if (top.large !== null) {
        throw new NotAccepted(); // a value after a large member, before any comma
      }
      if (c === QUOTE) {
        for (i++; i < n; i++) {
          const d = bytes[i]!;
          if (d === BACKSLASH) i++;
          else if (d === QUOTE) break;
        }
        if (i >= n) throw new NotAccepted();
        if (i >= stop) {
          i++; // past the closing quote: a long string ends the step
          break;
        }
      } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
        if (stack.length >= MAX_JSON_DEPTH) throw new NotAccepted();
        top = { array: c === OPEN_ARRAY, start: i, value: null, pieceStart: -1, pieceEnd: -1, member: -1, colon: -1, large: null, members: 0 };
        stack.push(top);
        root ??= top;
      }
    }
    if (i < n) await turn();
  }
  if (top !== null || document === null) throw new NotAccepted();
  return document as { value: Container; members: number };
}

/** Whether bytes [from, to) are all JSON white space. */
function blank(bytes: Uint8Array, from: number, to: number): boolean {
  return skipBlank(bytes, from) >= to;
}

/** The offset of the first byte from `from` on that is not JSON white space (bytes.length if none). */
export function skipBlank(bytes: Uint8Array, from = 0): number {
  let k = from;
  while (k < bytes.length && (bytes[k] === 0x20 || bytes[k] === 0x0a || bytes[k] === 0x0d || bytes[k] === 0x09)) k++;
  return k;
}

/** obj[key] = value as JSON.parse sets it: an own data property, even for "__proto__". */
function setMember(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}
