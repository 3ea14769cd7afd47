/**
 * Where output goes: stdout, or a file written atomically (a temporary file in the same directory,
 * renamed over the target once complete), so a failed or interrupted run never leaves a
 * half-written file. Whole documents (`emit`) and streamed sweeps (`openSink`) share the mechanism.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UsageError } from "../errors.js";

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

/** The one-line error for an -o path that cannot be written. */
function cannotWrite(path: string, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT" ? "its directory does not exist" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : String(code ?? e);
  return new UsageError(`cannot write ${path}: ${why}; choose another -o path`);
}

/** Output written piece by piece, visible only once committed. */
export interface Sink {
  write(text: string): void;
  /** The output is complete: make it visible. */
  commit(): void;
  /** The output is not wanted: remove every trace of it. */
  abort(): void;
}

/**
 * A sink to stdout (path undefined or "-"), or to a temporary file beside `path` that commit()
 * renames over it. The file is opened at once, so a bad -o path fails before any work is done.
 */
export function openSink(path: string | undefined): Sink {
  if (path === undefined || path === "-") {
    return { write: (text) => void process.stdout.write(text), commit: () => {}, abort: () => {} };
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, "w");
  } catch (e) {
    throw cannotWrite(path, e);
  }
  pending.add(tmp);
  let open = true;
  const discard = () => {
    if (open) closeSync(fd);
    open = false;
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean
    }
    pending.delete(tmp);
  };
  return {
    write(text) {
      try {
        writeSync(fd, text);
      } catch (e) {
        discard();
        throw cannotWrite(path, e);
      }
    },
    commit() {
      try {
        fsyncSync(fd);
        closeSync(fd);
        open = false;
        renameSync(tmp, path);
        pending.delete(tmp);
      } catch (e) {
        discard();
        throw cannotWrite(path, e);
      }
    },
    abort: discard,
  };
}

/** Writes a whole document to `path` atomically. */
export function writeFileAtomic(path: string, text: string): void {
  const sink = openSink(path);
  sink.write(text);
  sink.commit();
}

/** Writes to stdout, or to `path` atomically when given. */
export function emit(text: string, path: string | undefined): void {
  if (path !== undefined && path !== "-") writeFileAtomic(path, text);
  else process.stdout.write(text);
}
