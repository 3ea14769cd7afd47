#!/usr/bin/env node
// The command line's start-up bundle (part of `npm run build`, after tsc): esbuild joins the
// compiled modules of every command into one file, dist/bundle/main.cjs, so that `collapse sim`
// reads one file instead of about a hundred: 15% less start-up, measured (one file beat a split
// into per-command chunks, which sim still read 33 of; V8 compiles a function only when it runs).
// Each worker thread's script is bundled too, in place of tsc's module (dist/engine/worker.js and
// the others): a worker reads one file instead of about sixty, which starts it in 43 ms of CPU
// instead of 76 and holds 11 MB instead of 15 (measured per worker, four at once). Their scripts
// are found by paths that climb out of the calling module's folder ("../engine/worker.js"), which
// resolve the same from dist/engine/ and from dist/bundle/.
// bin/collapse.js prefers the bundle and falls back to dist/cli/main.js.
import { readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { CODE_CACHE, loadBundle } from "../bin/load-bundle.js";
import { STAMP, sourceHash } from "./source-hash.mjs";

/**
 * commander requires node:child_process when it loads, for subcommands run as executables, which
 * collapse does not have: the bundle gets it on first use instead (5 ms of a default run's start).
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "lazy-child-process" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-child-process" }, () => ({
      contents: 'let real;\nmodule.exports = new Proxy({}, { get: (_, key) => (real ??= require("node:child_process"))[key] });\n',
      loader: "js",
    }));
  },
};

/** What every bundle shares. */
const common = {
  plugins: [lazyChildProcess],
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
  // Without comments (which carry the sources' µ, σ and ≤; esbuild escapes them everywhere else)
  // a bundle is ASCII, and V8 holds its source as one byte a character instead of two: 2.4 ms less
  // to load the command line's bundle, and 3.5 MB less at the peak of a two-thread M = 10⁷ run
  // (medians of 21 and of 3). Names are kept, for profiles and stack traces.
  minifyWhitespace: true,
};

// The worker scripts, each replaced by its bundle (same path, same folder depth).
await build({
  ...common,
  entryPoints: [
    "dist/engine/worker.js",
    "dist/engine/summary-worker.js",
    "dist/engine/coordinator.js",
    "dist/sweep/worker.js",
    "dist/sweep/preflight-worker.js",
    "dist/plot/worker.js",
  ],
  outdir: "dist",
  outbase: "dist",
  allowOverwrite: true,
});

// The command line: CommonJS, so that bin/load-bundle.js can compile it as a script with V8's code
// cache; import.meta.url becomes the URL the loader passes in.
await build({
  ...common,
  entryPoints: { main: "dist/cli/main.js" },
  // commander, chalk and seedrandom go in too (15 ms less start-up than loading them as modules).
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  banner: {},
  define: { "import.meta.url": "__bundleUrl" },
  outdir: "dist/bundle",
});

// import() inside a script compiled by vm needs a callback that V8 drops with the code cache (and
// Node 20's default one warns as experimental): the bundle's few import() calls, of the packages
// loaded on demand, go through __import, a real import() the loader passes in.
const bundlePath = "dist/bundle/main.cjs";
const text = readFileSync(bundlePath, "utf8");
const imports = text.match(/\bimport\((?=["'])/g)?.length ?? 0;
const rewritten = text.replace(/\bimport\((?=["'])/g, "__import(");
if (imports === 0 || /\bimport\(/.test(rewritten)) throw new Error(`${bundlePath}: expected import("…") calls only, found ${imports}`);
writeFileSync(bundlePath, rewritten);

// The code cache: the bundle run once as `collapse sim --generations 9` (output to /dev/null), so
// that the cache holds every function a run compiles, not only the top level.
const { exports, script } = loadBundle(false);
await exports.main([process.execPath, "collapse", "sim", "--generations", "9", "--quiet", "-o", "/dev/null"]);
writeFileSync(CODE_CACHE, script.createCachedData());

// The build is complete: record what it was built from (the test suite skips rebuilding it).
writeFileSync(STAMP, sourceHash());
