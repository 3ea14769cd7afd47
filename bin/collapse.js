#!/usr/bin/env node
// The installed command. The TypeScript sources are compiled to dist/ by `npm install` (prepare),
// and the modules each command loads are joined into dist/bundle/ (scripts/bundle.mjs), which
// starts faster (load-bundle.js); dist/cli/main.js is the same program, module by module.
// CommonJS (bin/package.json), like load-bundle.js: see there.
const { existsSync } = require("node:fs");
const { pathToFileURL } = require("node:url");
const { BUNDLE, loadBundle } = require("./load-bundle.js");

const modules = new URL("../dist/cli/main.js", pathToFileURL(__filename));
if (!existsSync(BUNDLE) && !existsSync(modules)) {
  process.stderr.write("collapse: dist/ is missing; run `npm run build` in the package directory\n");
  process.exit(2);
}
// main() settles every error itself (an exit code and one line); a rejection here is a bug, which
// Node reports as an unhandled rejection, as it did for the top-level await this replaces.
const start = existsSync(BUNDLE) ? Promise.resolve(loadBundle().exports) : import(modules.href);
start.then(({ main }) => main(process.argv));
