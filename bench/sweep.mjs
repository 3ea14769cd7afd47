// collapse sweep: speed-up of --jobs 2 over --jobs 1 on a grid of 8 points of similar cost
// (target >= 1.6x on 2 cores). Runs alternate between the two settings so that background load
// hits both alike; each setting's median wall time (start-up included) is compared.
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, fmt, median, row, timeCommand } from "./lib.mjs";

const RUNS = 3;
const args = ["sweep", "--grid", "sample-size=2000:2700:100", "-g", "300", "-r", "60", "--format", "csv", "--quiet"];
const seconds = { 1: [], 2: [] };
const digests = { 1: new Set(), 2: new Set() };
for (let i = 0; i < RUNS; i++) {
  for (const jobs of [1, 2]) {
    const run = timeCommand(process.execPath, [BIN, ...args, "--jobs", String(jobs)], 1);
    seconds[jobs].push(run.seconds[0]);
    digests[jobs].add(createHash("sha256").update(run.stdout).digest("hex"));
  }
}
const t1 = median(seconds[1]);
const t2 = median(seconds[2]);
const same = digests[1].size === 1 && digests[2].size === 1 && [...digests[1]][0] === [...digests[2]][0];
console.log(`sweep     8 points (M=2000..2700, G=300, R=60): --jobs 1 ${fmt(t1)}, --jobs 2 ${fmt(t2)} (medians of ${RUNS}, ${availableParallelism()} cores)`);
console.log(`sweep     speed-up jobs 2 / jobs 1: ${(t1 / t2).toFixed(2)}x  (target >= 1.60)  output identical: ${same ? "yes" : "NO"}`);
row("sweep of 8 gaussian points, --jobs 2 vs --jobs 1", fmt(t2), `--jobs 1: ${fmt(t1)}`, `speed-up ${(t1 / t2).toFixed(2)}×`, "≥ 1.7×");
if (!same) process.exitCode = 1;

// A sim whose every replicate runs EM: the gmm of the issue, 5,000 rows of a two-mode column.
const column = Array.from({ length: 5000 }, (_, i) => {
  // A fixed two-mode column: quantiles of N(±2, 1) interleaved (no randomness to seed).
  const u = (Math.floor(i / 2) + 0.5) / 2500;
  const z = Math.sqrt(2) * inverseErf(2 * u - 1);
  return (i % 2 === 0 ? -2 : 2) + z;
});
const file = join(mkdtempSync(join(tmpdir(), "collapse-bench-")), "column.txt");
writeFileSync(file, `${column.map((x) => x.toFixed(6)).join("\n")}\n`);
const gmmArgs = ["sim", "--model", "gmm", "--components", "3", "-g", "3", "--data", file, "--format", "csv", "--quiet"];
const g = { 1: [], 2: [] };
for (let i = 0; i < RUNS; i++) for (const jobs of [1, 2]) g[jobs].push(timeCommand(process.execPath, [BIN, ...gmmArgs, "--jobs", String(jobs)], 1).seconds[0]);
const [g1, g2] = [median(g[1]), median(g[2])];
console.log(`gmm       --components 3 -g 3, 5000 rows: --jobs 1 ${fmt(g1)}, --jobs 2 ${fmt(g2)} (${(g1 / g2).toFixed(2)}x)`);
row("gmm --components 3 -g 3 on 5,000 rows, --jobs 2 vs --jobs 1", fmt(g2), `--jobs 1: ${fmt(g1)}`, `speed-up ${(g1 / g2).toFixed(2)}×`, "≥ 1.7×");

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
