/**
 * Where output goes, written so that it cannot lie: stdout (also under names like /dev/stdout); a
 * character device or FIFO written directly (never replaced or renamed over); or a regular file replaced atomically (a temporary file in the
 * target's directory, fully written, synced, given the old file's mode, then renamed over it), so a
 * failed, full or interrupted write never leaves a half-written or missing file.
 *
 * Every path of a run is checked first (checkOutputs), before any work: a bad path fails at once.
 * A run with several outputs writes them all or none (writeOutputs). Streamed sweeps use a Sink.
 */
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { systemCause } from "../errno.js";
import { UsageError } from "../errors.js";

/**
 * What an output receives: text (written as UTF-8), bytes (a PNG), or text in pieces, each written
 * as it is made and then let go (a generator may make them): a run of 10⁵ generations is 290 MB of
 * JSON, which as one string, then one buffer, held twice that at once. Pieces are read once.
 */
export type Payload = string | Uint8Array | Iterable<string>;

/** Whether a payload comes in pieces (made as they are read) rather than whole. */
const inPieces = (payload: Payload): payload is Iterable<string> => typeof payload !== "string" && !(payload instanceof Uint8Array);

/**
 * Writes the payload's bytes a piece at a time. After each piece, an empty one too (a pause its
 * maker asks for), this thread takes a turn of its event loop, so that a signal is answered while
 * a long run's text is still being made (10⁵ generations of JSON take seconds to make).
 */
async function eachPiece(payload: Payload, write: (bytes: Uint8Array) => void | Promise<void>): Promise<void> {
  if (!inPieces(payload)) return write(typeof payload === "string" ? Buffer.from(payload) : payload);
  for (const piece of payload) {
    if (piece.length > 0) await write(Buffer.from(piece));
    await nextTurn();
  }
}

/** Temporary files not yet renamed; removed on interrupt. */
const pending = new Set<string>();

export function removePendingFiles(): void {
  for (const tmp of pending) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

/** Causes that more space would cure. */
const SPACE = new Set(["ENOSPC", "EDQUOT", "EFBIG"]);

/** For a path being written, a missing file means a missing directory. */
const cause = (e: unknown) => systemCause(e, { ENOENT: "its directory does not exist" });

/** The one-line error for an output path that cannot be written; `flag` is the option that chose it. */
export function cannotWrite(shown: string, flag: string, e: unknown): UsageError {
  const { code, text } = cause(e);
  const fix = `${code !== undefined && SPACE.has(code) ? "free space or " : ""}choose another ${flag} path`;
  return new UsageError(`cannot write ${shown}: ${text}; ${fix}`);
}

/** The one-line error for stdout (other than a closed pipe, which is a quiet stop). */
export function cannotWriteStdout(e: unknown): string {
  const { code, text } = cause(e);
  return `cannot write to stdout: ${text}; ${code !== undefined && SPACE.has(code) ? "free space or " : ""}redirect stdout elsewhere`;
}

type WriteFn = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/** Writes every byte: a write may take fewer bytes than asked (a nearly full disk, a pipe), so loop. */
export function writeFully(fd: number, bytes: Uint8Array, write: WriteFn = writeSync): void {
  let offset = 0;
  while (offset < bytes.length) {
    const n = write(fd, bytes, offset, bytes.length - offset);
    if (!(n > 0)) throw Object.assign(new Error("the write made no progress"), { code: "EIO" });
    offset += n;
  }
}

/** Where one output goes, as decided by checkOutput. */
export type Output =
  | { kind: "stdout"; flag: string }
  /** A device, FIFO or the like: opened for writing when the output is ready, never replaced. */
  | { kind: "direct"; flag: string; shown: string; target: string }
  /** A regular file (existing or not): `target` (links resolved) is replaced atomically. */
  | { kind: "replace"; flag: string; shown: string; target: string };

/** Paths that name stdout itself: written to the process's stdout, never opened or replaced. */
const STDOUT_PATHS = new Set(["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]);

function isStdout(st: Stats): boolean {
  try {
    const out = fstatSync(1);
    return out.dev === st.dev && out.ino === st.ino;
  } catch {
    return false;
  }
}

/** Follows a chain of symlinks whose end does not exist yet (a dangling link names the file to create). */
function followDangling(path: string): string {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw Object.assign(new Error("too many links"), { code: "ELOOP" });
}

/**
 * Decides how `path` will be written and checks that it can be, without opening it (a FIFO with no
 * reader would block) and without creating anything: the directory exists and is writable, the
 * target is not a directory, an existing file is writable.
 */
export function checkOutput(path: string | undefined, flag = "-o", options: { stdout?: boolean } = {}): Output {
  if (path === undefined || path === "-" || STDOUT_PATHS.has(path)) {
    if (options.stdout === false) throw new UsageError(`${flag} needs a file name; stdout carries the run's own output`);
    return { kind: "stdout", flag };
  }
  if (path === "") throw new UsageError(`${flag} needs a file name, got an empty one`);
  const fail = (e: unknown) => cannotWrite(path, flag, e);
  let st: Stats | undefined;
  try {
    st = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw fail(e);
  }
  if (st?.isDirectory()) throw fail(Object.assign(new Error(), { code: "EISDIR" }));
  // A link to stdout's pipe, socket or terminal (e.g. /dev/fd/1 under another name) is stdout.
  if (st !== undefined && !st.isFile() && isStdout(st)) {
    if (options.stdout === false) throw new UsageError(`${flag} needs a file name; stdout carries the run's own output`);
    return { kind: "stdout", flag };
  }
  if (st?.isSocket()) throw new UsageError(`cannot write ${path}: it is a socket; choose another ${flag} path`);
  if (st !== undefined && !st.isFile()) return { kind: "direct", flag, shown: path, target: path };
  let target: string;
  try {
    target = st !== undefined ? realpathSync(path) : followDangling(resolve(path));
  } catch (e) {
    throw fail(e);
  }
  const dir = dirname(target);
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: "ENOTDIR" });
    // The temporary file is created in the target's directory, so that is what must be writable.
    accessSync(dir, constants.W_OK);
    if (st !== undefined) accessSync(target, constants.W_OK);
  } catch (e) {
    throw fail(e);
  }
  return { kind: "replace", flag, shown: path, target };
}

/** Checks every output of a run at once; two outputs may not replace the same file. */
export function checkOutputs(list: ReadonlyArray<readonly [flag: string, path: string | undefined, options?: { stdout?: boolean }]>): Output[] {
  const outputs = list.map(([flag, path, options]) => checkOutput(path, flag, options));
  const seen = new Map<string, string>();
  for (const o of outputs) {
    if (o.kind !== "replace") continue;
    const other = seen.get(o.target);
    if (other !== undefined) throw new UsageError(`${other} and ${o.flag} name the same file ${o.shown}; give each its own file`);
    seen.set(o.target, o.flag);
  }
  return outputs;
}

let counter = 0;

/** A temporary file beside a replaced target: created exclusively (never through a planted link). */
function createTemp(output: Extract<Output, { kind: "replace" }>): { fd: number; tmp: string } {
  const tmp = join(dirname(output.target), `.${basename(output.target)}.${process.pid}.${counter++}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, "wx", 0o666);
  } catch (e) {
    throw cannotWrite(output.shown, output.flag, e);
  }
  pending.add(tmp);
  return { fd, tmp };
}

/** Gives the temporary file the replaced file's mode (and owner, where allowed), then syncs and closes it (closed even on failure). */
function finishTemp(fd: number, target: string): void {
  let old: Stats | undefined;
  try {
    old = statSync(target);
  } catch {
    // a new file: the default mode (0666 less the umask), as any shell redirect
  }
  try {
    if (old !== undefined) {
      try {
        fchownSync(fd, old.uid, old.gid);
      } catch {
        // only root may give a file away; the mode is what matters
      }
      // After the owner: a change of owner may clear set-id bits.
      fchmodSync(fd, old.mode & 0o7777);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function discardTemp(tmp: string, fd: number | undefined): void {
  if (fd !== undefined) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
  try {
    unlinkSync(tmp);
  } catch {
    // nothing to clean
  }
  pending.delete(tmp);
}

let stdoutIsFile: boolean | undefined;

/**
 * Writes to stdout. When stdout is a regular file (`> out.txt`), Node's stream ignores a short write
 * (a nearly full disk) and would silently truncate, so the bytes are written here in full; the
 * failure is the one-line stdout error. Pipes, terminals and devices go through process.stdout,
 * whose asynchronous errors are answered once, in main (EPIPE a quiet stop, the rest exit 2).
 */
export function writeStdout(text: string | Uint8Array): void {
  if (text.length > 0) writeStdoutPiece(text);
}

/**
 * writeStdout for any payload. Pieces are made and written as the reader takes them: process.stdout
 * queues whatever a pipe cannot take at once, so the next piece waits until the stream has written
 * its queue, and a slow reader of 290 MB of JSON never has it all held here. A failed stream is
 * answered in main, which exits.
 */
async function writeStdoutPayload(text: Payload): Promise<void> {
  if (!inPieces(text)) return writeStdout(text);
  for (const piece of text) {
    if (piece.length > 0 && !writeStdoutPiece(piece)) await stdoutDrained();
    await nextTurn();
  }
}

/** Writes one piece; false when process.stdout queued it (wait for its drain before the next). */
function writeStdoutPiece(text: string | Uint8Array): boolean {
  if (stdoutIsFile === undefined) {
    try {
      stdoutIsFile = fstatSync(1).isFile();
    } catch {
      stdoutIsFile = false;
    }
  }
  if (!stdoutIsFile) return process.stdout.write(text);
  try {
    writeFully(1, typeof text === "string" ? Buffer.from(text) : text);
  } catch (e) {
    throw new UsageError(cannotWriteStdout(e));
  }
  return true;
}

/** Resolves once process.stdout has written what it queued, or has closed or failed (main answers a failure). */
function stdoutDrained(): Promise<void> {
  const out = process.stdout;
  return new Promise((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      out.off("error", done);
      resolve();
    };
    out.on("drain", done);
    out.on("close", done);
    out.on("error", done);
  });
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const isFifo = (path: string) => {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
};

/**
 * Opens a device or FIFO for writing without creating or truncating anything. Never a blocking
 * call: a FIFO with no reader yet is retried until one comes, so the main thread stays free to
 * answer signals, and no thread is left stuck in open() (which would hang the exit).
 */
async function openDirect(target: string): Promise<number> {
  for (;;) {
    try {
      return openSync(target, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENXIO" || !isFifo(target)) throw e;
      await pause(20);
    }
  }
}

/** Writes every byte to a non-blocking descriptor, waiting (not blocking) while a pipe is full. */
async function writeDirectFully(fd: number, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    let n: number;
    try {
      n = writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      await pause(5);
      continue;
    }
    if (!(n > 0)) throw Object.assign(new Error("the write made no progress"), { code: "EIO" });
    offset += n;
  }
}

const closeQuietly = (fd: number | undefined) => {
  if (fd === undefined) return;
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
};

async function writeDirect(output: Extract<Output, { kind: "direct" }>, text: Payload): Promise<void> {
  let fd: number | undefined;
  try {
    fd = await openDirect(output.target);
    await eachPiece(text, (bytes) => writeDirectFully(fd!, bytes));
  } catch (e) {
    throw cannotWrite(output.shown, output.flag, e);
  } finally {
    closeQuietly(fd);
  }
}

/**
 * Writes each text to its output, all or none: every file is first written in full to its temporary
 * file, then devices and FIFOs are written, and only when all succeeded are the files renamed into
 * place; stdout comes last. Any failure removes every temporary file and leaves every target as it was.
 */
export async function writeOutputs(parts: ReadonlyArray<{ output: Output; text: Payload }>): Promise<void> {
  const staged: Array<{ tmp: string; target: string; shown: string; flag: string }> = [];
  try {
    for (const { output, text } of parts) {
      if (output.kind !== "replace") continue;
      const { fd, tmp } = createTemp(output);
      try {
        await eachPiece(text, (bytes) => writeFully(fd, bytes));
      } catch (e) {
        discardTemp(tmp, fd);
        throw cannotWrite(output.shown, output.flag, e);
      }
      try {
        finishTemp(fd, output.target);
      } catch (e) {
        discardTemp(tmp, undefined);
        throw cannotWrite(output.shown, output.flag, e);
      }
      staged.push({ tmp, target: output.target, shown: output.shown, flag: output.flag });
    }
    for (const { output, text } of parts) if (output.kind === "direct") await writeDirect(output, text);
    for (const s of staged) {
      try {
        renameSync(s.tmp, s.target);
      } catch (e) {
        throw cannotWrite(s.shown, s.flag, e);
      }
      pending.delete(s.tmp);
    }
  } catch (e) {
    for (const s of staged) if (pending.has(s.tmp)) discardTemp(s.tmp, undefined);
    throw e;
  }
  for (const { output, text } of parts) if (output.kind === "stdout") await writeStdoutPayload(text);
}

/** Output written piece by piece, visible only once committed. */
export interface Sink {
  /** Appends text (or its UTF-8 bytes, not to be changed after); throws the one-line error of a failed write (possibly an earlier one). */
  write(text: string | Uint8Array): void;
  /** The output is complete: make it visible. */
  commit(): Promise<void>;
  /** The output is not wanted: remove every trace of it. */
  abort(): void;
}

/**
 * A sink for streamed output: stdout; a temporary file beside a replaced target (created now, so a
 * full directory fails before the work), renamed over it by commit(); or a device/FIFO written in
 * order without ever blocking the main thread (signals stay answered while a reader is awaited).
 */
export function openSink(output: Output): Sink {
  if (output.kind === "stdout") return { write: writeStdout, commit: async () => {}, abort: () => {} };
  if (output.kind === "direct") return directSink(output);
  const { fd, tmp } = createTemp(output);
  let live = true;
  const discard = () => {
    discardTemp(tmp, live ? fd : undefined);
    live = false;
  };
  return {
    write(text) {
      if (!live) return;
      try {
        writeFully(fd, typeof text === "string" ? Buffer.from(text) : text);
      } catch (e) {
        discard();
        throw cannotWrite(output.shown, output.flag, e);
      }
    },
    async commit() {
      if (!live) return;
      live = false;
      try {
        finishTemp(fd, output.target);
        renameSync(tmp, output.target);
        pending.delete(tmp);
      } catch (e) {
        discardTemp(tmp, undefined);
        throw cannotWrite(output.shown, output.flag, e);
      }
    },
    abort: discard,
  };
}

function directSink(output: Extract<Output, { kind: "direct" }>): Sink {
  let failure: UsageError | undefined;
  const fail = (e: unknown) => {
    failure ??= cannotWrite(output.shown, output.flag, e);
  };
  // A chain of writes, in order; the first failure is kept and reported by the next write or by commit.
  let chain: Promise<number | undefined> = openDirect(output.target).then(
    (fd) => fd,
    (e) => {
      fail(e);
      return undefined;
    },
  );
  return {
    write(text) {
      if (failure !== undefined) throw failure;
      const bytes = typeof text === "string" ? Buffer.from(text) : text;
      chain = chain.then(async (fd) => {
        if (fd === undefined || failure !== undefined) return fd;
        try {
          await writeDirectFully(fd, bytes);
        } catch (e) {
          fail(e);
        }
        return fd;
      });
    },
    async commit() {
      closeQuietly(await chain);
      if (failure !== undefined) throw failure;
    },
    abort: () => void chain.then(closeQuietly),
  };
}
