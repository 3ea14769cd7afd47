/**
 * The progress bar: drawn on stderr only when it is a terminal, only for runs longer than half a
 * second, at most ten times a second, never wider than the terminal, and cleared before results.
 * Unit tests drive the clock; end-to-end tests run the binary under a pseudo-terminal made by
 * util-linux `script` (skipped where it is missing) and with plain pipes.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { Progress } from "../../src/cli/progress.js";
import { BIN, ROOT, tempDir } from "./cli.js";

const BAR = /[█░]{10,}\s+\d+%\s+\d+\/\d+ generations\s+ETA \d+/;
const CLEAR = "\r\u001b[2K";

function fakeStream(isTTY: boolean, columns = 80) {
  const writes: string[] = [];
  const stream = { isTTY, columns, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe("Progress (clock driven)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  const at = (ms: number) => vi.setSystemTime(1_000_000 + ms);

  it("waits half a second, then draws at most every 100 ms, and clears itself when done", () => {
    const { stream, writes } = fakeStream(true);
    const p = new Progress(100, true, stream);
    p.tick();
    at(400);
    p.tick();
    expect(writes).toEqual([]);
    at(600);
    p.tick();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\r[█░]{30} +3% {2}3\/100 generations {2}ETA \d+s $/);
    at(650);
    p.tick(10);
    expect(writes).toHaveLength(1);
    at(800);
    p.tick();
    expect(writes).toHaveLength(2);
    expect(writes[1]).toContain("14/100 generations");
    // 14% of a 30-cell bar: round(0.14 · 30) = 4 cells filled.
    expect(writes[1]).toMatch(/^\r█{4}░{26} /);
    p.done();
    expect(writes.at(-1)).toBe(CLEAR);
  });

  it("never writes when the stream is not a terminal, or when quiet", () => {
    for (const [tty, wanted] of [
      [false, true],
      [true, false],
    ] as const) {
      const { stream, writes } = fakeStream(tty);
      const p = new Progress(10, wanted, stream);
      for (let t = 0; t <= 2000; t += 50) {
        at(t);
        p.tick();
      }
      p.done();
      expect(writes).toEqual([]);
    }
  });

  it("does not clear a line it never drew (a run shorter than half a second)", () => {
    const { stream, writes } = fakeStream(true);
    const p = new Progress(10, true, stream);
    p.tick();
    p.done();
    expect(writes).toEqual([]);
  });

  it("keeps the line shorter than the terminal, and treats a size-less terminal (0 columns) as 80", () => {
    for (const columns of [30, 60, 0]) {
      at(0);
      const { stream, writes } = fakeStream(true, columns);
      const p = new Progress(123_456_789_012, true, stream);
      at(700);
      p.tick(98_765_432_101);
      expect(writes).toHaveLength(1);
      expect(writes[0]!.length - 1).toBeLessThan(columns || 80);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The binary under a pseudo-terminal

const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;

/**
 * A run long enough for the bar to appear after 0.5 s: 64 million draws on one thread take ≈2 s
 * on the 2-core machines of ARCHITECTURE §7, so still > 0.5 s on a machine three times faster.
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

beforeAll(async () => {
  [onTty, toFile, quiet, piped] = (await Promise.all([
    hasScript ? underPty(LONG) : null,
    hasScript ? underPty(LONG, redirected) : null,
    hasScript ? underPty([...LONG, "--quiet"]) : null,
    run(process.execPath, [BIN, ...LONG], plainEnv()),
  ])) as [Shown, Shown, Shown, Shown];
});

describe.skipIf(!hasScript)("progress bar on a pseudo-terminal (script)", () => {
  it("appears on a terminal for a long run, and is cleared before the table", () => {
    const { status, screen } = onTty;
    expect(status).toBe(0);
    expect(screen).toMatch(BAR);
    expect(screen).toMatch(/\d+\/1600 generations/);
    const lastBar = screen.lastIndexOf("generations  ETA");
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
