/**
 * Reassembling a sweep from its shards (render.ts defines what a shard file holds). The shards must
 * come from one sweep (equal config hash, format and shard count), each must be complete, and
 * together they must hold every shard 1…n exactly once. The result is the unsharded sweep's output,
 * byte for byte: the points' bodies are copied (csv, ndjson) or re-rendered from the parsed
 * document with the same code (json), in point order, inside the unsharded framing.
 */
import { parseJson } from "../data/json.js";
import { InputError } from "../errors.js";
import { csvHeader } from "../output/tidy.js";
import { sweepHash } from "./plan.js";
import { END_LINE, jsonPoint, POINT_LINE, SHARD_LINE, SweepFramer, type SweepFormat, type SweepHead } from "./render.js";
import { shardPoints, type ShardMeta } from "./shard.js";

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
}

function isShardMeta(x: unknown): x is ShardMeta {
  if (x === null || typeof x !== "object") return false;
  const s = x as Record<string, unknown>;
  const whole = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
  return whole(s.index) && whole(s.count) && whole(s.points) && typeof s.hash === "string" && (s.index as number) >= 1 && (s.index as number) <= (s.count as number);
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
  const lines = text.slice(firstEnd + 1).split("\n");
  let at = 0;
  if (format === "csv") {
    if (lines[0] + "\n" !== csvHeader(m.grid)) throw new InputError(`${name}:2: the csv header does not match the shard's grid; the file was edited, run the shard again`);
    at = 1;
  }
  const bodies = new Map<number, string>();
  let current: string[] | null = null;
  let index = -1;
  const close = () => {
    if (current) bodies.set(index, current.join(""));
  };
  let ended = false;
  for (; at < lines.length; at++) {
    const line = lines[at]!;
    if (at === lines.length - 1 && line === "") break;
    if (ended) throw new InputError(`${name}: text after the end line of the shard; the file was edited or two files were joined`);
    if (line === END_LINE) {
      close();
      ended = true;
    } else if (line.startsWith(POINT_LINE)) {
      close();
      index = Number(line.slice(POINT_LINE.length));
      if (!Number.isInteger(index) || bodies.has(index)) throw new InputError(`${name}: bad or repeated "${line}" line; the file was edited, run the shard again`);
      current = [];
    } else if (current) current.push(line + "\n");
    else throw notAShard(name);
  }
  if (!ended) throw incomplete(name, shard, "it has no end line");
  return { name, format, shard, head: { grid: m.grid }, bodies };
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
  const tool = doc.tool as { name: string; version: string };
  if (sweepHash(tool, doc.config) !== shard.hash) {
    throw new InputError(`${name}: its config does not match its hash ${shard.hash}; the file was edited, run the shard again`);
  }
  const expected = shardPoints(shard.points, shard);
  if (doc.points.length !== expected.length) {
    throw incomplete(name, shard, `it holds ${doc.points.length} of its ${expected.length} points`);
  }
  const points = doc.points;
  const bodies = new Map<number, string>();
  expected.forEach((p, i) => bodies.set(p, jsonPoint(points[i])));
  return { name, format: "json", shard, head: { tool, config: doc.config, seed: doc.seed, grid: doc.grid }, bodies };
}

function parseShardFile(file: ShardFile): ParsedShard {
  if (file.text.startsWith(SHARD_LINE)) return parseTextShard(file);
  if (file.text.trimStart().startsWith("{")) return parseJsonShard(file);
  throw notAShard(file.name);
}

/** Checks that `files` are the complete set of shards of one sweep and returns the sweep's output. */
export function mergeShards(files: readonly ShardFile[]): string {
  if (files.length === 0) throw new InputError("collapse merge needs the shard files, e.g. collapse merge part-*.csv");
  const shards = files.map(parseShardFile);
  const first = shards[0]!;
  const byIndex = new Map<number, ParsedShard>();
  for (const s of shards) {
    const what = `shard ${s.shard.index}/${s.shard.count}`;
    if (s.shard.hash !== first.shard.hash) {
      throw new InputError(`${s.name} comes from another sweep than ${first.name} (config hash ${s.shard.hash}, not ${first.shard.hash}); merge the shards of one sweep`);
    }
    if (s.format !== first.format) throw new InputError(`${s.name} is ${s.format} but ${first.name} is ${first.format}; merge shards of one format`);
    if (s.shard.count !== first.shard.count || s.shard.points !== first.shard.points) {
      throw new InputError(`${s.name} is ${what} but ${first.name} is shard ${first.shard.index}/${first.shard.count}; merge the shards of one split`);
    }
    const twin = byIndex.get(s.shard.index);
    if (twin) throw new InputError(`${twin.name} and ${s.name} are both ${what}; give each shard once`);
    byIndex.set(s.shard.index, s);
    const expected = shardPoints(s.shard.points, s.shard);
    const got = [...s.bodies.keys()];
    if (got.length !== expected.length || got.some((p, i) => p !== expected[i])) {
      const missing = expected.find((p) => !s.bodies.has(p));
      const why = missing !== undefined ? `point ${missing} is missing` : `it holds points that are not its own`;
      throw incomplete(s.name, s.shard, why);
    }
  }
  const { count, points } = first.shard;
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0) {
    const list = missing.length > 5 ? `${missing.slice(0, 5).join(", ")}, … (${missing.length} in all)` : missing.join(", ");
    throw new InputError(`shard${missing.length > 1 ? "s" : ""} ${list} of ${count} missing; run collapse sweep … --shard ${missing[0]}/${count} and merge every shard`);
  }

  // The csv and ndjson framing needs only the grid; json shards carry the whole head.
  const head: SweepHead =
    "tool" in first.head ? first.head : { tool: { name: "", version: "" }, config: null, seed: "", grid: first.head.grid };
  const framer = new SweepFramer(first.format, head, null);
  const parts = [framer.opening()];
  for (let p = 0; p < points; p++) parts.push(framer.point(p, byIndex.get((p % count) + 1)!.bodies.get(p)!));
  parts.push(framer.closing());
  return parts.join("");
}
