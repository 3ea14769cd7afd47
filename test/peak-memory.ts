/**
 * The peak resident memory of one `collapse` process (workers included), as the process reports
 * it when it exits: VmHWM of /proc/self/status, the high-water mark of its own memory. Not
 * process.resourceUsage().maxRSS, which on Linux also counts the memory the process had before it
 * ran node: a child spawned by fork starts as a copy of its parent, and in a full suite run that
 * parent is a vitest worker of 170–330 MB, above a small run's own peak (measured: a run of 71 MB
 * reported 169 and 329 MB). maxRSS stands in where there is no /proc. No timing involved.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, ROOT, tempDir } from "./cli/cli.js";

const PROBE = `import { readFileSync } from "node:fs";
process.on("exit", () => {
  let peak = process.resourceUsage().maxRSS * 1024;
  try {
    peak = Number(/VmHWM:\\s*(\\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024;
  } catch {}
  process.stderr.write("PEAK " + peak + "\\n");
});
process.argv[1] = ${JSON.stringify(BIN)};
await import(${JSON.stringify(new URL(`file://${BIN}`).href)});
`;

export interface PeakRun {
  readonly status: number | null;
  readonly stdout: string;
  /** stderr without the probe's line. */
  readonly stderr: string;
  /** Bytes; NaN if the process did not report it (it crashed). */
  readonly peak: number;
}

export function peakMemory(args: readonly string[]): PeakRun {
  const probe = join(tempDir(), "peak.mjs");
  writeFileSync(probe, PROBE);
  const r = spawnSync(process.execPath, [probe, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  const found = /PEAK (\d+)\n/.exec(r.stderr);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/PEAK \d+\n/, ""), peak: found ? Number(found[1]) : Number.NaN };
}
