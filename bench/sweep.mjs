// collapse sweep: speed-up of --jobs 2 over --jobs 1 on a grid of 8 points of similar cost
// (target >= 1.6x on 2 cores). Runs alternate between the two settings so that background load
// hits both alike; each setting's median wall time (start-up included) is compared.
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { BIN, fmt, median, timeCommand } from "./lib.mjs";

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
if (!same) process.exitCode = 1;
