/**
 * Progress: a bar on stderr when it is a terminal, only for runs longer than half a second, at
 * most ten times a second, never wider than the terminal, and cleared before results; with
 * --progress and a stderr that is not a terminal, plain lines at most every two seconds and a
 * final line; --quiet silences both. Simulations count generations per chain (the mean over
 * replicates), not replicate-generations.
 * Unit tests inject the clock; end-to-end tests run the binary under a pseudo-terminal made by
 * util-linux `script` (skipped where it is missing) and with plain pipes; the short --progress
 * runs call the command line's entry in-process, where stderr is not a terminal either.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Progress, type ProgressOptions } from "../../src/cli/progress.js";
import { formatDuration } from "../../src/output/numbers.js";
import { BIN, ROOT, tempDir } from "./cli.js";
import { cli } from "./in-process.js";

const BAR = /[█░]{10,}\s+\d+%\s+[\d.]+\/\d+ generations \(mean over \d+ replicates\)\s+ETA [\d.]+/;
const CLEAR = "\r\u001b[2K";
/** A plain progress line: percent, count, elapsed, ETA (or, at the end, "done"). */
const LINE =
  /^collapse: \d{1,3}% · [\d.]+\/\d+ (generations|points)( \(mean over \d+ replicates\))? · elapsed [\d.]+ (s|min [\d]{2} s) · (ETA [\d.]+ (s|min [\d]{2} s)|done)$/;

function fakeStream(isTTY: boolean, columns = 80) {
  const writes: string[] = [];
  const stream = { isTTY, columns, write: (s: string) => (writes.push(s), true) };
  return { stream, writes };
}

/** A clock the test moves by hand, in milliseconds since the progress started. */
function fakeClock() {
  let now = 1_000_000;
  return { clock: () => now, at: (ms: number) => (now = 1_000_000 + ms) };
}

function progress(total: number, options: Partial<ProgressOptions> & { stream: ProgressOptions["stream"] }, clock: () => number) {
  return new Progress(total, { wanted: true, clock, ...options });
}

describe("Progress bar on a terminal (clock driven)", () => {
  it("waits half a second, then draws at most every 100 ms, and clears itself when done", () => {
    const { clock, at } = fakeClock();
    const { stream, writes } = fakeStream(true);
    const p = progress(100, { stream }, clock);
    p.tick();
    at(400);
    p.tick();
    expect(writes).toEqual([]);
    at(600);
    p.tick();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\r[█░]{10,40} +3% {2}3\/100 generations {2}ETA [\d.]+ s $/);
    at(650);
    p.tick(10);
    expect(writes).toHaveLength(1);
    at(800);
    p.tick();
    expect(writes).toHaveLength(2);
    expect(writes[1]).toContain("14/100 generations");
    // 14% of the bar, rounded: the bar takes what the text leaves of 80 columns (at most 40).
    const width = writes[1]!.match(/^\r([█░]+)/)![1]!.length;
    const filled = writes[1]!.match(/^\r(█*)/)![1]!.length;
    expect(filled).toBe(Math.round(0.14 * width));
    expect(writes[1]!.length - 1).toBeLessThan(80);
    p.finish();
    expect(writes.at(-1)).toBe(CLEAR);
  });

  it("counts generations per chain, the mean over replicates: -g 2 -r 20 ends at 2/2, not 40/40", () => {
    const { clock, at } = fakeClock();
    const { stream, writes } = fakeStream(true, 120);
    const p = progress(40, { stream, replicates: 20 }, clock);
    at(600);
    p.tick(9);
    expect(writes.at(-1)).toContain("0.5/2 generations (mean over 20 replicates)");
    at(800);
    p.tick(31);
    expect(writes.at(-1)).toContain(" 100%  2/2 generations (mean over 20 replicates)");
    expect(writes.join("")).not.toContain("/40");
  });

  it("never writes when quiet, even with --progress", () => {
    for (const tty of [true, false]) {
      const { clock, at } = fakeClock();
      const { stream, writes } = fakeStream(tty);
      const p = new Progress(10, { wanted: false, plain: true, stream, clock });
      for (let t = 0; t <= 5000; t += 50) {
        at(t);
        p.tick();
      }
      p.finish();
      expect(writes).toEqual([]);
    }
  });

  it("draws again after being cleared (a sweep's rows on the same terminal), but never after finishing", () => {
    const { clock, at } = fakeClock();
    const { stream, writes } = fakeStream(true);
    const p = progress(10, { stream, label: "points" }, clock);
    at(600);
    p.tick();
    p.done();
    expect(writes).toEqual([expect.stringContaining("1/10 points"), CLEAR]);
    at(800);
    p.tick();
    expect(writes.at(-1)).toContain("2/10 points");
    p.finish();
    at(1000);
    p.tick();
    expect(writes.at(-1)).toBe(CLEAR);
  });

  it("does not clear a line it never drew (a run shorter than half a second)", () => {
    const { clock } = fakeClock();
    const { stream, writes } = fakeStream(true);
    const p = progress(10, { stream, plain: true }, clock);
    p.tick();
    p.finish();
    expect(writes).toEqual([]);
  });

  it("keeps the line shorter than the terminal, and treats a size-less terminal (0 columns) as 80", () => {
    for (const columns of [30, 60, 0]) {
      const { clock, at } = fakeClock();
      const { stream, writes } = fakeStream(true, columns);
      const p = progress(123_456_789_012, { stream, replicates: 1234 }, clock);
      at(700);
      p.tick(98_765_432_101);
      expect(writes).toHaveLength(1);
      expect(writes[0]!.length - 1).toBeLessThan(columns || 80);
    }
  });
});

describe("Progress lines when stderr is not a terminal (clock driven)", () => {
  it("writes nothing without --progress", () => {
    const { clock, at } = fakeClock();
    const { stream, writes } = fakeStream(false);
    const p = progress(10, { stream }, clock);
    for (let t = 0; t <= 10_000; t += 100) {
      at(t);
      p.tick();
    }
    p.finish();
    expect(writes).toEqual([]);
  });

  it("with --progress: one line every two seconds at most, each with percent, elapsed and ETA, then a final line", () => {
    const { clock, at } = fakeClock();
    const { stream, writes } = fakeStream(false);
    // 9 generations × 200 replicates, one replicate-generation every 5 ms: 9 s in all.
    const p = progress(1800, { stream, plain: true, replicates: 200 }, clock);
    for (let i = 1; i <= 1800; i++) {
      at(i * 5);
      p.tick();
    }
    // Lines at 2, 4, 6 and 8 s (none at 9 s: too soon after the last).
    expect(writes).toHaveLength(4);
    for (const w of writes) expect(w.endsWith("\n")).toBe(true);
    expect(writes[0]).toBe("collapse: 22% · 2/9 generations (mean over 200 replicates) · elapsed 2.0 s · ETA 7.0 s\n");
    expect(writes[1]).toBe("collapse: 44% · 4/9 generations (mean over 200 replicates) · elapsed 4.0 s · ETA 5.0 s\n");
    expect(writes[3]).toContain("elapsed 8.0 s");
    at(9000);
    p.finish();
    expect(writes).toHaveLength(5);
    expect(writes[4]).toBe("collapse: 100% · 9/9 generations (mean over 200 replicates) · elapsed 9.0 s · done\n");
    // Finishing twice, clearing or ticking after finishing writes nothing more.
    p.finish();
    p.done();
    at(20_000);
    p.tick();
    expect(writes).toHaveLength(5);
    for (const w of writes) {
      expect(w.slice(0, -1)).toMatch(LINE);
      expect(w).not.toContain("\r");
      expect(w).not.toContain("\u001b");
    }
  });

  it("a short run with --progress prints only the final line; a failed run prints no final line", () => {
    const { clock, at } = fakeClock();
    const { stream, writes } = fakeStream(false);
    const p = progress(12, { stream, plain: true, label: "points" }, clock);
    for (let i = 1; i <= 12; i++) {
      at(i * 100);
      p.tick();
    }
    p.finish();
    expect(writes).toEqual(["collapse: 100% · 12/12 points · elapsed 1.2 s · done\n"]);

    const failed = fakeStream(false);
    const q = progress(12, { stream: failed.stream, plain: true, label: "points" }, clock);
    at(10_000);
    q.tick();
    q.done();
    expect(failed.writes).toHaveLength(1);
    expect(failed.writes[0]).toMatch(/^collapse: 8% · 1\/12 points · elapsed [\d.]+ s · ETA /);
  });

  it("says nothing of an ETA before anything is done, and never reports 100% before the end", () => {
    const { clock, at } = fakeClock();
    const { stream, writes } = fakeStream(false);
    const p = progress(1000, { stream, plain: true }, clock);
    at(2500);
    p.tick(0);
    at(5000);
    p.tick(999);
    expect(writes[0]).toBe("collapse: 0% · 0/1000 generations · elapsed 2.5 s\n");
    expect(writes[1]).toMatch(/^collapse: 99% · 999\/1000 generations · elapsed 5.0 s · ETA 0.01 s\n$/);
  });
});

describe("formatDuration", () => {
  it("reads at a glance at every scale", () => {
    expect(formatDuration(0)).toBe("0.00 s");
    expect(formatDuration(0.034)).toBe("0.03 s");
    expect(formatDuration(1.44)).toBe("1.4 s");
    expect(formatDuration(9.96)).toBe("10 s");
    expect(formatDuration(27.4)).toBe("27 s");
    expect(formatDuration(59.6)).toBe("1 min 00 s");
    expect(formatDuration(245)).toBe("4 min 05 s");
    expect(formatDuration(3599.6)).toBe("1 h 00 min");
    expect(formatDuration(7380)).toBe("2 h 03 min");
    expect(formatDuration(Number.NaN)).toBe("0.00 s");
  });
});

// ---------------------------------------------------------------------------------------------
// The binary under a pseudo-terminal

const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;

/**
 * A run long enough for the bar to appear after 0.5 s: 64 million draws on one thread take ≈0.9 s
 * alone on the 2-core machines of ARCHITECTURE §7, and the five long runs below start together on
 * two cores, so each takes about 2 s: still > 0.5 s on a machine three times faster.
 */
const LONG = ["sim", "-g", "400", "-m", "40000", "-r", "4", "--jobs", "1"];

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

interface Shown {
  status: number | null;
  /** Everything written to the terminal (stdout and stderr), or stdout alone for pipes. */
  screen: string;
  stderr: string;
}

/** Runs a command to completion, collecting its output. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Shown> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let screen = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (screen += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, screen, stderr }));
  });
}

function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return env;
}

/** `collapse ARGS` with stdin, stdout and stderr on a pseudo-terminal (util-linux script). */
function underPty(args: string[], redirect?: string): Promise<Shown> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(" ") + (redirect ? ` > ${shellQuote(redirect)}` : "");
  return run("script", ["-qefc", command, "/dev/null"], plainEnv());
}

// The four long runs start together (they are single-threaded), so the file takes the time of
// about two of them on two cores; sharing the cores only makes each run, and its bar, last longer.
const redirected = join(tempDir(), "table.txt");
let onTty: Shown;
let toFile: Shown;
let quiet: Shown;
let piped: Shown;
let pipedLines: Shown;
let ttyLines: Shown;

beforeAll(async () => {
  [onTty, toFile, quiet, piped, pipedLines, ttyLines] = (await Promise.all([
    hasScript ? underPty(LONG) : null,
    hasScript ? underPty(LONG, redirected) : null,
    hasScript ? underPty([...LONG, "--quiet"]) : null,
    run(process.execPath, [BIN, ...LONG], plainEnv()),
    run(process.execPath, [BIN, ...LONG, "--progress"], plainEnv()),
    hasScript ? underPty(["sim", "-g", "3", "-r", "20", "--progress"]) : null,
  ])) as [Shown, Shown, Shown, Shown, Shown, Shown];
});

describe.skipIf(!hasScript)("progress bar on a pseudo-terminal (script)", () => {
  it("appears on a terminal for a long run, and is cleared before the table", () => {
    const { status, screen } = onTty;
    expect(status).toBe(0);
    expect(screen).toMatch(BAR);
    // Generations per chain (the mean over the 4 replicates), not the 1600 replicate-generations.
    expect(screen).toMatch(/[\d.]+\/400 generations \(mean over 4 replicates\)/);
    expect(screen).not.toContain("/1600");
    const lastBar = screen.lastIndexOf("replicates)  ETA");
    const clear = screen.indexOf(CLEAR, lastBar);
    expect(clear).toBeGreaterThan(lastBar);
    expect(screen.indexOf("collapse sim", clear)).toBeGreaterThan(clear);
  });

  it("stays on stderr: stdout redirected to a file gets the table only, no bar and no colour", () => {
    const { status, screen } = toFile;
    expect(status).toBe(0);
    expect(screen).toMatch(BAR);
    const file = readFileSync(redirected, "utf8");
    expect(file.startsWith("collapse sim")).toBe(true);
    expect(file).not.toMatch(/[█░]/);
    expect(file).not.toContain("\u001b");
  });

  it("stays a bar with --progress (plain lines are for logs)", () => {
    expect(ttyLines.status).toBe(0);
    expect(ttyLines.screen).not.toContain("collapse: 100%");
    expect(ttyLines.screen).toContain("collapse sim");
  });

  it("is silenced by --quiet", () => {
    const { status, screen } = quiet;
    expect(status).toBe(0);
    expect(screen).not.toMatch(/[█░]/);
    expect(screen).toContain("collapse sim");
  });
});

describe("progress bar with pipes", () => {
  it("never appears when stderr is not a terminal", () => {
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe("");
    expect(piped.screen).not.toMatch(/[█░]/);
    expect(piped.screen.startsWith("collapse sim")).toBe(true);
  });
});

/** The lines of stderr, each checked to be a plain progress line; the last is the final one. */
function progressLines(stderr: string): string[] {
  expect(stderr.endsWith("\n")).toBe(true);
  const lines = stderr.slice(0, -1).split("\n");
  for (const l of lines) expect(l).toMatch(LINE);
  expect(lines.at(-1)).toMatch(/ · done$/);
  return lines;
}

describe("--progress when stderr is not a terminal (a log, CI, nohup)", () => {
  it("sim: plain lines on stderr, at most one per two seconds, ending with a final line; stdout is the table alone", () => {
    const { status, screen, stderr } = pipedLines;
    expect(status).toBe(0);
    const lines = progressLines(stderr);
    expect(lines.at(-1)).toMatch(/^collapse: 100% · 400\/400 generations \(mean over 4 replicates\) · elapsed /);
    // Never redrawn in place, never coloured, never on stdout.
    expect(stderr).not.toMatch(/[\r\u001b█░]/);
    expect(screen.startsWith("collapse sim")).toBe(true);
    expect(screen).not.toContain("collapse: ");
    // Every line but the last carries an ETA, and the elapsed times are two seconds apart at least.
    const elapsed = lines.map((l) => Number(l.match(/elapsed ([\d.]+) s/)?.[1] ?? Number.NaN));
    for (const l of lines.slice(0, -1)) expect(l).toContain(" · ETA ");
    for (let i = 1; i < lines.length - 1; i++) if (!Number.isNaN(elapsed[i]!)) expect(elapsed[i]! - elapsed[i - 1]!).toBeGreaterThanOrEqual(1.95);
  });

  it("sim with -g 2 -r 20 counts 2/2 generations, not 40/40", async () => {
    const r = await cli(["sim", "-g", "2", "-r", "20", "--progress", "--format", "csv"]);
    expect(r.status).toBe(0);
    expect(progressLines(r.stderr).at(-1)).toMatch(/^collapse: 100% · 2\/2 generations \(mean over 20 replicates\) · elapsed [\d.]+ s · done$/);
    expect(r.stdout.startsWith("generation,metric,")).toBe(true);
  });

  it("--quiet wins over --progress", async () => {
    const r = await cli(["sim", "-g", "2", "-r", "20", "--progress", "--quiet"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("sweep counts points, check counts generations", async () => {
    const dir = tempDir();
    const baseline = join(dir, "baseline.json");
    const sweep = await cli(["sweep", "--grid", "sample-size=10,20,30", "-g", "2", "-r", "5", "--progress"]);
    expect(sweep.status).toBe(0);
    expect(progressLines(sweep.stderr).at(-1)).toMatch(/^collapse: 100% · 3\/3 points · elapsed [\d.]+ s · done$/);
    expect(sweep.stdout).not.toContain("collapse: ");
    expect((await cli(["sim", "-g", "3", "-r", "10", "--quiet", "--format", "json", "--save-baseline", baseline])).status).toBe(0);
    const check = await cli(["check", baseline, "--progress"]);
    expect(check.status, check.stderr).toBe(0);
    expect(progressLines(check.stderr).at(-1)).toMatch(/^collapse: 100% · 3\/3 generations \(mean over 10 replicates\) · elapsed [\d.]+ s · done$/);
    expect((await cli(["check", baseline, "--progress", "--quiet"])).stderr).toBe("");
  });
});
