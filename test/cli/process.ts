/**
 * A running collapse process for tests of real conditions: signals, pipes, FIFOs. Readiness is
 * observed in /proc (a file descriptor opened, CPU time spent), never guessed with a sleep.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { constants } from "node:os";
import type { Readable } from "node:stream";
import { BIN, ROOT } from "./cli.js";

export interface Running {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the process ends: its exit code (or 128 + n when killed by signal n), and output. */
  readonly done: Promise<{ status: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Every signal's number (SIGABRT, SIGSEGV…), so that a crash reads as its own status, not as 128. */
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = constants.signals;

/** Children of start() still running: test/cleanup.ts kills them after the file, so that a failed test leaves no endless run behind. */
export const runningChildren = new Set<ChildProcess>();

export function start(args: string[], options: { env?: Record<string, string>; cwd?: string; stdin?: "pipe" | "ignore" | Readable } = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: [options.stdin ?? "pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  runningChildren.add(child);
  const done = new Promise<{ status: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => {
      runningChildren.delete(child);
      resolve({ status: code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0), signal, stdout, stderr });
    }),
  );
  return { child, pid: child.pid!, done };
}

/**
 * How long a process may take to end after a signal before a test calls it hung: a hang detector,
 * not a speed claim. The promise tested is event-based — the process exits with the signal's status
 * while its work could not have completed (each test sizes that work far beyond this bound, or
 * waits on input that never comes) — and this bound only keeps a broken handler from stalling the
 * suite until vitest's own time-out. It is generous because the machines running the suite are
 * shared and a loaded one may take seconds to schedule a process.
 */
export const HANG_MS = 30_000;

/**
 * Polls `ready` every 10 ms until it holds; fails after `timeoutMs`, a hang detector (a process that
 * never reaches the state), not a speed claim: see HANG_MS.
 */
export async function waitUntil(ready: () => boolean, what: string, timeoutMs = HANG_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** True when process `pid` has `path` open (one of its /proc/PID/fd links points at it). */
export function hasOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * True while a thread of the process is blocked in open(2) on a FIFO that has no writer (it sleeps
 * in the kernel's wait_for_partner); a process that opened it without blocking holds it instead
 * (see hasOpen).
 */
export function blockedOpeningFifo(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).some((t) => {
      try {
        return readFileSync(`/proc/${pid}/task/${t}/wchan`, "utf8") === "wait_for_partner";
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * True once collapse's own signal handlers are installed. Node itself catches SIGINT and SIGTERM
 * from its first milliseconds (to restore the terminal, then die by the signal), so their bits in
 * /proc/PID/status SigCgt say nothing about collapse; SIGHUP is caught only by collapse, which
 * installs its three handlers together (src/cli/main.ts). A signal sent from now on tests them, not
 * the default disposition.
 */
export function handlesSignals(pid: number): boolean {
  try {
    const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    const SIGHUP_BIT = 0n; // signal n is bit n − 1
    return mask !== null && ((BigInt(`0x${mask[1]}`) >> SIGHUP_BIT) & 1n) === 1n;
  } catch {
    return false;
  }
}

/** CPU seconds (user + system) the process has used so far, from /proc/PID/stat; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Resolves with the process's exit; kills it and fails when it has not ended after HANG_MS. */
export async function exitOf(run: Running, what: string): Promise<{ status: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, fail) => {
    timer = setTimeout(() => {
      run.child.kill("SIGKILL");
      fail(new Error(`collapse hung: still running ${HANG_MS / 1000} s after ${what}`));
    }, HANG_MS);
  });
  try {
    return await Promise.race([run.done, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends `signal` and resolves with the exit (see HANG_MS: a hang fails, a slow exit does not). */
export function signalAndWait(
  run: Running,
  signal: NodeJS.Signals,
): Promise<{ status: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  run.child.kill(signal);
  return exitOf(run, signal);
}

/**
 * Waits until the process has spent `cpu` seconds of CPU (busy with the work a test means to
 * interrupt), sends `signal`, and resolves with its exit and the milliseconds from the signal to
 * the exit: for tests of README's promise that a signal is answered within a second.
 */
export async function interruptWhenBusy(
  run: Running,
  cpu: number,
  what: string,
  signal: NodeJS.Signals = "SIGINT",
): Promise<{ status: number; signal: NodeJS.Signals | null; stdout: string; stderr: string; answeredMs: number }> {
  await waitUntil(() => handlesSignals(run.pid) && cpuSeconds(run.pid) >= cpu, what);
  const sent = performance.now();
  run.child.kill(signal);
  const r = await exitOf(run, signal);
  return { ...r, answeredMs: performance.now() - sent };
}
