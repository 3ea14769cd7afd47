/**
 * System errors in words, for the one-line messages of readers and writers: "no space left on
 * device (ENOSPC)" rather than a bare code or Node's multi-line message.
 */
import { excerpt } from "./excerpt.js";

/** Causes worth a word of their own; the rest are named by their code. */
const CAUSES: Record<string, string> = {
  ENOSPC: "no space left on device (ENOSPC)",
  EDQUOT: "disk quota exceeded (EDQUOT)",
  EFBIG: "file too large (EFBIG)",
  EIO: "input/output error (EIO)",
  EPERM: "operation not permitted (EPERM)",
  EROFS: "read-only file system (EROFS)",
  EACCES: "permission denied (EACCES)",
  ENOENT: "no such file",
  ENOTDIR: "a part of its path is not a directory (ENOTDIR)",
  EISDIR: "it is a directory",
  ELOOP: "too many levels of symbolic links (ELOOP)",
  ENAMETOOLONG: "its name is too long (ENAMETOOLONG)",
  ENXIO: "no reader or device behind it (ENXIO)",
  EPIPE: "the reader closed it (EPIPE)",
};

/** The error's code (if a system error) and its cause in words; `overrides` rewords codes for one use. */
export function systemCause(e: unknown, overrides: Record<string, string> = {}): { code: string | undefined; text: string } {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) return { code, text: overrides[code] ?? CAUSES[code] ?? code };
  // Not a system error: its message, on one line and short.
  return { code, text: excerpt(String((e as Error | undefined)?.message ?? e).replace(/\s+/g, " ")) };
}
