#!/usr/bin/env node
// Benchmark of the discrete models (run `npm run build` first):
//
// 1. The word-bigram collapse loop, `collapse sim --model ngram -g 9 -r 1` against the Python
//    reference `bench/reference/ngram_python.py FILE 9` (Counter + bisect) on the same text, in the
//    same run, the two alternating: whole processes (start-up, tokenising and, for collapse, every
//    metric included), and the loop alone (collapse in-process: fit + sample + measure of
//    generations 1…9; Python: the "seconds" it reports, which leave out its start-up and
//    tokenising). On the bundled corpus and on a novel-length text (below).
// 2. The character 5-gram on the novel-length text, defaults (5 replicates, 10 generations):
//    seconds and peak memory against the goals of issue 15 (≤ 8 s, ≤ 250 MB).
// 3. With BENCH_LARGE=1 (minutes): the default word bigram on 10, 25 and 50 MB of text — seconds
//    per MB (linear time) and peak memory per byte of text (goal ≤ 30×).
// 4. categorical with K = 10⁵ categories, M = 10⁶ draws, 100 generations.
//
// The novel-length text is made here, in a temporary directory, as no novel can be downloaded:
// the bundled corpus's paragraphs, shuffled pass after pass, with 30% of its words replaced by
// invented ones drawn from a Pitman–Yor process (discount 0.7, strength 250), so that the
// vocabulary keeps growing as in real text (Heaps' law) with about half of it used once. At
// 1.2 MB: ≈ 197k word tokens, ≈ 15k word types, ≈ 48% of them hapaxes (Moby-Dick: 215k tokens,
// ≈ 17k types, ≈ 44%); 50 MB of it has ≈ 8.5M tokens.
//
// Times are the best of several runs (the least disturbed by other load); peak memory is the
// maximum resident set size /usr/bin/time reports (skipped when it is absent).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { row } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "collapse.js");
const corpus = join(root, "fixtures", "medieval-architecture.txt");
const reference = join(root, "bench", "reference", "ngram_python.py");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

if (!existsSync(join(root, "dist", "cli", "main.js"))) {
  console.error("bench/ngram.mjs: dist/ is missing; run `npm run build` first");
  process.exit(2);
}

/** Wall-clock seconds (and peak resident memory in bytes, when /usr/bin/time is there) of one process run. */
function timeProcess(command, args) {
  const [cmd, argv] = TIME ? [TIME, ["-f", "PEAK %M", command, ...args]] : [command, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  const peak = /PEAK (\d+)\s*$/.exec(r.stderr);
  return { seconds, peak: peak ? Number(peak[1]) * 1024 : Number.NaN, stdout: r.stdout };
}

/** Best of `runs` of each command, the commands taking turns (so both see the same load). */
function sideBySide(runs, commands) {
  const out = commands.map(() => ({ seconds: Infinity, peak: 0, last: null }));
  for (let i = 0; i < runs; i++) {
    commands.forEach((f, j) => {
      const r = f();
      out[j].seconds = Math.min(out[j].seconds, r.seconds);
      out[j].peak = Math.max(out[j].peak, r.peak);
      out[j].last = r;
    });
  }
  return out;
}

const fmt = (s) => `${s.toFixed(3)} s`;
const mb = (bytes) => (Number.isNaN(bytes) ? "—" : `${Math.round(bytes / 1e6)} MB`);
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;
/** The table of ratios printed at the end. */
const table = [];

/** A deterministic Uniform(0,1) stream (mulberry32). */
function uniforms(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The novel-length benchmark text of `bytes` characters (see the top of this file). */
export function novelText(source, bytes, { share = 0.3, discount = 0.7, strength = 250 } = {}) {
  const rnd = uniforms(20261203);
  const paragraphs = source.split(/\n\s*\n/).filter((p) => p.trim() !== "");
  const ONSET = [
    "b",
    "br",
    "c",
    "ch",
    "cl",
    "d",
    "dr",
    "f",
    "fl",
    "g",
    "gr",
    "h",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "st",
    "t",
    "th",
    "tr",
    "v",
    "w",
    "wh",
  ];
  const NUCLEUS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "ou", "oa", "y"];
  const CODA = ["", "", "", "n", "r", "l", "s", "th", "nd", "rt", "ck", "m", "st", "ng"];
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const invent = () => {
    const k = rnd() < 0.45 ? 1 : rnd() < 0.8 ? 2 : 3;
    let w = "";
    for (let i = 0; i < k; i++) w += pick(ONSET) + pick(NUCLEUS) + (i === k - 1 || rnd() < 0.3 ? pick(CODA) : "");
    return w;
  };
  // Pitman–Yor: a new word with probability (strength + discount · types) / (draws + strength),
  // else word k with probability ∝ (n_k − discount): a past draw's word (∝ n_k), kept with
  // probability 1 − discount / n_k.
  const uses = [];
  const words = [];
  const draws = [];
  const draw = () => {
    if (words.length === 0 || rnd() * (draws.length + strength) < strength + discount * words.length) {
      draws.push(words.length);
      uses.push(1);
      words.push(invent());
      return words[words.length - 1];
    }
    for (;;) {
      const k = draws[Math.floor(rnd() * draws.length)];
      if (rnd() * uses[k] >= discount) {
        uses[k]++;
        draws.push(k);
        return words[k];
      }
    }
  };
  const out = [];
  let size = 0;
  while (size < bytes) {
    const order = paragraphs.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) {
      const p = paragraphs[i].replace(/[A-Za-z]+/g, (w) => {
        if (rnd() >= share) return w;
        const x = draw();
        return /^[A-Z]/.test(w) ? x[0].toUpperCase() + x.slice(1) : x;
      });
      out.push(p);
      size += p.length + 2;
      if (size >= bytes) break;
    }
  }
  return `${out.join("\n\n").slice(0, bytes)}\n`;
}

/** Word tokens, types and the share of types used once, as the Python reference tokenises. */
function textStats(file) {
  const counts = new Map();
  let tokens = 0;
  for (const w of readFileSync(file, "utf8")
    .toLowerCase()
    .matchAll(/[a-z0-9']+/g)) {
    counts.set(w[0], (counts.get(w[0]) ?? 0) + 1);
    tokens++;
  }
  let once = 0;
  for (const c of counts.values()) if (c === 1) once++;
  return `${tokens} word tokens, ${counts.size} types, ${((100 * once) / counts.size).toFixed(0)}% of them once`;
}

function pythonMissing() {
  if (spawnSync("python3", ["--version"], { encoding: "utf8" }).status !== 0) return "python3 not found: the Python reference is skipped";
  if (!existsSync(reference)) return `${reference} not found: the Python reference is skipped`;
  return null;
}

/** collapse's generations 1…9 in-process, after generation 0 is prepared (start-up and seed excluded). */
async function collapseLoop(file) {
  const { resolveSimConfig } = await import(join(root, "dist", "config", "resolve.js"));
  const { prepare } = await import(join(root, "dist", "core", "run.js"));
  const { runReplicates } = await import(join(root, "dist", "core", "loop.js"));
  const { loadSeedSync } = await import(join(root, "dist", "data", "seed-file.js"));
  const { getModel } = await import(join(root, "dist", "models", "index.js"));
  const flag = (value) => ({ value, origin: { kind: "flag" } });
  const raw = new Map([
    ["model", flag("ngram")],
    ["data", flag(file)],
    ["generations", flag(9)],
    ["replicates", flag(1)],
  ]);
  const config = resolveSimConfig(raw);
  const { prepared } = prepare(config, loadSeedSync(getModel("ngram"), config));
  // The first run is the one a user gets (cold code); later ones show the warmed-up speed.
  const times = [];
  // At least two: the first is the cold run, the rest the warmed-up ones.
  for (let i = 0; i < Math.max(2, RUNS); i++) {
    const t0 = process.hrtime.bigint();
    runReplicates(prepared, 0, 1);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { cold: times[0], warm: Math.min(...times.slice(1)), tokens: prepared.config.sampleSize };
}

async function wordBigram(label, file, goal = "") {
  console.log(`\n## word bigram, 9 generations: ${label}`);
  const run = () => timeProcess(process.execPath, [bin, "sim", "--model", "ngram", "--data", file, "-g", "9", "-r", "1", "--format", "json"]);
  const missing = pythonMissing();
  const py = () => timeProcess("python3", [reference, file, "9"]);
  const [collapse, python] = sideBySide(RUNS, missing ? [run] : [run, py]);
  const loop = await collapseLoop(file);
  console.log(`collapse (whole process)        ${fmt(collapse.seconds)}, peak ${mb(collapse.peak)}   (${loop.tokens} training tokens per generation)`);
  console.log(`collapse loop, generations 1-9  ${fmt(loop.cold)} first run, ${fmt(loop.warm)} warmed up (fit + sample + all metrics)`);
  if (missing) {
    console.log(`note: ${missing}`);
    return;
  }
  let pyLoop = Infinity;
  for (let i = 0; i < RUNS; i++) pyLoop = Math.min(pyLoop, JSON.parse(py().stdout).seconds);
  console.log(`python reference (process)      ${fmt(python.seconds)}, peak ${mb(python.peak)}   (${JSON.parse(python.last.stdout).tokens} tokens)`);
  console.log(`python reference loop           ${fmt(pyLoop)}   (counting and sampling only, no metrics)`);
  console.log(
    `speed-up: whole process ${ratio(python.seconds, collapse.seconds)}, loop ${ratio(pyLoop, loop.cold)} (first run) / ${ratio(pyLoop, loop.warm)} (warmed up)`,
  );
  table.push([
    `word bigram -g 9 -r 1, ${label}, whole process`,
    fmt(collapse.seconds),
    `python ${fmt(python.seconds)}`,
    ratio(python.seconds, collapse.seconds),
    goal,
  ]);
  table.push([`the same, the loop (warmed up)`, fmt(loop.warm), `python ${fmt(pyLoop)}`, ratio(pyLoop, loop.warm), ""]);
}

function defaults(label, file, args, textBytes, goal) {
  const runs = Math.max(1, Math.ceil(RUNS / 2));
  const [r] = sideBySide(runs, [() => timeProcess(process.execPath, [bin, "sim", "--model", "ngram", "--data", file, ...args, "--format", "json"])]);
  console.log(`${label}: ${fmt(r.seconds)}, peak ${mb(r.peak)} (${(r.peak / textBytes).toFixed(0)}× the text)`);
  table.push([label, fmt(r.seconds), mb(r.peak), `${(r.peak / textBytes).toFixed(0)}× the text`, goal]);
  return r;
}

const dir = mkdtempSync(join(tmpdir(), "collapse-bench-"));
try {
  const source = readFileSync(corpus, "utf8");
  const novel = join(dir, "novel.txt");
  writeFileSync(novel, novelText(source, 1_200_000));
  console.log(`novel-length text: 1.2 MB, ${textStats(novel)}`);
  await wordBigram("fixtures/medieval-architecture.txt", corpus);
  await wordBigram("the novel-length text", novel, "≥ 8×");

  console.log("\n## char 5-gram, defaults (5 replicates, 10 generations): the novel-length text");
  defaults("char 5-gram, 1.2 MB, defaults", novel, ["--tokens", "char", "--order", "5"], 1.2e6, "≤ 8 s, ≤ 250 MB");

  if (process.env.BENCH_LARGE === "1") {
    console.log("\n## word bigram, defaults, on 10, 25 and 50 MB of text");
    for (const size of [10, 25, 50]) {
      const file = join(dir, `text-${size}mb.txt`);
      writeFileSync(file, novelText(source, size * 1e6));
      const r = defaults(`word bigram, ${size} MB, defaults`, file, [], size * 1e6, "≤ 30× the text, linear time");
      console.log(`  ${(r.seconds / size).toFixed(2)} s per MB`);
      rmSync(file);
    }
  } else {
    console.log("\n(BENCH_LARGE=1 adds the word bigram on 10, 25 and 50 MB of text: minutes.)");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log("\n## categorical, K = 100000 categories, M = 1000000 draws, 100 generations, 1 replicate");
const args = ["sim", "--model", "categorical", "--source", "zipf(1.1,100000)", "--seed-size", "1000000", "-g", "100", "-r", "1", "--format", "json"];
const [cat] = sideBySide(Math.max(2, Math.ceil(RUNS / 2)), [() => timeProcess(process.execPath, [bin, ...args])]);
console.log(`collapse ${args.join(" ")}: ${fmt(cat.seconds)}`);

console.log("\n## n-gram ratios (each measured side by side in this run)\n");
console.log("| what | collapse | reference or peak | ratio | goal |");
console.log("|---|---|---|---|---|");
for (const r of table) console.log(`| ${r.join(" | ")} |`);
// …and into the one table bench/run.js prints at the end.
for (const [what, ours, reference, ratioText, goal] of table) row(`n-gram: ${what}`, ours, reference, ratioText, goal);
