/**
 * Runs the built command line inside the test process: the exported entry of its bundle,
 * `main(argv)`, the very function bin/collapse.js calls, with its argument parsing, messages and
 * exit codes, but without the ~0.2 s of starting Node and loading the modules for every call.
 *
 * What this cannot show, and the end-to-end tests (collapse() in cli.ts, start() in process.ts)
 * keep: a real stdin (a pipe's pace, fd 0's modes), signals, a real stdout (pipes, files,
 * /dev/stdout), the process exiting at all, and Node's own start-up. Input given whole
 * (`options.input`) stands in for stdin: the data layer reads process.stdin as a stream of chunks,
 * and a stream of these bytes is one. The entry reports its exit code in process.exitCode and installs signal and
 * stdout-error handlers on every call; this harness reads and restores the one and removes the
 * others, so calls do not leak into each other or into the test process. Calls are serialised:
 * stdout, stderr, the working directory and the environment are the process's own.
 */
import { fstatSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { BIN, type CliResult, ROOT } from "./cli.js";

type Main = (argv: string[]) => Promise<void>;

let loaded: Promise<Main> | undefined;

/**
 * The built entry, loaded once per test file (global-setup.ts builds dist/ before any test runs):
 * the command line's bundle, as bin/collapse.js loads it (bin/load-bundle.js), so that in-process
 * runs test the very file users run. One file compiled by Node takes 13 ms of CPU against about
 * 100 ms of wall time for dist/'s 150 modules through vitest's module runner, in each of 50 files;
 * the bundle's code cache is ignored here (vitest's Node flags differ), which changes no result.
 */
function entry(): Promise<Main> {
  loaded ??= import(pathToFileURL(join(ROOT, "bin", "load-bundle.js")).href).then(
    (m: { loadBundle: () => { exports: { main: Main } } }) => m.loadBundle().exports.main,
  );
  return loaded;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

let queue: Promise<unknown> = Promise.resolve();

export interface InProcessOptions {
  /** Working directory of the run (default: the repository, as for collapse()). */
  cwd?: string;
  /** Variables set (a string) or removed (undefined) for the run; FORCE_COLOR is removed unless given, as for collapse(). */
  env?: Record<string, string | undefined>;
  /** The bytes of stdin, given whole (as collapse()'s `input`), for a run that reads `-`. */
  input?: string | Buffer;
}

/**
 * `collapse ARGS` run in this process: exit code, stdout and stderr, as collapse() returns them
 * from a child process. A run reading stdin (`-`) needs `options.input`; anything that needs a
 * process of its own (a real pipe, a signal) needs collapse().
 */
export function cli(args: readonly string[], options: InProcessOptions = {}): Promise<CliResult> {
  // This process's stdin is vitest's pipe, which never ends: a run reading it would hang.
  if (args.includes("-") && options.input === undefined) return Promise.reject(new Error("cli(): a run reading stdin (-) needs options.input"));
  const run = queue.then(() => runOnce(args, options));
  queue = run.catch(() => {});
  return run;
}

async function runOnce(args: readonly string[], options: InProcessOptions): Promise<CliResult> {
  const main = await entry();
  // The entry writes to a pipe through process.stdout, which is captured here; onto a regular file
  // it would write to fd 1 directly (see writeStdout), past the capture. vitest's forks have pipes.
  if (fstatSync(1).isFile()) throw new Error("in-process runs need stdout to be a pipe or a terminal, not a file");
  const stdout: string[] = [];
  const stderr: string[] = [];
  const capture =
    (into: string[]) =>
    (chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), done?: (e?: Error | null) => void): boolean => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const callback = typeof encoding === "function" ? encoding : done;
      if (callback) queueMicrotask(() => callback());
      return true;
    };
  const saved = {
    out: process.stdout.write,
    err: process.stderr.write,
    cwd: process.cwd(),
    exitCode: process.exitCode,
    env: new Map<string, string | undefined>(),
    signals: new Map(SIGNALS.map((s) => [s, process.listeners(s)])),
    stdoutErrors: process.stdout.listeners("error"),
  };
  const env: Record<string, string | undefined> = { FORCE_COLOR: undefined, ...options.env };
  for (const [name, value] of Object.entries(env)) {
    saved.env.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  process.exitCode = undefined;
  const stdin = Object.getOwnPropertyDescriptor(process, "stdin")!;
  if (options.input !== undefined) Object.defineProperty(process, "stdin", { value: Readable.from([Buffer.from(options.input)]), configurable: true });
  process.stdout.write = capture(stdout) as typeof process.stdout.write;
  process.stderr.write = capture(stderr) as typeof process.stderr.write;
  try {
    process.chdir(options.cwd ?? ROOT);
    await main([process.execPath, BIN, ...args]);
    const code = process.exitCode;
    return { status: code === undefined ? 0 : Number(code), stdout: stdout.join(""), stderr: stderr.join("") };
  } finally {
    Object.defineProperty(process, "stdin", stdin);
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exitCode = saved.exitCode;
    process.chdir(saved.cwd);
    for (const [name, value] of saved.env) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    for (const signal of SIGNALS) for (const l of process.listeners(signal)) if (!saved.signals.get(signal)!.includes(l)) process.off(signal, l);
    for (const l of process.stdout.listeners("error")) if (!saved.stdoutErrors.includes(l)) process.stdout.off("error", l as (e: Error) => void);
  }
}
