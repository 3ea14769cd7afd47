#!/usr/bin/env node
// Benchmark of the discrete models (run `npm run build` first):
//
// 1. The word-bigram collapse loop, `collapse sim --model ngram -g 9 -r 1` against the Python
//    reference `bench/reference/ngram_python.py FILE 9` (Counter + bisect) on the same text, in the
//    same run: whole processes (start-up, tokenising and, for collapse, every metric included),
//    and the loop alone (collapse in-process: fit + sample + measure of generations 1…9; Python:
//    the "seconds" it reports, which leave out its start-up and tokenising). Also on the corpus
//    repeated 8 times, where start-up matters less.
// 2. categorical with K = 10⁵ categories, M = 10⁶ draws, 100 generations.
//
// Times are the best of several runs (the least disturbed by other load). The Python reference is
// in bench/reference/ and skipped with a note when python3 is absent.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "collapse.js");
const corpus = join(root, "fixtures", "medieval-architecture.txt");
const reference = join(root, "bench", "reference", "ngram_python.py");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

if (!existsSync(join(root, "dist", "cli", "main.js"))) {
  console.error("bench/ngram.mjs: dist/ is missing; run `npm run build` first");
  process.exit(2);
}

/** Wall-clock seconds of one process run; throws if it fails. */
function timeProcess(command, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

function best(runs, f) {
  let min = Infinity;
  let last;
  for (let i = 0; i < runs; i++) {
    last = f();
    min = Math.min(min, last.seconds);
  }
  return { seconds: min, last };
}

const fmt = (s) => `${s.toFixed(3)} s`;
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;

function python(file) {
  const probe = spawnSync("python3", ["--version"], { encoding: "utf8" });
  if (probe.status !== 0) return { note: "python3 not found: the Python reference is skipped" };
  if (!existsSync(reference)) return { note: `${reference} not found: the Python reference is skipped` };
  let loop = Infinity;
  const whole = best(Math.max(2, Math.ceil(RUNS / 2)), () => {
    const r = timeProcess("python3", [reference, file, "9"]);
    loop = Math.min(loop, JSON.parse(r.stdout).seconds);
    return r;
  });
  return { whole: whole.seconds, loop, tokens: JSON.parse(whole.last.stdout).tokens };
}

/** collapse's generations 1…9 in-process, after generation 0 is prepared (start-up and seed excluded). */
async function collapseLoop(file) {
  const { resolveSimConfig } = await import(join(root, "dist", "config", "resolve.js"));
  const { prepare } = await import(join(root, "dist", "core", "run.js"));
  const { runReplicates } = await import(join(root, "dist", "core", "loop.js"));
  const flag = (value) => ({ value, origin: { kind: "flag" } });
  const raw = new Map([
    ["model", flag("ngram")],
    ["data", flag(file)],
    ["generations", flag(9)],
    ["replicates", flag(1)],
  ]);
  const { prepared } = prepare(resolveSimConfig(raw));
  // The first run is the one a user gets (cold code); later ones show the warmed-up speed.
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    runReplicates(prepared, 0, 1);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { cold: times[0], warm: Math.min(...times.slice(1)), tokens: prepared.config.sampleSize };
}

async function ngramBench(label, file) {
  console.log(`\n## word bigram, 9 generations: ${label}`);
  const collapse = best(RUNS, () => timeProcess(process.execPath, [bin, "sim", "--model", "ngram", "--data", file, "-g", "9", "-r", "1", "--format", "json"]));
  const loop = await collapseLoop(file);
  const py = python(file);
  console.log(`collapse (whole process)        ${fmt(collapse.seconds)}   (${loop.tokens} training tokens per generation)`);
  console.log(`collapse loop, generations 1-9  ${fmt(loop.cold)} first run, ${fmt(loop.warm)} warmed up (fit + sample + all metrics)`);
  if (py.note) {
    console.log(`note: ${py.note}`);
    return;
  }
  console.log(`python reference (process)      ${fmt(py.whole)}   (${py.tokens} tokens)`);
  console.log(`python reference loop           ${fmt(py.loop)}   (counting and sampling only, no metrics)`);
  console.log(
    `speed-up: whole process ${ratio(py.whole, collapse.seconds)}, loop ${ratio(py.loop, loop.cold)} (first run) / ${ratio(py.loop, loop.warm)} (warmed up)`,
  );
}

await ngramBench("fixtures/medieval-architecture.txt", corpus);
const dir = mkdtempSync(join(tmpdir(), "collapse-bench-"));
try {
  const big = join(dir, "corpus-x8.txt");
  writeFileSync(big, Array(8).fill(readFileSync(corpus, "utf8")).join("\n"));
  await ngramBench("the same corpus repeated 8 times", big);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log("\n## categorical, K = 100000 categories, M = 1000000 draws, 100 generations, 1 replicate");
const args = ["sim", "--model", "categorical", "--source", "zipf(1.1,100000)", "--seed-size", "1000000", "-g", "100", "-r", "1", "--format", "json"];
const cat = best(Math.max(2, Math.ceil(RUNS / 2)), () => timeProcess(process.execPath, [bin, ...args]));
console.log(`collapse ${args.join(" ")}: ${fmt(cat.seconds)}`);
