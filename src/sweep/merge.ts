/**
 * Reassembling a sweep from its shards (render.ts defines what a shard file holds). The shards must
 * come from one sweep (equal config hash, format and shard count), each must be complete, and
 * together they must hold every shard 1…n exactly once. The result is the unsharded sweep's output,
 * byte for byte: the points' bodies are copied (csv, ndjson) or re-rendered from the parsed
 * document with the same code (json), in point order, inside the unsharded framing.
 *
 * A shard is untrusted input: every point's rows must match their SHA-256 and the shard its own
 * (render.ts), so an edited number cannot merge silently; the header's counts are checked against
 * the points actually present before anything is allocated for them; and no message echoes more
 * than a short, quoted piece of the file.
 */
import { sha256 } from "../builtins.js";
import { parseJson } from "../data/json.js";
import { InputError } from "../errors.js";
import { csvHeader } from "../output/tidy.js";
import { MAX_POINTS, sweepHash } from "./plan.js";
import { END_LINE, jsonPoint, POINT_LINE, SHA_MARK, SHARD_LINE, type SweepFormat, SweepFramer, type SweepHead, sha256Hex } from "./render.js";
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
  /** Point bodies by point index, in order. */
  readonly bodies: Map<number, string>;
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

/** Each point's rows against the SHA-256 recorded for them: names the first point that differs. */
function verifyPoints(name: string, shard: ShardMeta, bodies: ReadonlyMap<number, string>, hashes: ReadonlyMap<number, string>): void {
  for (const [p, body] of bodies) {
    if (sha256Hex(body) !== hashes.get(p)) throw damaged(name, shard, `point ${p} of shard ${shard.index}/${shard.count}`);
  }
}

const isGrid = (g: unknown): g is string[] => Array.isArray(g) && g.every((k) => typeof k === "string");

function notAShard(name: string): InputError {
  return new InputError(`${name}: not a sweep shard (it has no shard header); merge the files written by collapse sweep --shard i/n`);
}

function incomplete(name: string, shard: ShardMeta, why: string): InputError {
  return new InputError(`${name}: shard ${shard.index}/${shard.count} is incomplete (${why}); run it again with --shard ${shard.index}/${shard.count}`);
}

/** Parses a csv or ndjson shard: `#` lines frame the points' rows. */
function parseTextShard(file: ShardFile): ParsedShard {
  const { name, text } = file;
  const firstEnd = text.indexOf("\n");
  let meta: unknown;
  try {
    meta = parseJson(text.slice(SHARD_LINE.length, firstEnd), { name, line: 1, column: SHARD_LINE.length + 1 });
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
  const lines = text.slice(firstEnd + 1).split("\n");
  let at = 0;
  if (format === "csv") {
    if (lines[0] + "\n" !== csvHeader(m.grid))
      throw new InputError(`${name}:2: the csv header does not match the shard's grid; the file was edited, run the shard again`);
    at = 1;
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
  for (; at < lines.length; at++) {
    const line = lines[at]!;
    if (at === lines.length - 1 && line === "") break;
    if (recorded !== null) throw new InputError(`${name}: text after the end line of the shard; the file was edited or two files were joined`);
    if (line.startsWith(END_LINE)) {
      close();
      if (!line.startsWith(END_LINE + SHA_MARK) || !SHA256.test(line.slice(END_LINE.length + SHA_MARK.length))) throw unsealed(name, shard, "its end line");
      recorded = line.slice(END_LINE.length + SHA_MARK.length);
    } else if (line.startsWith(POINT_LINE)) {
      close();
      const pm = pointLine.exec(line);
      index = pm ? Number(pm[1]) : NaN;
      // The file's line number: the header line, then `at` lines after it.
      if (!pm || bodies.has(index))
        throw new InputError(`${name}:${at + 2}: bad or repeated point line ${quote(line)}; the file was edited, run the shard again`);
      if (pm[2] === undefined) throw unsealed(name, shard, `line ${at + 2} (${quote(line)})`);
      hashes.set(index, pm[2]);
      current = [];
    } else if (current) current.push(line + "\n");
    else throw notAShard(name);
  }
  if (recorded === null) throw incomplete(name, shard, "it has no end line");
  verifyPoints(name, shard, bodies, hashes);
  // The end line is the file's last line (nothing may follow it): the checksum covers all before it.
  const actual = sha256Hex(text.slice(0, text.lastIndexOf(END_LINE)));
  return { name, format, shard, head: { grid: m.grid }, bodies, checksum: { recorded, actual } };
}

/** Parses a json shard: the sweep document with a "shard" object. */
function parseJsonShard(file: ShardFile): ParsedShard {
  const { name, text } = file;
  const doc = parseJson(text, {
    name,
    invalid: (where, reason) => `${where}: not valid JSON (${reason}); a shard cut short is incomplete, run it again`,
  }) as Record<string, unknown>;
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
  const bodies = new Map<number, string>();
  const hashes = new Map<number, string>();
  expected.forEach((p, i) => {
    bodies.set(p, jsonPoint(points[i]));
    hashes.set(p, (sums.points as string[])[i]!);
  });
  verifyPoints(name, shard, bodies, hashes);
  // The checksum covers the document as written up to its last point: rebuild that text.
  const head: SweepHead = { tool, config: doc.config, seed: doc.seed, grid: doc.grid };
  const framer = new SweepFramer("json", head, shard);
  const all = sha256().update(framer.opening());
  for (const [p, body] of bodies) all.update(framer.point(p, body));
  return { name, format: "json", shard, head, bodies, checksum: { recorded: sums.all, actual: all.digest("hex") } };
}

function parseShardFile(file: ShardFile): ParsedShard {
  if (file.text.startsWith(SHARD_LINE)) return parseTextShard(file);
  if (file.text.trimStart().startsWith("{")) return parseJsonShard(file);
  throw notAShard(file.name);
}

/** Checks that `files` are the complete set of shards of one sweep and returns the sweep's output. */
export function mergeShards(files: readonly ShardFile[]): string {
  return mergeShardFiles(files).text;
}

/** A merged sweep: its text, and the format its shards (and so it) are in. */
export interface MergedSweep {
  readonly format: SweepFormat;
  readonly text: string;
}

/** As mergeShards, also saying which format the shards were in. */
export function mergeShardFiles(files: readonly ShardFile[]): MergedSweep {
  if (files.length === 0) throw new InputError("collapse merge needs the shard files, e.g. collapse merge part-*.csv");
  const shards = files.map(parseShardFile);
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
  const framer = new SweepFramer(first.format, head, null);
  const parts = [framer.opening()];
  for (let p = 0; p < points; p++) parts.push(framer.point(p, byIndex.get((p % count) + 1)!.bodies.get(p)!));
  parts.push(framer.closing());
  return { format: first.format, text: parts.join("") };
}
