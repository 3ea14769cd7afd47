// Shared helpers of the benchmarks: timing commands in this run, medians, finding references.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BIN = join(ROOT, "bin", "collapse.js");
/** The reference programs (numpy and plain-Python loops a researcher would write) kept in bench/reference. */
export const REFERENCE_DIR = join(ROOT, "bench", "reference");

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * CPU seconds (user + system) of this process's finished children so far, from /proc/self/stat
 * (its cutime and cstime, in Linux's fixed 100 ticks a second): a child's share is the difference
 * across its run. NaN where there is no /proc.
 */
export function childrenCpuSeconds() {
  if (!existsSync("/proc/self/stat")) return Number.NaN;
  // The fields after the command name (which may hold spaces), from field 3 on: cutime and cstime are fields 16 and 17.
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/**
 * Runs a command `times` times; returns wall-clock seconds of each run, the CPU seconds each used
 * (all its threads: NaN without /proc) and the last stdout.
 */
export function timeCommand(cmd, args, times = 3, options = {}) {
  const seconds = [];
  const cpu = [];
  let stdout = "";
  for (let i = 0; i < times; i++) {
    const used = childrenCpuSeconds();
    const t = performance.now();
    const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28, ...options });
    seconds.push((performance.now() - t) / 1000);
    cpu.push(childrenCpuSeconds() - used);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
    stdout = r.stdout;
  }
  return { seconds, cpu, stdout };
}

export function hasPythonModule(module) {
  return spawnSync("python3", ["-c", `import ${module}`]).status === 0;
}

export function reference(name) {
  const path = join(REFERENCE_DIR, name);
  return existsSync(path) ? path : null;
}

export const fmt = (s) => `${s.toFixed(3)} s`;

/**
 * One row of the table `npm run bench` prints at the end (bench/run.js): what was measured, our
 * number, the reference's and their ratio, each measured side by side in this run. Written as a
 * JSON line to the file bench/run.js names in BENCH_ROWS; a benchmark run on its own just prints.
 */
export function row(benchmark, ours, reference, ratio, target = "") {
  const file = process.env.BENCH_ROWS;
  if (file) appendFileSync(file, `${JSON.stringify({ benchmark, ours, reference, ratio, target })}\n`);
}

/** Peak resident memory (MB) of one run of a command, from GNU time (null when /usr/bin/time is missing). */
export function peakMemory(cmd, args) {
  if (!existsSync("/usr/bin/time")) return null;
  const r = spawnSync("/usr/bin/time", ["-f", "%M", cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  const kb = Number(r.stderr.trim().split("\n").at(-1));
  return kb / 1024;
}

/**
 * Wall-clock seconds of two copies of a command run at once (the slower of the two). Against one
 * copy alone, twice that ratio is what two cores give this work at best: cores that slow each
 * other down when both are busy (a shared floating-point unit, a lower clock) set a ceiling below
 * 2 that no --jobs 2 run of the same work can pass.
 */
export async function timePair(cmd, args) {
  const { spawn } = await import("node:child_process");
  const t = performance.now();
  const one = () =>
    new Promise((done, fail) => {
      const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr.on("data", (b) => (err += b));
      child.on("error", fail);
      child.on("close", (status) => (status === 0 ? done(performance.now()) : fail(new Error(`${cmd} ${args.join(" ")} failed: ${err}`))));
    });
  const ends = await Promise.all([one(), one()]);
  return (Math.max(...ends) - t) / 1000;
}
