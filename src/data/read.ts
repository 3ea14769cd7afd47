/**
 * Reading seed files: bytes from a path or stdin, validated as UTF-8, with positions for messages.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";

export interface TextInput {
  /** The name used in messages: the path, or "stdin". */
  readonly name: string;
  readonly text: string;
  /** Lower-case hex SHA-256 of the raw bytes read (what baselines and sweep hashes record). */
  readonly sha256: string;
}

/** Refuse to read seed files beyond this size: the loaders hold everything in memory. */
export const MAX_INPUT_BYTES = 1 << 30;

/**
 * Reads `path` (or stdin for "-") as UTF-8 text; invalid bytes are an InputError naming the offset.
 * `fix` ends the message when the file cannot be read at all.
 */
export function readText(path: string, fix = "check the path given to --data"): TextInput {
  const name = path === "-" ? "stdin" : path;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path === "-" ? 0 : path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String(code ?? e);
    throw new InputError(`cannot read ${name}: ${why}; ${fix}`);
  }
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new InputError(`${name}: ${bytes.length} bytes is larger than the 1 GiB limit; sample the file down first`);
  }
  return { name, text: decodeUtf8(bytes, name), sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** Decodes UTF-8 strictly; a leading byte-order mark is dropped. */
export function decodeUtf8(bytes: Uint8Array, name: string): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const { line, column } = positionOfByte(bytes, bad);
    throw new InputError(
      `${name}:${line}:${column}: invalid UTF-8 byte 0x${bytes[bad]!.toString(16).padStart(2, "0")} at byte offset ${bad}; re-save the file as UTF-8`,
    );
  }
  const text = new TextDecoder("utf-8").decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
  for (let i = 0; i < offset; i++) {
    if (b[i] === 0x0a) {
      line++;
      start = i + 1;
    }
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
