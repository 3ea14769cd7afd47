// Loads the command line's bundle, dist/bundle/main.cjs, with V8's code cache when there is one
// (dist/bundle/main.cache, written by `npm run build`: scripts/bundle.mjs): the functions a run
// compiles are read from the cache instead of being parsed and compiled again, which starts
// `collapse sim` about 20% sooner. A cache V8 cannot use (another Node version, other flags) is
// ignored: the bundle then compiles as usual. The bundle is CommonJS so that it can be compiled as
// a script, and reads its own location from __bundleUrl (esbuild's stand-in for import.meta.url).
// The library (the package's exports) is dist/index.js, module by module: this is the CLI's only.
//
// This folder is CommonJS (bin/package.json): Node starts a CommonJS entry without loading its
// ES module loader, 5–10 ms sooner.
const { existsSync, readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { fileURLToPath, pathToFileURL } = require("node:url");
const vm = require("node:vm");

const BUNDLE = new URL("../dist/bundle/main.cjs", pathToFileURL(__filename));
const CODE_CACHE = new URL("../dist/bundle/main.cache", pathToFileURL(__filename));

/** The bundle compiled (with the cache, unless `useCache` is false) and run: its exports, and the script for a new cache. */
function loadBundle(useCache = true) {
  const path = fileURLToPath(BUNDLE);
  // The wrapper is part of the cached source: it must not change between writing and reading the cache.
  const source = `(function (exports, require, module, __filename, __dirname, __bundleUrl, __import) {${readFileSync(path, "utf8")}\n})`;
  const cachedData = useCache && existsSync(CODE_CACHE) ? readFileSync(CODE_CACHE) : undefined;
  const script = new vm.Script(source, { filename: path, cachedData });
  const module = { exports: {} };
  // The packages loaded on demand (mathjs, Vega) are imported from here: a script has no import()
  // of its own (scripts/bundle.mjs rewrote the bundle's calls to __import).
  const load = (specifier) => import(specifier);
  script.runInThisContext()(module.exports, createRequire(path), module, path, fileURLToPath(new URL(".", BUNDLE)), BUNDLE.href, load);
  return { exports: module.exports, script };
}

module.exports = { BUNDLE, CODE_CACHE, loadBundle };
