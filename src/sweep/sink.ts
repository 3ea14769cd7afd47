/**
 * Where a sweep's text goes as it streams: stdout, or `-o FILE` written to a temporary file in the
 * same directory and renamed over FILE only when the sweep has finished — so a failed or
 * interrupted sweep never leaves a partial FILE (the rule of output/write.ts, for streamed text).
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UsageError } from "../errors.js";

export interface Sink {
  write(text: string): void;
  /** The output is complete: make it visible. */
  commit(): void;
  /** The output is not wanted: remove every trace of it. */
  abort(): void;
}

/** Temporary files not yet renamed; removed on interrupt. */
const pending = new Set<string>();

export function removeSweepTempFiles(): void {
  for (const tmp of pending) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

function cannotWrite(path: string, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT" ? "its directory does not exist" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : String(code ?? e);
  return new UsageError(`cannot write ${path}: ${why}; choose another -o path`);
}

/** Opens the output at once, so that a bad -o path fails before any point runs. */
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
