/**
 * Runs the built command line (dist/ via bin/collapse.js) as a user would, in a process of its own.
 * Tests that need no process of their own (no stdin, signal, pipe or real stdout) call its entry
 * in-process instead: cli() in in-process.ts.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = join(ROOT, "bin", "collapse.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function collapse(args: string[], options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): CliResult {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...options.env };
  // Tests see what a script sees: no colour unless a test forces it.
  if (!options.env || !("FORCE_COLOR" in options.env)) delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input,
    env,
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** collapse() without blocking: several runs can go at once (Promise.all), each in its own process. */
export function collapseAsync(args: string[], options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...options.env };
  if (!options.env || !("FORCE_COLOR" in options.env)) delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      cwd: options.cwd ?? ROOT,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on("data", (b: Buffer) => out.push(b));
    child.stderr!.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    if (options.input !== undefined) {
      child.stdin!.on("error", () => {}); // collapse may exit without reading everything
      child.stdin!.end(options.input);
    }
    child.on("close", (status) => resolve({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/** Folders made by tempDir in this test file; test/cleanup.ts removes them when the file is done. */
export const madeDirs = new Set<string>();

/** A new temporary folder, removed with everything in it after the test file (see test/cleanup.ts). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "collapse-test-"));
  madeDirs.add(dir);
  return dir;
}
