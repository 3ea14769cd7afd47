/**
 * Node built-in modules that most runs never use, loaded on first use instead of at start-up: a
 * default `collapse sim` starts no worker thread, hashes nothing and reads no socket, and loading
 * node:crypto, node:worker_threads and node:net took several ms of its 120 (their module graphs
 * are compiled when required; test/cli/bundle.test.ts checks that a default run loads neither
 * node:crypto nor node:worker_threads; node:net still comes in with node:tty, which chalk loads).
 * `import` statements would load them with the module that names them; a require at the call
 * does not (the same in dist/ and in the CommonJS bundle, where esbuild leaves builtins external).
 */
import { createRequire } from "node:module";

const load = createRequire(import.meta.url);

/** A new SHA-256 hash (node:crypto, loaded on first use). */
export function sha256(): import("node:crypto").Hash {
  return (load("node:crypto") as typeof import("node:crypto")).createHash("sha256");
}

/** node:worker_threads, loaded on first use. */
export function workerThreads(): typeof import("node:worker_threads") {
  return load("node:worker_threads") as typeof import("node:worker_threads");
}

/** node:net, loaded on first use (a socket for stdin: only when data comes from a pipe or a socket). */
export function net(): typeof import("node:net") {
  return load("node:net") as typeof import("node:net");
}
