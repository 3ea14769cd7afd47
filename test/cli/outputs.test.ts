/**
 * Every output path of every command, under the conditions a shell or CI user meets: full disks,
 * devices, FIFOs, symlinks, modes, bad paths among several outputs, and signals mid-write.
 * Cases that need root (a tmpfs to fill, a private device node) run as root and say so when skipped.
 * Writes to paths run the built entry in-process (cli(), test/cli/in-process.ts: the same writer
 * and messages); stdout itself, FIFOs and signals need a process of their own (collapse(), spawn).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  createReadStream,
  existsSync,
  fstatSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, type CliResult, collapse, ROOT, tempDir } from "./cli.js";
import { cli } from "./in-process.js";
import { type Running, signalAndWait, start, waitUntil } from "./process.js";

const isRoot = process.getuid?.() === 0;
const ROOT_ONLY = "needs root (mount a tmpfs, mknod a private device); run the suite as root to cover it";

/** The promise for every failure: exit 2, one line on stderr in the house format, no stack trace. */
function expectOneLine(r: CliResult, pattern: RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^collapse: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const SIM = ["sim", "-g", "9", "-r", "20", "--quiet"];
/** The table without its last line, the run's wall time, which differs from run to run. */
const untimed = (table: string) => table.replace(/\nelapsed [^\n]*\n$/, "\n");

/**
 * As root, a writer that replaced its target would replace the machine's /dev/null: the tests on the
 * system's devices run only once the same cases passed on private device nodes (below, in order).
 */
let privateDevicesOk = !isRoot;

/** A shard pair and a results file to feed merge, plot and check. */
async function inputs(dir: string): Promise<{ shards: string[]; run: string }> {
  const shards: string[] = [];
  for (const [i, s] of ["1/2", "2/2"].entries()) {
    const p = join(dir, `part-${i + 1}.csv`);
    expect((await cli(["sweep", "--grid", "sample-size=10,20", "-g", "5", "-r", "5", "--quiet", "--shard", s, "-o", p])).status).toBe(0);
    shards.push(p);
  }
  const run = join(dir, "run.json");
  expect((await cli([...SIM, "--format", "json", "-o", run])).status).toBe(0);
  return { shards, run };
}

describe.skipIf(!isRoot)(`outputs on a full disk (tmpfs) [${isRoot ? "root" : `skipped: ${ROOT_ONLY}`}]`, () => {
  let mnt = "";
  let work = "";
  let made: { shards: string[]; run: string };
  beforeAll(async () => {
    work = tempDir();
    made = await inputs(work);
    mnt = join(tempDir(), "full");
    mkdirSync(mnt);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt]);
  });
  afterAll(() => {
    if (mnt !== "") spawnSync("umount", [mnt]);
  });

  /** An old target (to keep byte-identical) and a filler that leaves `free` bytes on the disk. */
  function fill(name: string, free: number): { target: string; old: string } {
    for (const f of readdirSync(mnt)) execFileSync("rm", ["-f", join(mnt, f)]);
    const target = join(mnt, name);
    const old = `the old ${name}\n`;
    writeFileSync(target, old);
    const filler = join(mnt, "filler");
    const fd = openSync(filler, "w");
    const block = Buffer.alloc(4096, 120);
    try {
      for (;;) writeSync(fd, block);
    } catch {
      // full
    }
    ftruncateSync(fd, Math.max(0, fstatSync(fd).size - free));
    closeSync(fd);
    return { target, old };
  }

  // Free space left: a page (the write is cut short, then fails) and none (the first write fails).
  // The JUnit and summary reports are smaller than a page, so only the full disk applies to them.
  const cases: Array<[string, (target: string) => string[], string, number[]]> = [
    ["sim -o", (t) => [...SIM, "-g", "60", "--format", "json", "-o", t], "-o", [4096, 0]],
    ["sim --save-baseline", (t) => [...SIM, "-g", "60", "--save-baseline", t], "--save-baseline", [4096, 0]],
    ["sweep -o (streamed)", (t) => ["sweep", "--grid", "sample-size=10,20,30", "-g", "20", "-r", "5", "--quiet", "-o", t], "-o", [4096, 0]],
    ["merge -o", (t) => ["merge", ...made.shards, "-o", t], "-o", [4096, 0]],
    ["plot -o", (t) => ["plot", made.run, "-o", t], "-o", [4096, 0]],
    ["check --junit", (t) => ["check", made.run, "--quiet", "--junit", t], "--junit", [0]],
    ["check --summary", (t) => ["check", made.run, "--quiet", "--summary", t], "--summary", [0]],
  ];
  it.each(cases)("%s: ENOSPC is one line, exit 2, old target byte-identical, no temporary file", async (_, args, flag, frees) => {
    for (const free of frees) {
      const { target, old } = fill("out.txt", free);
      const r = await cli(args(target), { cwd: work });
      expectOneLine(r, new RegExp(`cannot write .*out\\.txt: no space left on device \\(ENOSPC\\); free space or choose another ${flag} path$`));
      expect(readFileSync(target, "utf8")).toBe(old);
      expect(readdirSync(mnt).sort()).toEqual(["filler", "out.txt"]);
    }
  });

  it.each([
    ["sim", () => [...SIM, "-g", "60", "--format", "json"]],
    ["sweep", () => ["sweep", "--grid", "sample-size=10,20,30", "-g", "20", "-r", "5", "--quiet"]],
    ["merge", () => ["merge", ...made.shards]],
  ])("%s > file on a nearly full disk: stdout's short write is one line and exit 2, not a silent truncation", (_, args) => {
    const { target } = fill("out.txt", 4096);
    const fd = openSync(target, "w");
    try {
      const r = spawnSync(process.execPath, [BIN, ...args()], { cwd: work, stdio: ["ignore", fd, "pipe"], encoding: "utf8" });
      expectOneLine(
        { status: r.status, stdout: "", stderr: r.stderr },
        /^collapse: cannot write to stdout: no space left on device \(ENOSPC\); free space or redirect stdout elsewhere$/,
      );
    } finally {
      closeSync(fd);
    }
  });

  it("sim --save-baseline elsewhere is not written when -o cannot be (none unless all)", async () => {
    const { target } = fill("run.json", 4096);
    const baseline = join(tempDir(), "base.json");
    const r = await cli([...SIM, "-g", "60", "--format", "json", "-o", target, "--save-baseline", baseline]);
    expectOneLine(r, /no space left on device/);
    expect(existsSync(baseline)).toBe(false);
  });
});

describe.skipIf(!isRoot)(`outputs onto private device nodes [${isRoot ? "root" : `skipped: ${ROOT_ONLY}`}]`, () => {
  let dir = "";
  beforeAll(() => {
    dir = tempDir();
    execFileSync("mknod", [join(dir, "null"), "c", "1", "3"]);
    execFileSync("mknod", [join(dir, "full"), "c", "1", "7"]);
  });

  it("-o onto a null device writes through it and keeps it a character device", async () => {
    const r = await cli([...SIM, "-o", join(dir, "null")]);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(join(dir, "null")).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["full", "null"]);
    privateDevicesOk = true;
  });

  it.each([
    ["-o", [...SIM, "-o"]],
    ["--save-baseline", [...SIM, "--save-baseline"]],
  ])("%s onto a full device: one line naming ENOSPC, the device stays a device", async (flag, args) => {
    const r = await cli([...args, join(dir, "full")]);
    expectOneLine(r, new RegExp(`cannot write .*full: no space left on device \\(ENOSPC\\); free space or choose another ${flag} path$`));
    expect(lstatSync(join(dir, "full")).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["full", "null"]);
  });
});

describe("outputs onto the system's devices and stdout", () => {
  it("-o /dev/null succeeds and /dev/null stays a character device", async (ctx) => {
    if (!privateDevicesOk) ctx.skip("-o onto a private null device failed: not risking the system's /dev/null");
    const r = await cli([...SIM, "-o", "/dev/null"]);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("-o /dev/full is one line (ENOSPC), exit 2; /dev/full stays a character device", async (ctx) => {
    if (!privateDevicesOk) ctx.skip("-o onto a private null device failed: not risking the system's /dev/full");
    expectOneLine(await cli([...SIM, "-o", "/dev/full"]), /cannot write \/dev\/full: no space left on device \(ENOSPC\)/);
    expect(lstatSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("stdout on /dev/full (collapse sim > /dev/full) is one line, exit 2, no trace", () => {
    const fd = openSync("/dev/full", "w");
    try {
      const r = spawnSync(process.execPath, [BIN, ...SIM], { cwd: ROOT, stdio: ["ignore", fd, "pipe"], encoding: "utf8" });
      expectOneLine({ status: r.status, stdout: "", stderr: r.stderr }, /^collapse: cannot write to stdout: no space left on device \(ENOSPC\)/);
    } finally {
      closeSync(fd);
    }
  });

  it("-o /dev/stdout (or a link to it) writes to stdout and replaces nothing", async () => {
    const dir = tempDir();
    const link = join(dir, "out");
    symlinkSync("/proc/self/fd/1", link);
    const plain = (await cli(SIM)).stdout;
    for (const target of ["/dev/stdout", link]) {
      const r = collapse([...SIM, "-o", target]);
      expect(r.status, r.stderr).toBe(0);
      expect(untimed(r.stdout)).toBe(untimed(plain));
    }
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("/proc/self/fd/1");
    expect(readdirSync(dir)).toEqual(["out"]);
  });

  it("a write to a FIFO goes through it (opened only once the output is ready); the FIFO stays", async () => {
    const dir = tempDir();
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const expected = (await cli([...SIM, "--format", "csv"])).stdout;
    const child = spawn(process.execPath, [BIN, ...SIM, "--format", "csv", "-o", fifo], { cwd: ROOT });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    let got = "";
    for await (const chunk of createReadStream(fifo, { encoding: "utf8" })) got += chunk;
    expect(await exited, stderr).toBe(0);
    expect(got).toBe(expected);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(["pipe"]);
  });
});

describe("replacing a file: links, modes, kinds of path", () => {
  it("a symlink is followed: its target is replaced, the link stays a link", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "real"));
    const target = join(dir, "real", "run.txt");
    writeFileSync(target, "old\n");
    const link = join(dir, "link.txt");
    symlinkSync(join("real", "run.txt"), link);
    const r = await cli([...SIM, "-o", link]);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(untimed(readFileSync(target, "utf8"))).toBe(untimed((await cli(SIM)).stdout));
    expect(readdirSync(dir).sort()).toEqual(["link.txt", "real"]);
    expect(readdirSync(join(dir, "real"))).toEqual(["run.txt"]);
  });

  it("a dangling symlink is followed: its target is created, the link stays", async () => {
    const dir = tempDir();
    const link = join(dir, "link.txt");
    symlinkSync("made.txt", link);
    expect((await cli([...SIM, "-o", link])).status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(untimed(readFileSync(join(dir, "made.txt"), "utf8"))).toBe(untimed((await cli(SIM)).stdout));
  });

  it.each([
    ["-o", (p: string) => [...SIM, "-o", p]],
    ["--save-baseline", (p: string) => [...SIM, "--save-baseline", p]],
  ])("%s keeps a replaced file's mode (0640 stays 0640)", async (_, args) => {
    const dir = tempDir();
    const target = join(dir, "out");
    writeFileSync(target, "old\n");
    chmodSync(target, 0o640);
    expect((await cli(args(target))).status).toBe(0);
    expect(statSync(target).mode & 0o7777).toBe(0o640);
    expect(readFileSync(target, "utf8")).not.toBe("old\n");
  });

  it("a directory as -o is refused before the run: it is a directory", async () => {
    expectOneLine(await cli([...SIM, "-o", tempDir()]), /cannot write .*: it is a directory; choose another -o path$/);
  });

  it("a path through a regular file is refused: not a directory", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "x");
    expectOneLine(await cli([...SIM, "-o", join(dir, "file", "out")]), /cannot write .*: .*not a directory.*; choose another -o path$/);
  });

  it("the same file named by two outputs is refused", async () => {
    const dir = tempDir();
    const p = join(dir, "same.json");
    expectOneLine(await cli([...SIM, "-o", p, "--save-baseline", p]), /-o and --save-baseline .*same file/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("every output path is checked before any work starts, and none is written unless all can be", () => {
  const BAD = "/nonexistent/dir/x";
  it("sim: --save-baseline a.json -o /nonexistent/x writes neither", async () => {
    const dir = tempDir();
    const a = join(dir, "a.json");
    expectOneLine(
      await cli([...SIM, "--save-baseline", a, "-o", BAD]),
      /cannot write \/nonexistent\/dir\/x: its directory does not exist; choose another -o path$/,
    );
    expectOneLine(await cli([...SIM, "-o", a, "--save-baseline", BAD]), /choose another --save-baseline path$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a bad -o is reported before the data is read (missing data file, bad -o: the -o error)", async () => {
    expectOneLine(await cli(["sim", "--data", "no-such-file.csv", "-o", BAD]), /cannot write \/nonexistent\/dir\/x/);
    expectOneLine(await cli(["sweep", "--grid", "sample-size=10,20", "--data", "no-such-file.csv", "-o", BAD]), /cannot write \/nonexistent\/dir\/x/);
    expectOneLine(await cli(["plot", "no-such-file.json", "-o", BAD]), /cannot write \/nonexistent\/dir\/x/);
    expectOneLine(await cli(["merge", "no-such-file.csv", "-o", BAD]), /cannot write \/nonexistent\/dir\/x/);
    expectOneLine(await cli(["check", "no-such-file.json", "--junit", BAD]), /cannot write \/nonexistent\/dir\/x: .*; choose another --junit path$/);
  });

  it("check: a good --junit is not written when --summary cannot be, and no report is printed", async () => {
    const dir = tempDir();
    const base = join(dir, "base.json");
    expect((await cli([...SIM, "--save-baseline", base])).status).toBe(0);
    const junit = join(dir, "junit.xml");
    const r = await cli(["check", base, "--quiet", "--junit", junit, "--summary", BAD]);
    expectOneLine(r, /choose another --summary path$/);
    expect(r.stdout).toBe("");
    expect(readdirSync(dir)).toEqual(["base.json"]);
  });

  // A process of its own: were the FIFO opened for writing, the open would block until a reader came.
  it("a FIFO among the outputs is not opened by the check (no reader: the run still fails fast on the bad path)", () => {
    const dir = tempDir();
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const r = collapse([...SIM, "-o", fifo, "--save-baseline", BAD]);
    expectOneLine(r, /choose another --save-baseline path$/);
  });
});

/**
 * Waits (polling the folder, not sleeping a guessed time) until `dir` holds `entries` entries, the
 * sign that the run has reached its outputs; fails if collapse ends first.
 */
async function reachesOutputs(run: Running, dir: string, entries: number): Promise<void> {
  let ended = false;
  void run.done.then(() => (ended = true));
  await waitUntil(() => ended || readdirSync(dir).length >= entries, "collapse has staged its output");
  expect(ended, "collapse ended before staging its output").toBe(false);
}

// The signal is answered while the work cannot end on its own (a FIFO without a reader, a sweep of
// hours), with the one-word message as all of stderr: see test/cli/real-input.test.ts.
describe("signals while an output waits", () => {
  it.each([
    ["SIGINT", 130, "interrupted"],
    ["SIGHUP", 129, "hangup"],
  ] as const)("%s while a FIFO output has no reader: exit %i, nothing written, no temporary file", async (signal, status, word) => {
    const dir = tempDir();
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const out = join(dir, "run.json");
    // Files are staged first, then the FIFO is written: the staged temporary file appearing means the
    // run has reached its outputs and now waits for a reader that never comes.
    const run = start([...SIM, "--format", "json", "-o", out, "--save-baseline", fifo]);
    await reachesOutputs(run, dir, 2);
    const r = await signalAndWait(run, signal);
    expect(r.status).toBe(status);
    expect(r.stderr).toBe(`collapse: ${word}\n`);
    expect(readdirSync(dir)).toEqual(["pipe"]);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe("signals while a streamed sweep writes to -o", () => {
  // Ctrl-C and a scheduler's time limit; SIGHUP takes the same handler (test/cli/real-input.test.ts).
  it.each([
    ["SIGINT", 130, "interrupted"],
    ["SIGTERM", 143, "terminated"],
  ] as const)("%s: exit %i, no temporary file, the old target unchanged", async (signal, status, word) => {
    const dir = tempDir();
    const out = join(dir, "sweep.csv");
    writeFileSync(out, "old rows\n");
    // 181 points of 200 replicates × 400 generations of M ≥ 2000: hours, far beyond HANG_MS.
    const run = start(["sweep", "--grid", "sample-size=2000:20000:100", "-g", "400", "-r", "200", "--jobs", "2", "-o", out]);
    // Ready once the temporary file beside the target exists.
    await reachesOutputs(run, dir, 2);
    const r = await signalAndWait(run, signal);
    expect(r.status).toBe(status);
    expect(r.stderr).toBe(`collapse: ${word}\n`);
    expect(readdirSync(dir)).toEqual(["sweep.csv"]);
    expect(readFileSync(out, "utf8")).toBe("old rows\n");
  });
});

// The text of a long run is made as it is written (src/output/json-parts.ts, src/output/write.ts),
// seconds of work at 10⁵ generations, with a turn of the event loop between pieces: a signal then is
// answered at once, and the output is not left behind. (Written in one synchronous go, the run used
// to finish writing and renaming before it heard the signal.)
describe("a signal while a long output is being written", () => {
  it("SIGINT: exit 130, no temporary file, no output", async () => {
    const dir = tempDir();
    const out = join(dir, "long.json");
    // 100,001 generations: 290 MB of JSON, seconds to make after the temporary file appears.
    const run = start(["sim", "-g", "100000", "-r", "1", "-m", "10", "--jobs", "1", "--quiet", "-o", out]);
    await reachesOutputs(run, dir, 1);
    const r = await signalAndWait(run, "SIGINT");
    expect(r.status).toBe(130);
    expect(r.stderr).toBe("collapse: interrupted\n");
    expect(readdirSync(dir)).toEqual([]);
  });
});
