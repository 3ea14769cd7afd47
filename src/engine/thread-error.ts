/**
 * Errors crossing a thread boundary. A worker cannot post an Error with its class, so it posts
 * this shape, and the receiving thread rebuilds a CollapseError (a user's mistake, with its exit
 * code) or a plain Error (a bug, with the worker's stack).
 */
import { CollapseError } from "../errors.js";

export interface ThreadError {
  readonly message: string;
  /** The CollapseError's exit code, or null for anything else. */
  readonly exitCode: number | null;
  readonly stack?: string | undefined;
}

/** What a worker posts for an error it caught. */
export function toThreadError(e: unknown): ThreadError {
  const error = e instanceof Error ? e : new Error(String(e));
  return { message: error.message, exitCode: e instanceof CollapseError ? e.exitCode : null, stack: error.stack };
}

/** The error a posted ThreadError stands for; `context` (e.g. "point 3 of 8") is put before the message. */
export function fromThreadError(t: ThreadError, context?: string): Error {
  const prefix = context === undefined ? "" : `${context}: `;
  return t.exitCode !== null ? new CollapseError(prefix + t.message, t.exitCode) : new Error(prefix + (t.stack ?? t.message));
}
