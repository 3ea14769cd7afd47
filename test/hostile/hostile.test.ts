/**
 * Runs the hostile-input table (cases.ts) against the built command line: every case in a fresh
 * temporary directory, each asserting its exit code and message fragment, plus what holds for
 * every case: at most one line on stderr, no stack trace.
 *
 * Most cases are a bad file or flag and an exit code: they run the built entry in this process
 * (test/cli/in-process.ts), one after another, without starting Node for each; so do cases whose
 * stdin is given whole (HostileCase.stdin). Cases that need a process — a shell pipeline (a real
 * pipe, a closed or odd stdin), a heap limit, their own stdout (HostileCase.ownProcess) — spawn
 * the binary, four at a time, alongside. Signals are tested in test/cli/real-input.test.ts
 * and test/cli/outputs.test.ts.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, tempDir } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { CASES, type HostileCase, KNOWN_FAILING, type RunResult } from "./cases.js";
import { type Fixtures, makeFixtures } from "./fixtures.js";

const IS_ROOT = process.getuid?.() === 0;
const POOL = 4;

/** A counting semaphore: at most POOL children at once, whatever vitest's concurrency. */
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= POOL) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * The environment spawned cases start from, taken before any case runs: an in-process case sets
 * its own variables in process.env while it runs (a lowered COLLAPSE_MAX_INPUT), and a case
 * spawned meanwhile must not inherit them.
 */
const BASE_ENV = { ...process.env } as Record<string, string>;

function runCase(c: HostileCase, caseDir: string): Promise<RunResult> {
  const dir = join(caseDir, c.cwd ?? ".");
  const args = typeof c.args === "function" ? c.args() : (c.args ?? []);
  const env: Record<string, string> = { ...BASE_ENV, ...c.env };
  delete env.FORCE_COLOR;
  if (!c.env?.NODE_OPTIONS) delete env.NODE_OPTIONS;
  const child = c.shell
    ? spawn("bash", ["-c", `collapse() { "$COLLAPSE_NODE" "$COLLAPSE_BIN" "$@"; }\n${c.shell}`], {
        cwd: dir,
        env: { ...env, COLLAPSE_NODE: process.execPath, COLLAPSE_BIN: BIN },
        stdio: [c.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        detached: true,
      })
    : spawn(process.execPath, [BIN, ...args], { cwd: dir, env, stdio: [c.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"], detached: true });
  // Its own process group, so that a time-out ends the whole case (a shell's children too).
  const killGroup = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  };
  return new Promise((done, fail) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on("data", (b: Buffer) => out.push(b));
    child.stderr!.on("data", (b: Buffer) => err.push(b));
    child.on("error", fail);
    if (c.stdin !== undefined) {
      child.stdin!.on("error", () => {}); // the child may exit without reading everything
      child.stdin!.end(c.stdin);
    }
    const limit = setTimeout(killGroup, c.timeout ?? 30_000);
    child.on("close", (status, signal) => {
      clearTimeout(limit);
      killGroup(); // leftovers of a shell case
      done({ status, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

/** Whether a case needs a collapse process of its own (see HostileCase.ownProcess). */
function needsProcess(c: HostileCase): boolean {
  return c.shell !== undefined || c.env?.NODE_OPTIONS !== undefined || c.ownProcess !== undefined;
}

async function runInProcess(c: HostileCase, caseDir: string): Promise<RunResult> {
  const args = typeof c.args === "function" ? c.args() : (c.args ?? []);
  const r = await cli(args, { cwd: join(caseDir, c.cwd ?? "."), env: { ...c.env }, input: c.stdin });
  return { status: r.status, signal: null, stdout: r.stdout, stderr: r.stderr };
}

/** The exit code a shell would report: a death by signal is 128 + its number. */
function exitCode(r: RunResult): number | null {
  if (r.status !== null) return r.status;
  return r.signal ? 128 + constants.signals[r.signal] : null;
}

let fx: Fixtures;
beforeAll(async () => {
  fx = await makeFixtures();
}, 60_000);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.concurrent("hostile inputs", () => {
  it("has at least 120 cases with distinct names", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(120);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    for (const name of KNOWN_FAILING.keys())
      expect(
        CASES.some((c) => c.name === name),
        name,
      ).toBe(true);
  });

  for (const c of CASES) {
    const known = KNOWN_FAILING.get(c.name);
    if (known !== undefined) {
      it.skip(`${c.name} — known failing: ${known}`, () => {});
      continue;
    }
    if (c.root && !IS_ROOT) {
      it.skip(`${c.name} — skipped: needs root (a device node or a tmpfs to fill)`, () => {});
      continue;
    }
    it(
      c.name,
      async () => {
        const dir = tempDir();
        dirs.push(dir);
        for (const [name, content] of Object.entries(c.files ?? {})) {
          const path = join(dir, name);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, typeof content === "function" ? content(fx) : content);
        }
        c.setup?.(dir, fx);
        let r: RunResult;
        try {
          r = needsProcess(c) ? await slot(() => runCase(c, dir)) : await runInProcess(c, dir);
          const lines = r.stderr.split("\n").filter((l, i, all) => !(l === "" && i === all.length - 1));
          const context = `exit ${exitCode(r)}, stderr:\n${r.stderr.slice(0, 2000)}`;
          const codes = typeof c.exit === "number" ? [c.exit] : c.exit;
          expect(codes, context).toContain(exitCode(r));
          expect(lines.length, `stderr must be at most one line; ${context}`).toBeLessThanOrEqual(1);
          expect(r.stderr, "no stack trace").not.toMatch(/^\s+at |node:internal|\b[A-Z]\w*Error(?: \[\w+\])?:|^Error|FATAL ERROR|heap limit/m);
          for (const l of lines) expect(l.length, `stderr line too long: ${l.slice(0, 200)}…`).toBeLessThanOrEqual(c.maxLine ?? 1000);
          if (exitCode(r) !== 0 && c.stderr) expect(r.stderr, context).toMatch(c.stderr);
          if (exitCode(r) !== 0) expect(r.stderr, context).toMatch(/^collapse: /);
          if (c.notStderr) expect(r.stderr).not.toMatch(c.notStderr);
          c.check?.(dir, r);
        } finally {
          c.teardown?.(dir);
        }
      },
      (c.timeout ?? 30_000) + 120_000,
    );
  }
});
