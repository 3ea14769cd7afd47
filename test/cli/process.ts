/**
 * A running collapse process for tests of real conditions: signals, pipes, FIFOs. Readiness is
 * observed in /proc (a file descriptor opened, CPU time spent), never guessed with a sleep.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import type { Readable } from "node:stream";
import { BIN, ROOT } from "./cli.js";

export interface Running {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the process ends: its exit code (or 128 + n when killed by signal n), and output. */
  readonly done: Promise<{ status: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

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
  const done = new Promise<{ status: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ status: code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0), signal, stdout, stderr })),
  );
  return { child, pid: child.pid!, done };
}

/** Polls `ready` every 10 ms until it holds; fails after `timeoutMs`. */
export async function waitUntil(ready: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
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
 * True once the process catches `signal` (its bit is set in /proc/PID/status SigCgt): collapse has
 * installed its handlers, so a signal from now on tests them, not the default disposition.
 */
export function catches(pid: number, signal: "SIGINT" | "SIGTERM" | "SIGHUP"): boolean {
  try {
    const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    const bit = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal] - 1;
    return mask !== null && ((BigInt(`0x${mask[1]}`) >> BigInt(bit)) & 1n) === 1n;
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

/** Sends `signal` and resolves with the exit and the milliseconds from the signal to the exit. */
export async function signalAndWait(run: Running, signal: NodeJS.Signals): Promise<{ status: number; ms: number; stderr: string; stdout: string }> {
  const sent = Date.now();
  run.child.kill(signal);
  const r = await run.done;
  return { ...r, ms: Date.now() - sent };
}
