/**
 * The output format an `-o` file's extension names, for commands run without `--format`: writing
 * the text table into `run.json` is a silent mistake. An explicit `--format` always wins (and then
 * nothing is said, whatever the extension); no extension, or one the command lists as plain, keeps
 * the command's default silently; any other extension keeps the default and says so in a note.
 *
 * Names only: nothing heavy loads here, so option parsing stays fast.
 */
import { extname } from "node:path";
import { excerpt } from "../excerpt.js";

/** Extensions (lower-case, with the dot) and the formats they name. */
export type ExtensionTable<F extends string> = Readonly<Record<string, F>>;

/** `collapse sim`: every format but the table has an extension. */
export const SIM_EXTENSIONS: ExtensionTable<"json" | "csv" | "ndjson" | "markdown"> = {
  ".json": "json",
  ".csv": "csv",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".md": "markdown",
  ".markdown": "markdown",
};

/** `collapse sweep` and `collapse merge`: a sweep has no table or Markdown form. */
export const SWEEP_EXTENSIONS: ExtensionTable<"json" | "csv" | "ndjson"> = {
  ".json": "json",
  ".csv": "csv",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
};

/** Extensions that keep the default without a word: none, or plain text. */
export const PLAIN_EXTENSIONS: readonly string[] = ["", ".txt"];

/** What an output path's extension says. */
export type ExtensionVerdict<F extends string> =
  | { readonly kind: "named"; readonly format: F }
  /** No extension, or a plain one: the default, silently. */
  | { readonly kind: "plain" }
  /** An extension the table does not know. */
  | { readonly kind: "unknown"; readonly extension: string };

/** Paths that are stdout, not files: they have no extension to speak of. */
const STDOUT = new Set(["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]);

export function readExtension<F extends string>(
  path: string | undefined,
  table: ExtensionTable<F>,
  plain: readonly string[] = PLAIN_EXTENSIONS,
): ExtensionVerdict<F> {
  if (path === undefined || STDOUT.has(path)) return { kind: "plain" };
  const extension = extname(path).toLowerCase();
  if (Object.hasOwn(table, extension)) return { kind: "named", format: table[extension]! };
  if (plain.includes(extension)) return { kind: "plain" };
  return { kind: "unknown", extension };
}

/** A path for a note: on one line (control characters escaped), cut short. */
export function shownPath(path: string): string {
  return excerpt(path.replace(/[\u0000-\u001f\u007f\u009b]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

export interface FormatChoice<F extends string> {
  readonly format: F;
  /** A note for stderr (without the "collapse: " prefix) when the extension was not understood. */
  readonly note: string | null;
}

/**
 * The format to write: `given` (--format) when there is one, else the one `output`'s extension
 * names, else `fallback` — with a note when the extension was one the table does not know.
 */
export function chooseFormat<F extends string>(
  given: F | undefined,
  output: string | undefined,
  table: ExtensionTable<F>,
  fallback: F,
  plain: readonly string[] = PLAIN_EXTENSIONS,
): FormatChoice<F> {
  if (given !== undefined) return { format: given, note: null };
  const verdict = readExtension(output, table, plain);
  if (verdict.kind === "named") return { format: verdict.format, note: null };
  if (verdict.kind === "plain") return { format: fallback, note: null };
  return { format: fallback, note: `-o ${shownPath(output!)}: unknown extension, writing the ${fallback} format; pass --format to choose` };
}
