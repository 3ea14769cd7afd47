// The 1-D Gaussian collapse loop, M = 10⁶ samples × 100 generations, against numpy doing the same
// work (sample, moments, tails, nine quantiles per generation) in the same run. Target: ≤ 0.7.
import { BIN, fmt, hasPythonModule, median, reference, timeCommand } from "./lib.mjs";

const M = 1_000_000;
const G = 100;
const QUANTILES = "0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.99,0.999";
const RUNS = 3;

const ours = timeCommand(
  process.execPath,
  [BIN, "sim", "-m", String(M), "-g", String(G), "-r", "1", "--quantiles", QUANTILES, "--tail-k", "1,2,3,4", "--format", "json", "--quiet", "--jobs", "1"],
  RUNS,
);
const oursWall = median(ours.seconds);
console.log(`gaussian  collapse sim  M=${M} G=${G} (1 replicate, 9 quantiles, 4 tails): ${fmt(oursWall)} wall (median of ${RUNS}, start-up included)`);

const script = reference("gaussian_numpy.py");
if (!script || !hasPythonModule("numpy")) {
  console.log("gaussian  numpy reference: skipped (needs bench/reference/gaussian_numpy.py and python3-numpy)");
} else {
  const np = timeCommand("python3", [script, "quantile", String(M), String(G), "1"], RUNS);
  const npWall = median(np.seconds);
  const npLoop = JSON.parse(np.stdout).times[0];
  console.log(`gaussian  numpy quantile  M=${M} G=${G}: ${fmt(npWall)} wall, ${fmt(npLoop)} in its loop (last run)`);
  console.log(`gaussian  ratio collapse/numpy (wall/wall): ${(oursWall / npWall).toFixed(2)}  (target <= 0.70)`);
}

// Start-up: a command line tool is run thousands of times by sweeps and CI; mathjs is loaded lazily.
const version = median(timeCommand(process.execPath, [BIN, "--version"], 10).seconds);
const bare = median(timeCommand(process.execPath, ["-e", "0"], 10).seconds);
console.log(`startup   collapse --version ${fmt(version)} vs node -e 0 ${fmt(bare)} (+${((version - bare) * 1000).toFixed(0)} ms)`);
