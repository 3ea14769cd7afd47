import { accessSync, constants, statfsSync } from "node:fs";
import { defineConfig } from "vitest/config";

/**
 * Where tests put their temporary files, unless TMPDIR says: the memory-backed /dev/shm when it is
 * writable with 2 GB free, else the system's temporary folder. Tests write thousands of small files (the property and hostile
 * tables) and a few of 100 MB; on this machine's ext4 the writes and their fsyncs cost about 5 s
 * of the suite's CPU. A container's /dev/shm (often 64 MB) is too small, hence the check.
 */
function temporaryFolder(): string | undefined {
  // A folder the user chose is theirs to keep.
  if (process.env.TMPDIR) return undefined;
  try {
    accessSync("/dev/shm", constants.W_OK);
    const fs = statfsSync("/dev/shm");
    return fs.bavail * fs.bsize >= 2e9 ? "/dev/shm" : undefined;
  } catch {
    return undefined;
  }
}
const TMPDIR = temporaryFolder();

/** Test files that replace a module with vi.mock: they get forks of their own (see below). */
const MOCKING = ["test/engine/parallel.test.ts", "test/engine/early-coordinator.test.ts", "test/sweep/pool.test.ts", "test/sweep/preflight.test.ts"];

/** What every project shares. */
const common = {
  // Every test file's temporary folders are removed when it is done.
  setupFiles: ["test/cleanup.ts"],
  // dist/ is rebuilt before a run unless it was built from the very sources there are now (a hash):
  // end-to-end tests spawn it, in-process tests call its entry.
  globalSetup: ["test/global-setup.ts"],
  // Statistical tests run thousands of chains; end-to-end tests spawn the built binary. Both are
  // hang detectors, not speed claims: a loaded machine may take several times as long.
  testTimeout: 60_000,
  // Hooks prepare what a file's tests share (four long runs under a terminal, a sweep baseline),
  // which took over vitest's default 10 s on a busy 2-core machine.
  hookTimeout: 60_000,
  pool: "forks" as const,
  env: TMPDIR ? { TMPDIR } : {},
  // Transformed test and source modules are kept on disk between runs (node_modules/.experimental-vitest-cache),
  // keyed by content: a second run skips about 5 s of transforming on this 2-core machine.
  experimental: { fsModuleCache: true },
};

export default defineConfig({
  test: {
    // One fork per core: most files wait on spawned collapse processes, so the default (half the
    // cores, one on a 2-core machine) leaves a core idle — 188 s against 109 s for the suite here.
    maxWorkers: "100%",
    projects: [
      {
        test: {
          ...common,
          name: "shared",
          include: ["test/**/*.test.ts"],
          exclude: MOCKING,
          // Test files share their fork (one after another) instead of each starting a new one: Node,
          // vitest and the modules load once per fork, not per file — 0.3 s of CPU less per file,
          // measured on 33 unit-test files (26 s → 16 s), about 15 s for the suite. Tests leave no
          // global state behind: the in-process runner restores cwd, env, exit code and handlers,
          // spies and fake timers are restored, and test/cleanup.ts runs after every file.
          isolate: false,
        },
      },
      // A mock must not leak into the files that share a fork. These files all make the same one
      // (test/engine/redirected-workers.ts), so they share a fork of their own.
      { test: { ...common, name: "isolated", include: MOCKING, isolate: false } },
    ],
  },
});
