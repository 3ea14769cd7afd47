/**
 * Reassembling a sweep from its shards (render.ts defines what a shard file holds). The shards must
 * come from one sweep (equal config hash, format and shard count), each must be complete, and
 * together they must hold every shard 1…n exactly once. The result is the unsharded sweep's output,
 * byte for byte: the points' bodies are copied (csv, ndjson) or re-rendered from the parsed
 * document as the sweep renders them (json, in pieces: jsonPointSteps), in point order, inside the
 * unsharded framing.
 *
 * A shard is untrusted input: every point's rows must match their SHA-256 and the shard its own
 * (render.ts), so an edited number cannot merge silently; the header's counts are checked against
 * the points actually present before anything is allocated for them; and no message echoes more
 * than a short, quoted piece of the file.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { sha256 } from "../builtins.js";
import { type JsonSite, parseJson } from "../data/json.js";
import { parseJsonBytes } from "../data/json-steps.js";
import { PieceLines, type PiecePosition } from "../data/piece-lines.js";
import { decodeCheckedUtf8, decodePieces, TEXT_PIECE_BYTES } from "../data/read.js";
import { InputError } from "../errors.js";
import { csvHeader } from "../output/tidy.js";
import { runSteps, runStepsAsync, type Steps } from "../steps.js";
import { MAX_POINTS, sweepHash } from "./plan.js";
import { END_LINE, jsonPointSteps, POINT_LINE, SHA_MARK, SHARD_LINE, type SweepFormat, SweepFramer, type SweepHead, sha256Hex } from "./render.js";
import { MAX_SHARDS, type ShardMeta, shardPoints, shardSize } from "./shard.js";

export interface ShardFile {
  /** For messages: the path as given. */
  readonly name: string;
  readonly text: string;
}

interface ParsedShard {
  readonly name: string;
  readonly format: SweepFormat;
  readonly shard: ShardMeta;
  /** The head of the sweep; json shards carry it whole, csv and ndjson only the grid. */
  readonly head: SweepHead | { grid: readonly string[] };
  /** Point bodies by point index, in order: text, or (json) text in pieces. */
  readonly bodies: Map<number, string | readonly string[]>;
  /** The shard's SHA-256 as recorded, and as computed from what was read. */
  readonly checksum: { readonly recorded: string; readonly actual: string };
}

const SHA256 = /^[0-9a-f]{64}$/;

function isShardMeta(x: unknown): x is ShardMeta {
  if (x === null || typeof x !== "object") return false;
  const s = x as Record<string, unknown>;
  const whole = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
  return (
    whole(s.index) &&
    whole(s.count) &&
    whole(s.points) &&
    typeof s.hash === "string" &&
    /^[0-9a-f]{16}$/.test(s.hash) &&
    (s.index as number) >= 1 &&
    (s.index as number) <= (s.count as number) &&
    (s.count as number) <= MAX_SHARDS
  );
}

/** A header may not claim more points than a sweep can have: nothing is allocated for them. */
function checkClaim(name: string, shard: ShardMeta): void {
  if (shard.points > MAX_POINTS) {
    throw new InputError(
      `${name}: its header claims ${shard.points} points, more than a sweep can have (${MAX_POINTS}); the file was edited, run the shard again with --shard ${shard.index}/${shard.count}`,
    );
  }
}

/** A piece of a file for a message: quoted, on one line, cut short. */
function quote(text: string): string {
  const s = JSON.stringify(text);
  return s.length > 40 ? `${s.slice(0, 37)}..."` : s;
}

function damaged(name: string, shard: ShardMeta, what: string): InputError {
  return new InputError(
    `${name}: ${what} does not match its SHA-256 (the file was edited or damaged); run the shard again with --shard ${shard.index}/${shard.count}`,
  );
}

function unsealed(name: string, shard: ShardMeta, where: string): InputError {
  return new InputError(
    `${name}: ${where} has no SHA-256 (a shard of an older collapse, or an edited one); run the shard again with --shard ${shard.index}/${shard.count}`,
  );
}

/** Each point's rows against the SHA-256 recorded for them: names the first point that differs. A step a point. */
function* verifyPoints(name: string, shard: ShardMeta, bodies: ReadonlyMap<number, string>, hashes: ReadonlyMap<number, string>): Steps<void> {
  for (const [p, body] of bodies) {
    if (sha256Hex(body) !== hashes.get(p)) throw damaged(name, shard, `point ${p} of shard ${shard.index}/${shard.count}`);
    yield;
  }
}

/** Lines of a text shard read between two steps. */
const LINES_PER_STEP = 1 << 16;
/** Characters of a text shard hashed between two steps (cut at line ends). */
const HASHED_PER_STEP = 8 << 20;

const isGrid = (g: unknown): g is string[] => Array.isArray(g) && g.every((k) => typeof k === "string");

function notAShard(name: string): InputError {
  return new InputError(`${name}: not a sweep shard (it has no shard header); merge the files written by collapse sweep --shard i/n`);
}

function incomplete(name: string, shard: ShardMeta, why: string): InputError {
  return new InputError(`${name}: shard ${shard.index}/${shard.count} is incomplete (${why}); run it again with --shard ${shard.index}/${shard.count}`);
}

/** Parses a csv or ndjson shard: `#` lines frame the points' rows. */
function* textShardSteps(name: string, pieces: readonly string[]): Steps<ParsedShard> {
  // The lines as split("\n") gives them (the last may be ""), from the text in pieces (a file of
  // 512 MiB or more is more than one string: read.ts decodePieces).
  const lines = new PieceLines(pieces);
  const first = lines.next()!;
  if (lines.done) throw notAShard(name);
  let meta: unknown;
  try {
    meta = parseJson(first.slice(SHARD_LINE.length), { name, line: 1, column: SHARD_LINE.length + 1 });
  } catch {
    throw notAShard(name);
  }
  const m = meta as { format?: unknown; grid?: unknown; shard?: unknown };
  if (m === null || typeof m !== "object" || (m.format !== "csv" && m.format !== "ndjson") || !isGrid(m.grid) || !isShardMeta(m.shard)) {
    throw notAShard(name);
  }
  const format = m.format;
  const shard = m.shard;
  checkClaim(name, shard);
  if (format === "csv") {
    if (lines.next() + "\n" !== csvHeader(m.grid))
      throw new InputError(`${name}:2: the csv header does not match the shard's grid; the file was edited, run the shard again`);
  }
  const bodies = new Map<number, string>();
  const hashes = new Map<number, string>();
  let current: string[] | null = null;
  let index = -1;
  const close = () => {
    if (current) bodies.set(index, current.join(""));
  };
  let recorded: string | null = null;
  const pointLine = /^# point (\d{1,9})(?: sha256=([0-9a-f]{64}))?$/;
  // The file's line number of the next line: the header line, then the lines after it.
  let lineNumber = format === "csv" ? 3 : 2;
  // Where the end line starts: the checksum covers the text before it.
  let end: PiecePosition | null = null;
  for (let line = lines.next(); line !== null; line = lines.next(), lineNumber++) {
    if (lines.done && line === "") break;
    if (recorded !== null) throw new InputError(`${name}: text after the end line of the shard; the file was edited or two files were joined`);
    if (line.startsWith(END_LINE)) {
      close();
      if (!line.startsWith(END_LINE + SHA_MARK) || !SHA256.test(line.slice(END_LINE.length + SHA_MARK.length))) throw unsealed(name, shard, "its end line");
      recorded = line.slice(END_LINE.length + SHA_MARK.length);
      end = lines.start;
    } else if (line.startsWith(POINT_LINE)) {
      close();
      const pm = pointLine.exec(line);
      index = pm ? Number(pm[1]) : NaN;
      if (!pm || bodies.has(index))
        throw new InputError(`${name}:${lineNumber}: bad or repeated point line ${quote(line)}; the file was edited, run the shard again`);
      if (pm[2] === undefined) throw unsealed(name, shard, `line ${lineNumber} (${quote(line)})`);
      hashes.set(index, pm[2]);
      current = [];
    } else if (current) current.push(line + "\n");
    else throw notAShard(name);
    if (lineNumber % LINES_PER_STEP === 0) yield;
  }
  if (recorded === null || end === null) throw incomplete(name, shard, "it has no end line");
  yield* verifyPoints(name, shard, bodies, hashes);
  // The end line is the file's last line (nothing may follow it): the checksum covers all before it.
  const all = sha256();
  for (const piece of lines.before(end, HASHED_PER_STEP)) {
    all.update(piece);
    yield;
  }
  return { name, format, shard, head: { grid: m.grid }, bodies, checksum: { recorded, actual: all.digest("hex") } };
}

/** How a json shard's syntax errors read. */
function shardSite(name: string): JsonSite {
  return { name, invalid: (where, reason) => `${where}: not valid JSON (${reason}); a shard cut short is incomplete, run it again` };
}

/** Reads a json shard, once parsed: the sweep document with a "shard" object. A step a point. */
function* jsonShardSteps(name: string, parsed: unknown): Steps<ParsedShard> {
  const doc = parsed as Record<string, unknown>;
  if (doc === null || typeof doc !== "object" || !isShardMeta(doc.shard) || !isGrid(doc.grid) || !Array.isArray(doc.points) || typeof doc.seed !== "string") {
    throw notAShard(name);
  }
  const shard = doc.shard;
  checkClaim(name, shard);
  const tool = doc.tool as { name: string; version: string };
  if (sweepHash(tool, doc.config) !== shard.hash) {
    throw new InputError(`${name}: its config does not match its hash ${shard.hash}; the file was edited, run the shard again`);
  }
  const size = shardSize(shard.points, shard);
  if (doc.points.length !== size) {
    throw incomplete(name, shard, `it holds ${doc.points.length} of its ${size} points`);
  }
  const sums = doc.sha256 as { points?: unknown; all?: unknown } | null | undefined;
  if (
    sums === null ||
    typeof sums !== "object" ||
    !Array.isArray(sums.points) ||
    sums.points.length !== size ||
    !sums.points.every((h) => typeof h === "string" && SHA256.test(h)) ||
    typeof sums.all !== "string" ||
    !SHA256.test(sums.all)
  ) {
    throw unsealed(name, shard, 'its "sha256" object');
  }
  // Allocations follow the points present (their count was just checked against the header).
  const expected = shardPoints(shard.points, shard);
  const points = doc.points;
  const bodies = new Map<number, readonly string[]>();
  // The checksum covers the document as written up to its last point: that text is rebuilt, and
  // the framer's hash of each point's text is checked against the one recorded for it. A point's
  // text is made and hashed in pieces, with steps between (a point may be tens of MB).
  const head: SweepHead = { tool, config: doc.config, seed: doc.seed as string, grid: doc.grid };
  const framer = new SweepFramer("json", head, shard);
  framer.opening();
  for (const [i, p] of expected.entries()) {
    const body: string[] = [];
    yield* jsonPointSteps(points[i], body);
    // Only its text is needed from now on: the parsed point, several times its size, can go.
    points[i] = null;
    yield* framer.framePieces(p, body);
    bodies.set(p, body);
    if (framer.lastPointHash() !== (sums.points as string[])[i]) throw damaged(name, shard, `point ${p} of shard ${shard.index}/${shard.count}`);
    yield;
  }
  return { name, format: "json", shard, head, bodies, checksum: { recorded: sums.all, actual: framer.checksum() } };
}

function parseShardFile(file: ShardFile): ParsedShard {
  if (file.text.startsWith(SHARD_LINE)) return runSteps(textShardSteps(file.name, [file.text]));
  if (file.text.trimStart().startsWith("{")) return runSteps(jsonShardSteps(file.name, parseJson(file.text, shardSite(file.name))));
  throw notAShard(file.name);
}

/** A shard file as its bytes (checked UTF-8), as the command line reads it. */
export interface ShardBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * parseShardFile of a shard's bytes, with turns of the event loop between steps: a json shard is
 * parsed from its bytes in pieces (src/data/json-steps.ts), then read a point at a time; a text
 * shard is decoded in pieces of `pieceBytes` (one string holds at most 512 Mi characters, and a
 * shard of 512 MiB or more merged with an internal error) and read 65,536 lines at a time.
 */
async function parseShardBytes({ name, bytes }: ShardBytes, pieceBytes: number): Promise<ParsedShard> {
  // What the text starts with, from its first bytes (the two markers are ASCII).
  const head = decodeCheckedUtf8(bytes.subarray(0, 4096), name);
  if (head.startsWith(SHARD_LINE)) return runStepsAsync(textShardSteps(name, decodePieces(bytes, pieceBytes)), nextTurn);
  if (head.trimStart().startsWith("{")) return runStepsAsync(jsonShardSteps(name, await parseJsonBytes(bytes, shardSite(name))), nextTurn);
  // Only white space in the first 4 KB: decided on the whole text, as parseShardFile does.
  if (bytes.length > 4096 && head.trim() === "") return parseShardFile({ name, text: decodeCheckedUtf8(bytes, name) });
  throw notAShard(name);
}

/** Checks that `files` are the complete set of shards of one sweep and returns the sweep's output. */
export function mergeShards(files: readonly ShardFile[]): string {
  return [...mergeShardFiles(files).text].join("");
}

/** A merged sweep: its text, made a point at a time as it is written, and the format its shards (and so it) are in. */
export interface MergedSweep {
  readonly format: SweepFormat;
  readonly text: Iterable<string>;
}

/** As mergeShards, also saying which format the shards were in. */
export function mergeShardFiles(files: readonly ShardFile[]): MergedSweep {
  if (files.length === 0) throw new InputError(NO_SHARDS);
  return mergeParsed(files.map(parseShardFile));
}

/**
 * mergeShardFiles of the shards' bytes, as the command line reads them, with turns of the event
 * loop between steps (a point, or 65,536 lines), so that a signal is answered while large shards
 * are checked; the text is made a point at a time as it is written. A text shard is decoded in
 * pieces of `pieceBytes` (parseShardBytes; tests cut it finer).
 */
export async function mergeShardBytes(files: readonly ShardBytes[], pieceBytes = TEXT_PIECE_BYTES): Promise<MergedSweep> {
  if (files.length === 0) throw new InputError(NO_SHARDS);
  const shards: ParsedShard[] = [];
  for (const file of files) shards.push(await parseShardBytes(file, pieceBytes));
  return mergeParsed(shards);
}

const NO_SHARDS = "collapse merge needs the shard files, e.g. collapse merge part-*.csv";

/** The checks across shards (one sweep, one split, each shard once, each whole), then the output's pieces. */
function mergeParsed(shards: readonly ParsedShard[]): MergedSweep {
  const first = shards[0]!;
  const byIndex = new Map<number, ParsedShard>();
  for (const s of shards) {
    const what = `shard ${s.shard.index}/${s.shard.count}`;
    if (s.shard.hash !== first.shard.hash) {
      throw new InputError(
        `${s.name} comes from another sweep than ${first.name} (config hash ${s.shard.hash}, not ${first.shard.hash}); merge the shards of one sweep`,
      );
    }
    if (s.format !== first.format) throw new InputError(`${s.name} is ${s.format} but ${first.name} is ${first.format}; merge shards of one format`);
    if (s.shard.count !== first.shard.count || s.shard.points !== first.shard.points) {
      throw new InputError(`${s.name} is ${what} but ${first.name} is shard ${first.shard.index}/${first.shard.count}; merge the shards of one split`);
    }
    const twin = byIndex.get(s.shard.index);
    if (twin) throw new InputError(`${twin.name} and ${s.name} are both ${what}; give each shard once`);
    byIndex.set(s.shard.index, s);
    // The shard's own points, in order, and no others: walked without allocating for the header's
    // claim, looking no further than one point past those present.
    const { index, count: n, points: total } = s.shard;
    let own = s.bodies.size === shardSize(total, s.shard);
    let p = index - 1;
    for (const got of s.bodies.keys()) {
      if (got !== p) own = false;
      p += n;
    }
    if (!own) {
      let missing: number | undefined;
      for (let q = index - 1, k = 0; q < total && k <= s.bodies.size; q += n, k++) {
        if (!s.bodies.has(q)) {
          missing = q;
          break;
        }
      }
      throw incomplete(s.name, s.shard, missing !== undefined ? `point ${missing} is missing` : "it holds points that are not its own");
    }
    if (s.checksum.actual !== s.checksum.recorded) throw damaged(s.name, s.shard, `shard ${index}/${n}`);
  }
  const { count, points } = first.shard;
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0) {
    const list = missing.length > 5 ? `${missing.slice(0, 5).join(", ")}, … (${missing.length} in all)` : missing.join(", ");
    throw new InputError(
      `shard${missing.length > 1 ? "s" : ""} ${list} of ${count} missing; run collapse sweep … --shard ${missing[0]}/${count} and merge every shard`,
    );
  }

  // The csv and ndjson framing needs only the grid; json shards carry the whole head.
  const head: SweepHead = "tool" in first.head ? first.head : { tool: { name: "", version: "" }, config: null, seed: "", grid: first.head.grid };
  function* pieces(): Generator<string> {
    const framer = new SweepFramer(first.format, head, null);
    yield framer.opening();
    for (let p = 0; p < points; p++) {
      const body = byIndex.get((p % count) + 1)!.bodies.get(p)!;
      if (typeof body === "string") yield framer.point(p, body);
      else yield* runSteps(framer.framePieces(p, body));
    }
    yield framer.closing();
  }
  return { format: first.format, text: pieces() };
}
