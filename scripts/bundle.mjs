#!/usr/bin/env node
// The command line's start-up bundle (part of `npm run build`, after tsc): esbuild joins the
// compiled modules of every command into one file, dist/bundle/main.js, so that `collapse sim`
// reads one file instead of about a hundred: 15% less start-up, measured (one file beat a split
// into per-command chunks, which sim still read 33 of; V8 compiles a function only when it runs).
// Each worker thread's script is bundled too, in place of tsc's module (dist/engine/worker.js and
// the others): a worker reads one file instead of about sixty, which starts it in 43 ms of CPU
// instead of 76 and holds 11 MB instead of 15 (measured per worker, four at once). Their scripts
// are found by paths that climb out of the calling module's folder ("../engine/worker.js"), which
// resolve the same from dist/engine/ and from dist/bundle/.
// bin/collapse.js prefers the bundle and falls back to dist/cli/main.js.
import { build } from "esbuild";

/** What every bundle shares. */
const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // The big, lazily loaded packages stay outside, loaded only by the commands that need them.
  external: ["mathjs", "vega", "vega-lite", "@resvg/resvg-js"],
  // seedrandom is CommonJS and may require("crypto"): give the bundle a real require.
  banner: { js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);' },
  logLevel: "warning",
  legalComments: "none",
};

// The worker scripts, each replaced by its bundle (same path, same folder depth).
await build({
  ...common,
  entryPoints: ["dist/engine/worker.js", "dist/engine/coordinator.js", "dist/sweep/worker.js", "dist/sweep/preflight-worker.js"],
  outdir: "dist",
  outbase: "dist",
  allowOverwrite: true,
});

await build({
  entryPoints: { main: "dist/cli/main.js" },
  ...common,
  // commander, chalk and seedrandom go in too (15 ms less start-up than loading them as modules).
  outdir: "dist/bundle",
});
