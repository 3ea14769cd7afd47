// The 1-D Gaussian collapse loop, M = 10⁶ samples × 100 generations, against numpy doing the same
// work (sample, moments, tails, nine quantiles per generation) in the same run. Target: ≤ 0.35.
import { BIN, fmt, hasPythonModule, median, peakMemory, reference, row, timeCommand } from "./lib.mjs";

const M = 1_000_000;
const G = 100;
const QUANTILES = "0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.99,0.999";
const RUNS = 5;

const OURS = `sim -m ${M} -g ${G} -r 1 --quantiles ${QUANTILES} --tail-k 1,2,3,4 --format json --quiet --jobs 1`.split(" ");
const script = reference("gaussian_numpy.py");
const numpy = script && hasPythonModule("numpy") ? ["python3", [script, "quantile", String(M), String(G), "1"]] : null;
// Ours and numpy's alternate, run by run, so that the machine's speed, which drifts by 10–20% from
// minute to minute on a shared host, weighs on both sides alike.
const times = { ours: [], numpy: [] };
let npLast = "";
for (let i = 0; i < RUNS; i++) {
  times.ours.push(timeCommand(process.execPath, [BIN, ...OURS], 1).seconds[0]);
  if (numpy) {
    const r = timeCommand(numpy[0], numpy[1], 1);
    times.numpy.push(r.seconds[0]);
    npLast = r.stdout;
  }
}
const oursWall = median(times.ours);
console.log(`gaussian  collapse sim  M=${M} G=${G} (1 replicate, 9 quantiles, 4 tails): ${fmt(oursWall)} wall (median of ${RUNS}, start-up included)`);
if (!numpy) {
  console.log("gaussian  numpy reference: skipped (needs bench/reference/gaussian_numpy.py and python3-numpy)");
} else {
  const npWall = median(times.numpy);
  const npLoop = JSON.parse(npLast).times[0];
  console.log(`gaussian  numpy quantile  M=${M} G=${G}: ${fmt(npWall)} wall, ${fmt(npLoop)} in its loop (last run)`);
  console.log(`gaussian  ratio collapse/numpy (wall/wall): ${(oursWall / npWall).toFixed(2)}  (target <= 0.35)`);
  row(
    "gaussian, M = 10⁶ × 100 generations, 9 quantiles + 4 tails",
    fmt(oursWall),
    `numpy: ${fmt(npWall)}`,
    `${(oursWall / npWall).toFixed(2)}× its time`,
    "≤ 0.35×",
  );
}

// Start-up: a command line tool is run thousands of times by sweeps and CI; mathjs is loaded lazily.
const version = median(timeCommand(process.execPath, [BIN, "--version"], 10).seconds);
const bare = median(timeCommand(process.execPath, ["-e", "0"], 10).seconds);
console.log(`startup   collapse --version ${fmt(version)} vs node -e 0 ${fmt(bare)} (+${((version - bare) * 1000).toFixed(0)} ms)`);
// The default run, as a new user types it, against bare node, alternating so that load hits both.
const def = { ours: [], node: [] };
for (let i = 0; i < 10; i++) {
  def.ours.push(timeCommand(process.execPath, [BIN, "sim", "--generations", "9"], 1).seconds[0]);
  def.node.push(timeCommand(process.execPath, ["-e", "0"], 1).seconds[0]);
}
const [d, n] = [median(def.ours), median(def.node)];
console.log(`startup   collapse sim --generations 9 ${fmt(d)} vs node -e 0 ${fmt(n)} (${(d / n).toFixed(1)}x)`);
row("collapse sim --generations 9 (the default run)", fmt(d), `node -e 0: ${fmt(n)}`, `${(d / n).toFixed(1)}× bare node`, "≤ 2×");

// Memory: a sample of M = 10⁷ doubles is 80 MB; a replicate fits it as it draws it (src/core/drawn-fit.ts),
// holding none, so the peak is Node's threads and their code.
const peak1 = peakMemory(process.execPath, [BIN, "sim", "-m", "10000000", "-r", "2", "-g", "3", "--format", "csv", "--quiet", "--jobs", "1"]);
const peak2 = peakMemory(process.execPath, [BIN, "sim", "-m", "10000000", "-r", "2", "-g", "3", "--format", "csv", "--quiet", "--jobs", "2"]);
// What holding the samples would cost at the least: bare node whose two worker threads (a
// coordinator and a replicate worker) each fill one array of 10⁷ doubles, and nothing else.
const FLOOR = `const { Worker } = require("node:worker_threads");
for (let i = 0; i < 2; i++) new Worker("const a = new Float64Array(1e7); for (let i = 0; i < a.length; i++) a[i] = i;", { eval: true });`;
const floor = peakMemory(process.execPath, ["-e", FLOOR]);
if (peak1 !== null && peak2 !== null) {
  console.log(
    `memory    gaussian M=10^7 R=2: peak ${peak1.toFixed(0)} MB with --jobs 1, ${peak2.toFixed(0)} MB with --jobs 2; node with 2 threads of one sample each: ${floor.toFixed(0)} MB`,
  );
  row(
    "gaussian, M = 10⁷, R = 2, peak memory (`--jobs 2`; `--jobs 1`)",
    `${peak2.toFixed(0)} MB; ${peak1.toFixed(0)} MB`,
    `one sample: 80 MB; bare node with 2 threads holding one each: ${floor.toFixed(0)} MB`,
    `${(peak2 / 80).toFixed(1)}× a sample; ${(floor - peak2).toFixed(0)} MB below bare node holding the samples`,
    "≤ 220 MB",
  );
}
