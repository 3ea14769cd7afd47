// Speed-up of --jobs 2 over --jobs 1 (target >= 1.7x on 2 cores): a sweep of 8 points of similar
// cost, a gmm sim whose replicates each run EM, and a run of every other model family. Each
// setting's median wall time (start-up included) is compared, beside what two cores give the same
// work at best on this machine, and how much V8 compiles with each (every thread compiles its own).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, fmt, median, row, timeCommand, timePair } from "./lib.mjs";

// Five rounds: on a shared 2-core host one round in three can be slowed by a neighbour.
const RUNS = 5;

/**
 * --jobs 1 and --jobs 2 of one command, alternating so that background load hits both alike, and
 * two ceilings, medians of RUNS:
 * - two --jobs 1 runs at once against one alone (lib.mjs timePair): what two busy cores give
 *   this work when nothing of it is serial;
 * - 2 × (--jobs 1's wall time) / (--jobs 2's CPU time): the speed-up if --jobs 2's CPU seconds,
 *   every thread's, were spread over two cores from its first millisecond to its last. On a
 *   2-core machine no run that needs that much CPU can beat it; it is below 2 when two threads
 *   cost more CPU than one (cores that slow each other down, each thread's start, compiled code
 *   and garbage collection).
 */
async function speedUp(args) {
  const seconds = { 1: [], 2: [], pair: [] };
  const cpu = { 1: [], 2: [] };
  const digests = new Set();
  for (let i = 0; i < RUNS; i++) {
    for (const jobs of [1, 2]) {
      const run = timeCommand(process.execPath, [BIN, ...args, "--jobs", String(jobs)], 1);
      seconds[jobs].push(run.seconds[0]);
      cpu[jobs].push(run.cpu[0]);
      digests.add(createHash("sha256").update(run.stdout).digest("hex"));
    }
    seconds.pair.push(await timePair(process.execPath, [BIN, ...args, "--jobs", "1"]));
  }
  const [t1, t2, pair] = [median(seconds[1]), median(seconds[2]), median(seconds.pair)];
  const [cpu1, cpu2] = [median(cpu[1]), median(cpu[2])];
  const compiled = { 1: compiles(args, 1), 2: compiles(args, 2) };
  return { t1, t2, cpu1, cpu2, speedUp: t1 / t2, ceiling: (2 * t1) / pair, cpuBound: (2 * t1) / cpu2, compiled, same: digests.size === 1 };
}

/**
 * V8's optimising compiles in one run of `args` with --jobs `jobs` (`node --trace-opt`, whose lines
 * go to stdout beside the output): how many, and their summed duration. Each thread compiles its
 * own code; a duration is a compile's elapsed time, which grows when both cores are busy.
 */
function compiles(args, jobs) {
  const r = spawnSync(process.execPath, ["--trace-opt", BIN, ...args, "--jobs", String(jobs)], { encoding: "utf8", maxBuffer: 1 << 30 });
  let count = 0;
  let ms = 0;
  for (const m of r.stdout.matchAll(/^\[completed compiling .* took ([\d.]+), ([\d.]+), ([\d.]+) ms\]$/gm)) {
    count++;
    ms += Number(m[1]) + Number(m[2]) + Number(m[3]);
  }
  return { count, seconds: ms / 1000 };
}

function report(name, label, r) {
  const cpu = Number.isNaN(r.cpuBound)
    ? ""
    : `; CPU --jobs 1 ${fmt(r.cpu1)}, --jobs 2 ${fmt(r.cpu2)}: bound 2 × ${fmt(r.t1)} / ${fmt(r.cpu2)} = ${r.cpuBound.toFixed(2)}x`;
  console.log(
    `${name.padEnd(9)} ${label}: --jobs 1 ${fmt(r.t1)}, --jobs 2 ${fmt(r.t2)}: ${r.speedUp.toFixed(2)}x; ceiling (2 runs at once) ${r.ceiling.toFixed(2)}x${cpu}; ${compiledText(r.compiled)}; output identical: ${r.same ? "yes" : "NO"}`,
  );
  if (!r.same) process.exitCode = 1;
  const bound = Number.isNaN(r.cpuBound)
    ? ""
    : `; bound by --jobs 2's CPU time (${r.cpu2.toFixed(2)} s against ${r.cpu1.toFixed(2)}): ${r.cpuBound.toFixed(2)}×`;
  return `speed-up ${r.speedUp.toFixed(2)}×; two --jobs 1 runs at once: ${r.ceiling.toFixed(2)}×${bound}; ${compiledText(r.compiled)}`;
}

function compiledText(compiled) {
  const one = (jobs) => `${compiled[jobs].count} (${compiled[jobs].seconds.toFixed(2)} s)`;
  return `V8 compiles ${one(1)} with \`--jobs 1\`, ${one(2)} with \`--jobs 2\``;
}

const sweep = await speedUp(["sweep", "--grid", "sample-size=2000:2700:100", "-g", "300", "-r", "60", "--format", "csv", "--quiet"]);
const sweepRatio = report("sweep", `8 points (M=2000..2700, G=300, R=60, ${availableParallelism()} cores)`, sweep);
row("sweep of 8 gaussian points, --jobs 2 vs --jobs 1", fmt(sweep.t2), `--jobs 1: ${fmt(sweep.t1)}`, sweepRatio, "≥ 1.7×");

// A sim whose every replicate runs EM: the gmm of the issue, 5,000 rows of a two-mode column.
const column = Array.from({ length: 5000 }, (_, i) => {
  // A fixed two-mode column: quantiles of N(±2, 1) interleaved (no randomness to seed).
  const u = (Math.floor(i / 2) + 0.5) / 2500;
  const z = Math.sqrt(2) * inverseErf(2 * u - 1);
  return (i % 2 === 0 ? -2 : 2) + z;
});
const file = join(mkdtempSync(join(tmpdir(), "collapse-bench-")), "column.txt");
writeFileSync(file, `${column.map((x) => x.toFixed(6)).join("\n")}\n`);
const gmm = await speedUp(["sim", "--model", "gmm", "--components", "3", "-g", "3", "--data", file, "--format", "csv", "--quiet"]);
const gmmRatio = report("gmm", "--components 3 -g 3, 5000 rows", gmm);
row("gmm `--components 3 -g 3` on 5,000 rows, `--jobs 2` vs `--jobs 1`", fmt(gmm.t2), `--jobs 1: ${fmt(gmm.t1)}`, gmmRatio, "≥ 1.7×");

// Every other model family on a run of 2 s or more with --jobs 1 (the issue asks ≥ 1.7× of any
// such run), at its defaults but for the generations and replicates; BENCH_MODELS=0 skips them.
// Replicates are the unit of work: the n-gram's default of 5 splits 3 + 2 over two threads, at
// best 5/3 = 1.67×.
const MODELS = [
  ["categorical", ["--model", "categorical", "-g", "1000"]],
  ["mvn", ["--model", "mvn", "-g", "400", "-r", "400"]],
  ["kde", ["--model", "kde", "-g", "600"]],
  ["linreg", ["--model", "linreg", "-g", "1500", "-r", "300"]],
  ["ngram", ["--model", "ngram", "-g", "400"]],
  ["gaussian", ["-g", "1000", "-r", "1000"]],
];
if (process.env.BENCH_MODELS !== "0") {
  for (const [name, args] of MODELS) {
    const r = await speedUp(["sim", ...args, "--format", "csv", "--quiet"]);
    const label = `\`sim ${args.join(" ")}\``;
    row(`${name}: ${label}, \`--jobs 2\` vs \`--jobs 1\``, fmt(r.t2), `--jobs 1: ${fmt(r.t1)}`, report(name, label, r), "≥ 1.7×");
  }
}

/** erf⁻¹ by Newton's method on erf (Abramowitz–Stegun 7.1.26 start), enough for a fixture. */
function inverseErf(y) {
  let x = 0;
  for (let k = 0; k < 60; k++) {
    const t = 1 / (1 + 0.3275911 * Math.abs(x));
    const erf = Math.sign(x) * (1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x));
    x -= (erf - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  }
  return x;
}
