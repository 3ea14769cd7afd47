/**
 * Reading input files: bytes from a path, a FIFO, a device or stdin, with the size limit enforced
 * while reading, validated as UTF-8, with positions for messages.
 *
 * Reads are asynchronous and event-driven so that this thread stays free: a signal is answered
 * while waiting on a slow pipe or a FIFO with no writer yet, and `--data /dev/zero` stops at the
 * limit instead of growing without end. Pipes and FIFOs are read through libuv's pipe handle
 * (never a blocking read(2), which would also keep the process from exiting); regular files and
 * devices through a file stream.
 */

import { isUtf8 } from "node:buffer";
import { closeSync, constants, createReadStream, fstatSync, openSync, readSync, type Stats, statSync } from "node:fs";
import type { Readable } from "node:stream";
import { net, sha256 } from "../builtins.js";
import { systemCause } from "../errno.js";
import { InputError } from "../errors.js";

/** Text with the name messages give it: what the loaders parse. */
export interface NamedText {
  /** The name used in messages: the path, or "stdin". */
  readonly name: string;
  readonly text: string;
}

/** Text read from a file or stdin. */
export interface TextInput extends NamedText {
  /** Lower-case hex SHA-256 of the bytes read (before decoding). */
  readonly sha256: string;
}

/** The default input limit: the loaders that need a whole text hold it in memory. */
export const DEFAULT_MAX_INPUT_BYTES = 1 << 30;
/** The environment variable that raises (or lowers) the input limit: bytes, or with K, M, G, T. */
export const MAX_INPUT_ENV = "COLLAPSE_MAX_INPUT";

const UNITS: Record<string, number> = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** The input limit in bytes, from COLLAPSE_MAX_INPUT (e.g. "4G") or the 1 GiB default. */
export function maxInputBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_INPUT_ENV];
  if (raw === undefined || raw.trim() === "") return DEFAULT_MAX_INPUT_BYTES;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(raw);
  const bytes = m ? Number(m[1]) * UNITS[m[2]!.toUpperCase()]! : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new InputError(`${MAX_INPUT_ENV}=${raw.slice(0, 40)} is not a size; give bytes or a number with K, M, G or T (e.g. 4G)`);
  }
  return Math.floor(bytes);
}

/** "1 GiB", "512 MiB", "1000 bytes": a limit as people say it. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [
    ["TiB", UNITS.T!],
    ["GiB", UNITS.G!],
    ["MiB", UNITS.M!],
    ["KiB", UNITS.K!],
  ] as const) {
    if (n >= size) return `${Number((n / size).toFixed(1))} ${unit}`;
  }
  return `${n} bytes`;
}

function tooBig(name: string, limit: number): InputError {
  return new InputError(
    `${name} is larger than the ${formatBytes(limit)} input limit; sample it down, or raise the limit with ${MAX_INPUT_ENV}=${formatBytes(limit * 4).replace(/ (.)iB/, "$1")}`,
  );
}

function cannotRead(name: string, e: unknown, fix: string): InputError {
  return new InputError(`cannot read ${name}: ${systemCause(e, { EACCES: "permission denied", EPERM: "permission denied" }).text}; ${fix}`);
}

/** The name of a path in messages. */
export function inputName(path: string): string {
  return path === "-" ? "stdin" : path;
}

/** An event-driven stream over the path's bytes (see the module comment for why each kind). */
function openStream(path: string, name: string, fix: string): Readable {
  if (path === "-") return process.stdin;
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (e) {
    throw cannotRead(name, e, fix);
  }
  if (stats.isDirectory()) throw cannotRead(name, { code: "EISDIR" }, fix);
  if (stats.isFIFO()) {
    // O_NONBLOCK: opening a FIFO with no writer returns at once; libuv then waits for data in
    // epoll, where a signal can still be answered.
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      throw cannotRead(name, e, fix);
    }
    return new (net().Socket)({ fd, readable: true, writable: false });
  }
  try {
    // Opened here, synchronously, so that a missing permission is reported before any read.
    const fd = openSync(path, "r");
    return createReadStream(path, { fd, highWaterMark: 1 << 20 });
  } catch (e) {
    throw cannotRead(name, e, fix);
  }
}

/**
 * Calls `onChunk` with every chunk of the input as it arrives, enforcing the size limit while
 * reading. Resolves with the SHA-256 of all the bytes.
 */
export async function streamBytes(
  path: string,
  onChunk: (chunk: Buffer) => void,
  fix = "check the path given to --data",
  limit = maxInputBytes(),
): Promise<{ name: string; bytes: number; sha256: string }> {
  const name = inputName(path);
  const stream = openStream(path, name, fix);
  const hash = sha256();
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (total > limit) throw tooBig(name, limit);
      hash.update(bytes);
      onChunk(bytes);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw cannotRead(name, e, fix);
  } finally {
    if (stream !== process.stdin) stream.destroy();
  }
  return { name, bytes: total, sha256: hash.digest("hex") };
}

/**
 * The SHA-256 of a regular file's bytes, read as a stream: for data that is hashed before it is
 * read again to be parsed (so stdin, FIFOs and devices, which can be read only once, are refused).
 */
export async function sha256OfFile(path: string, fix = "check the path given to --data"): Promise<string> {
  const name = inputName(path);
  if (path !== "-") {
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch (e) {
      throw cannotRead(name, e, fix);
    }
    if (stats.isFile()) return (await streamBytes(path, () => {}, fix)).sha256;
    if (stats.isDirectory()) throw cannotRead(name, { code: "EISDIR" }, fix);
  }
  throw new InputError(`${name} is not a regular file: this command reads its data twice (to hash it, then to parse it); save it to a file first`);
}

/** Reads all of `path` (or stdin for "-") as UTF-8 text; invalid bytes are an InputError naming the position. */
export async function readText(path: string, fix = "check the path given to --data", limit = maxInputBytes()): Promise<TextInput> {
  const { name, bytes, sha256 } = await readUtf8(path, fix, limit);
  return { name, text: decodeCheckedUtf8(bytes, name), sha256 };
}

/** A file's bytes, checked to be UTF-8 and not decoded yet. */
export interface Utf8Bytes {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

/**
 * readText without the decoding: the bytes checked (an error names the position, as readText's),
 * for the thread that will need the text to decode (decodeCheckedUtf8).
 */
export async function readUtf8(path: string, fix = "check the path given to --data", limit = maxInputBytes()): Promise<Utf8Bytes> {
  const chunks: Buffer[] = [];
  const { name, sha256 } = await streamBytes(path, (chunk) => chunks.push(chunk), fix, limit);
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  chunks.length = 0;
  checkUtf8(bytes, name);
  return { name, bytes, sha256 };
}

/**
 * The synchronous reader, for worker threads re-reading a regular file the main thread already
 * read, for small files read where no await is possible (--config), and for library callers.
 * Stdin is refused (it can be read only once); a FIFO or device is read in chunks up to the limit
 * only when `devices` is set (a --config from process substitution, `<(…)`).
 */
export function readTextSync(path: string, fix = "check the path given to --data", limit = maxInputBytes(), devices = false): TextInput {
  const { name, bytes, sha256 } = readUtf8Sync(path, fix, limit, devices);
  return { name, text: decodeCheckedUtf8(bytes, name), sha256 };
}

/** readTextSync without the decoding: the bytes, checked to be UTF-8 (as readUtf8). */
export function readUtf8Sync(path: string, fix = "check the path given to --data", limit = maxInputBytes(), devices = false): Utf8Bytes {
  const name = inputName(path);
  let fd: number;
  try {
    if (path === "-") throw new InputError(`${name} can be read only once; give a file path`);
    fd = openSync(path, "r");
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw cannotRead(name, e, fix);
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw cannotRead(name, { code: "EISDIR" }, fix);
    if (!stats.isFile() && !devices) throw new InputError(`${name} is not a regular file; it can be read only once, by the main thread`);
    const chunks: Buffer[] = [];
    let total = 0;
    // Regular files are read at their size; /proc files and devices report 0, so read until the end.
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stats.size - total, 1 << 16), limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw tooBig(name, limit);
      chunks.push(chunk.subarray(0, n));
    }
    const bytes = Buffer.concat(chunks);
    checkUtf8(bytes, name);
    return { name, bytes, sha256: sha256().update(bytes).digest("hex") };
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw cannotRead(name, e, fix);
  } finally {
    closeSync(fd);
  }
}

/** Decodes UTF-8 strictly; a leading byte-order mark is dropped. */
export function decodeUtf8(bytes: Uint8Array, name: string): string {
  checkUtf8(bytes, name);
  return decodeCheckedUtf8(bytes, name);
}

/** Throws an InputError naming the first invalid UTF-8 byte's line and column in `name`, if any. */
export function checkUtf8(bytes: Uint8Array, name: string): void {
  // The native check is fast; the scan that finds where runs only on invalid input.
  const bad = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
  if (bad >= 0) throw invalidUtf8(name, bytes, bad, positionOfByte(bytes, bad));
}

/**
 * Bytes decoded at a time by decodePieces: a text of more is several strings. One string holds at
 * most 512 Mi UTF-16 units, and a text file up to the input limit (1 GiB) may hold more.
 */
export const TEXT_PIECE_BYTES = 64 << 20;

/**
 * The text of bytes checkUtf8 passed, as decodeCheckedUtf8 gives it, in pieces of about
 * `pieceBytes` bytes each, cut anywhere between two characters: their concatenation is
 * decodeCheckedUtf8(bytes). For a text model, whose tokenizer reads a text in pieces.
 */
export function decodePieces(bytes: Uint8Array, pieceBytes = TEXT_PIECE_BYTES): string[] {
  // In stream mode the decoder keeps a character cut between two slices for the next one.
  const decoder = new TextDecoder("utf-8");
  const pieces: string[] = [];
  for (let from = 0; from < bytes.length; from += pieceBytes) {
    const to = Math.min(bytes.length, from + pieceBytes);
    const piece = decoder.decode(bytes.subarray(from, to), { stream: to < bytes.length });
    if (piece !== "") pieces.push(piece);
  }
  // A second byte-order mark, after the one the decoder drops, as decodeCheckedUtf8 drops it.
  if (pieces.length > 0) pieces[0] = withoutBom(pieces[0]!);
  return pieces;
}

/**
 * The text of bytes checkUtf8 passed, read from `name`; a leading byte-order mark is dropped. A
 * text longer than one string can hold (512 Mi UTF-16 units: a file of 512 MiB or more, well
 * within the input limit) is an InputError that says so, with `fix`.
 */
export function decodeCheckedUtf8(bytes: Uint8Array, name: string, fix = TOO_LONG_FIX): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8").decode(bytes);
  } catch (e) {
    if ((e as { code?: unknown }).code !== "ERR_STRING_TOO_LONG") throw e;
    throw new InputError(`${name} is ${formatBytes(bytes.length)} of text, more than this command can read as one text (512 Mi characters); ${fix}`);
  }
  return withoutBom(text);
}

/** The text without a leading UTF-8 byte-order mark (editors on Windows write one; JSON.parse refuses it). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** What a decodeCheckedUtf8 error suggests unless its caller knows better. */
const TOO_LONG_FIX = "split it into smaller files";

function invalidUtf8(name: string, bytes: Uint8Array, at: number, where: { line: number; column: number }, base = 0): InputError {
  const byte = bytes[at]!.toString(16).padStart(2, "0");
  return new InputError(`${name}:${where.line}:${where.column}: invalid UTF-8 byte 0x${byte} at byte offset ${base + at}; re-save the file as UTF-8`);
}

/**
 * Strict streaming UTF-8 decoding: feed byte chunks, get text back; a multi-byte character split
 * across chunks is carried over. Errors name the line and column (in bytes) in the whole input.
 */
export class Utf8Stream {
  private carry: Uint8Array = new Uint8Array(0);
  private offset = 0; // bytes decoded before the current chunk
  private line = 1;
  private lineStart = 0; // byte offset of the current line's start
  private first = true;
  private readonly decoder = new TextDecoder("utf-8");

  constructor(private readonly name: string) {}

  push(chunk: Uint8Array): string {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const complete = bytes.length - incompleteTail(bytes);
    const body = bytes.subarray(0, complete);
    const bad = isUtf8(body) ? -1 : firstInvalidUtf8(body);
    if (bad >= 0) throw this.error(body, bad);
    this.carry = bytes.slice(complete);
    this.advance(body);
    let text = this.decoder.decode(body);
    if (this.first && text.length > 0) {
      this.first = false;
      text = withoutBom(text);
    }
    return text;
  }

  /** The input ended: a character cut short is an error. */
  end(): void {
    if (this.carry.length > 0) throw this.error(this.carry, 0);
  }

  private advance(body: Uint8Array): void {
    for (let i = body.indexOf(0x0a); i !== -1; i = body.indexOf(0x0a, i + 1)) {
      this.line++;
      this.lineStart = this.offset + i + 1;
    }
    this.offset += body.length;
  }

  private error(body: Uint8Array, at: number): InputError {
    const local = positionOfByte(body, at);
    const line = this.line + local.line - 1;
    const column = local.line === 1 ? this.offset + at - this.lineStart + 1 : local.column;
    return invalidUtf8(this.name, body, at, { line, column }, this.offset);
  }
}

/** How many bytes at the end of `b` begin a UTF-8 sequence that the next chunk must complete. */
function incompleteTail(b: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const c = b[b.length - k]!;
    if (c >= 0x80 && c <= 0xbf) continue; // a continuation byte: look further back for its lead
    // Only a well-formed lead byte waits for the next chunk; anything else is judged now.
    const length = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    return length > k ? k : 0;
  }
  return 0;
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or −1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      // Overlong forms and UTF-16 surrogates are excluded by narrowing the second byte's range.
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i + k;
    }
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (in bytes) of a byte offset. */
export function positionOfByte(b: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = b.indexOf(0x0a); i !== -1 && i < offset; i = b.indexOf(0x0a, i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** 1-based line and column of a character offset in text. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
