/**
 * Text inputs read as a stream: the format from the file's extension or sniffed from its start
 * (as readTable's formatOf does), text formats handed over line by line as the bytes arrive, a
 * JSON document gathered whole as its bytes (for json-steps.ts, which parses them in steps). The
 * numeric-table and label readers build on it, so neither ever holds a text file and its split
 * lines at once.
 */
import { InputError } from "../errors.js";
import { inputName, streamBytes, Utf8Stream } from "./read.js";
import { extensionFormat, type FileFormat } from "./table.js";

export type LineFormat = "csv" | "tsv" | "txt";

/**
 * The longest line (and the longest start before the format is known) held in memory, in
 * characters: a file with no line ends is not a table, and V8 strings stop near 2^29 characters.
 */
export const MAX_LINE_CHARS = 1 << 28;

/**
 * Sniffs the format incrementally, with the rules of sniffFormat (table.ts): a slow pipe may
 * deliver the first line a byte at a time, and a huge first line must not be rescanned at each
 * chunk.
 */
class Sniffer {
  private started = false;
  private tab = false;

  /** The format once the text fed so far decides it, else null. */
  feed(text: string): FileFormat | null {
    let i = 0;
    if (!this.started) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (i === text.length) return null;
      this.started = true;
      if (text[i] === "[") return "json";
      if (text[i] === "{") return "ndjson";
    }
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === "\n") return this.end();
      if (ch === "\t") this.tab = true;
    }
    return null;
  }

  /** The format when the text ended without deciding it. */
  end(): FileFormat {
    return this.tab ? "tsv" : "csv";
  }
}

export interface StreamedText {
  readonly name: string;
  readonly format: FileFormat;
  /**
   * A JSON document's bytes (checked UTF-8), for a parser that reads bytes; null for line formats,
   * whose lines went to the handler (NDJSON among them with `streamRecords`).
   */
  readonly wholeBytes: Uint8Array | null;
  /** True when the input held nothing but white space. */
  readonly blank: boolean;
  readonly sha256: string;
}

/**
 * Reads `path` (or stdin for "-"). For a line format, `lines(format)` is asked once for a handler,
 * which then receives every line (without "\n") and its 1-based number. Text sniffed as NDJSON (it
 * starts with "{") is one JSON document here, like JSON.
 */
export function streamText(path: string, lines: (format: LineFormat) => (line: string, ln: number) => void, fix?: string): Promise<StreamedText> {
  return streamInput(path, lines as (format: LineFormat | "ndjson") => (line: string, ln: number) => void, fix, false);
}

/**
 * streamText for readers of records: NDJSON is a line format too (a record a line).
 */
export function streamRecords(path: string, lines: (format: LineFormat | "ndjson") => (line: string, ln: number) => void, fix?: string): Promise<StreamedText> {
  return streamInput(path, lines, fix, true);
}

async function streamInput(
  path: string,
  lines: (format: LineFormat | "ndjson") => (line: string, ln: number) => void,
  fix: string | undefined,
  records: boolean,
): Promise<StreamedText> {
  const name = inputName(path);
  const decoder = new Utf8Stream(name);
  let format: FileFormat | null = extensionFormat(name);
  let onLine: ((line: string, ln: number) => void) | null = null;
  const sniffer = new Sniffer();
  const held: string[] = []; // text before the format is known
  // The bytes, while they may be a JSON document's (the format unknown, or one read whole).
  const raw: Uint8Array[] = [];
  const wholeDocument = (f: FileFormat | null) => f === "json" || (f === "ndjson" && !records);
  let heldChars = 0;
  let pending = "";
  let ln = 0;
  let blank = true;
  const tooLong = (at: number) =>
    new InputError(
      `${name}:${at}: a line longer than ${MAX_LINE_CHARS / 2 ** 20} Mi characters, the limit for one line; is this a text table? give one row per line`,
    );

  const feed = (text: string, ended: boolean) => {
    if (blank && text.trim() !== "") blank = false;
    if (format === null) {
      // Held back until the format is known, then replayed.
      held.push(text);
      heldChars += text.length;
      if (heldChars > MAX_LINE_CHARS) throw tooLong(1);
      format = ended ? sniffer.end() : sniffer.feed(text);
      if (format === null) return;
      text = held.join("");
      held.length = 0;
    }
    if (wholeDocument(format)) return;
    raw.length = 0;
    // Not a whole document: a line format, or NDJSON read a record a line.
    onLine ??= lines(format as LineFormat | "ndjson");
    // Only the new text is searched for line ends: a long line arriving in many chunks is
    // gathered in `pending` and split once.
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      onLine(pending + text.slice(start, nl), ++ln);
      pending = "";
      start = nl + 1;
    }
    if (pending.length + text.length - start > MAX_LINE_CHARS) throw tooLong(ln + 1);
    pending += text.slice(start);
    if (ended && pending !== "") {
      onLine(pending, ++ln);
      pending = "";
    }
  };

  const { sha256 } = await streamBytes(
    path,
    (chunk) => {
      const text = decoder.push(chunk);
      if (format === null || wholeDocument(format)) raw.push(chunk);
      feed(text, false);
    },
    fix,
  );
  decoder.end();
  feed("", true);
  const wholeBytes = wholeDocument(format) ? (raw.length === 1 ? raw[0]! : Buffer.concat(raw)) : null;
  return { name, format: format!, wholeBytes, blank, sha256 };
}
