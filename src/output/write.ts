/**
 * Where output goes: stdout, or a file written atomically (a temporary file in the same directory,
 * renamed over the target), so a failed or interrupted run never leaves a half-written file.
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

export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, "w");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "its directory does not exist" : code === "EACCES" ? "permission denied" : String(code ?? e);
    throw new UsageError(`cannot write ${path}: ${why}; choose another -o path`);
  }
  pending.add(tmp);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean
    }
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot write ${path}: ${code === "EISDIR" ? "it is a directory" : String(code ?? e)}; choose another -o path`);
  } finally {
    pending.delete(tmp);
  }
}

/** Writes to stdout, or to `path` atomically when given. */
export function emit(text: string, path: string | undefined): void {
  if (path !== undefined && path !== "-") writeFileAtomic(path, text);
  else process.stdout.write(text);
}
