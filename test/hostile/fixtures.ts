/**
 * Hostile inputs, generated at run time into temporary directories: nothing big is committed.
 * Small generators build the pathological texts (deep JSON, 10 MB cells, invalid UTF-8…); the
 * real artefacts a case edits (shards, baselines, results) are made once by the built command
 * line's entry, run in-process (test/cli/in-process.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";

export const MB = 1 << 20;

/** `n` nested JSON arrays: `[[[…]]]`. */
export function deepArrays(n: number): string {
  return "[".repeat(n) + "]".repeat(n);
}

/** `n` nested JSON objects: `{"a":{"a":…1…}}`. */
export function deepObjects(n: number): string {
  return '{"a":'.repeat(n) + "1" + "}".repeat(n);
}

/** A mixture source nested `n` deep: mixture(1*mixture(1*…normal(0,1)…)). */
export function deepMixture(n: number): string {
  return "mixture(1*".repeat(n) + "normal(0,1)" + ")".repeat(n);
}

/** A cell of `bytes` characters, never a number. */
export function hugeCell(bytes = 10 * MB, ch = "z"): string {
  return ch.repeat(bytes);
}

/**
 * Numbers from…n, one a line (what `seq from n` prints), as bytes: a decimal counter is stepped in
 * place, a tenth of the CPU time of concatenating 10⁷ strings (1.8 s).
 */
export function seq(n: number, from = 1): Buffer {
  const width = String(n).length;
  const out = Buffer.allocUnsafe(Math.max(0, n - from + 1) * (width + 1));
  // The current number's ASCII digits, right-aligned; `start` is its first digit.
  const digits = Buffer.alloc(width, "0");
  let start = width - String(from).length;
  digits.write(String(from), start, "latin1");
  let at = 0;
  for (let i = from; i <= n; i++) {
    for (let j = start; j < width; j++) out[at++] = digits[j]!;
    out[at++] = 10;
    let k = width - 1;
    while (k >= 0 && digits[k] === 57) digits[k--] = 48;
    if (k >= 0) {
      digits[k]!++;
      if (k < start) start = k;
    }
  }
  return out.subarray(0, at);
}

/** Deterministic pseudo-random bytes (a 32-bit LCG): the same bytes on every run. */
export function noiseBytes(n: number, seed = 12345): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** UTF-8 bytes of `before`, one invalid byte 0xff, then `after`. */
export function withInvalidByte(before: string, after: string): Buffer {
  return Buffer.concat([Buffer.from(before, "utf8"), Buffer.from([0xff]), Buffer.from(after, "utf8")]);
}

export const BOM = "\uFEFF";

/** Lines joined with CRLF, ending with one. */
export function crlf(lines: readonly string[]): string {
  return lines.map((l) => `${l}\r\n`).join("");
}

/**
 * Real outputs of the built binary, made once per test file and edited by cases: sweep shards
 * (csv and json), a results document, and baselines with and without a --data file.
 */
export interface Fixtures {
  readonly shardCsv: readonly [string, string];
  readonly shardJson: readonly [string, string];
  /** Shard 2/2 of a different sweep (another grid, so another config hash). */
  readonly foreignShardCsv: string;
  readonly runJson: string;
  readonly runCsv: string;
  /** A baseline of a --source run. */
  readonly baseline: string;
  /** A baseline of a run on `--data d.csv`, made next to a d.csv holding `baselineData`. */
  readonly dataBaseline: string;
  readonly baselineData: string;
}

async function run(args: string[], cwd: string): Promise<string> {
  const r = await cli(args, { cwd });
  if (r.status !== 0) throw new Error(`fixture: collapse ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export async function makeFixtures(): Promise<Fixtures> {
  const dir = tempDir();
  const small = ["-g", "1", "-r", "3", "-m", "5", "--jobs", "1"];
  const sweep = (grid: string, shard: string, format: string) =>
    run(["sweep", "--grid", grid, "-g", "1", "-r", "2", "--jobs", "1", "--shard", shard, "--format", format], dir);
  const baselineData = seq(30).toString("latin1");
  mkdirSync(join(dir, "b"));
  writeFileSync(join(dir, "b", "d.csv"), baselineData);
  await run(["sim", ...small, "--data", "d.csv", "--save-baseline", "bd.json"], join(dir, "b"));
  await run(["sim", ...small, "--save-baseline", "b.json"], dir);
  return {
    shardCsv: [await sweep("sample-size=5,6", "1/2", "csv"), await sweep("sample-size=5,6", "2/2", "csv")],
    shardJson: [await sweep("sample-size=5,6", "1/2", "json"), await sweep("sample-size=5,6", "2/2", "json")],
    foreignShardCsv: await sweep("sample-size=5,7", "2/2", "csv"),
    runJson: await run(["sim", ...small, "--format", "json"], dir),
    runCsv: await run(["sim", ...small, "--format", "csv"], dir),
    baseline: readFileSync(join(dir, "b.json"), "utf8"),
    dataBaseline: readFileSync(join(dir, "b", "bd.json"), "utf8"),
    baselineData,
  };
}

/** Replaces the first match of `find` in `text` (the fixture must contain it). */
export function edit(text: string, find: string | RegExp, replace: string | ((match: string) => string)): string {
  const out = typeof replace === "string" ? text.replace(find, replace) : text.replace(find, (m) => replace(m));
  if (out === text) throw new Error(`fixture edit: ${String(find)} not found`);
  return out;
}

/** A baseline (JSON text) with `config.<key>` set to `value`. */
export function baselineWith(text: string, key: string, value: unknown): string {
  const doc = JSON.parse(text) as { config: Record<string, unknown> };
  doc.config[key] = value;
  return JSON.stringify(doc, null, 2) + "\n";
}
