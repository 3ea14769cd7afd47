#!/usr/bin/env node
// The installed command. The TypeScript sources are compiled to dist/ by `npm install` (prepare),
// and the modules each command loads are joined into dist/bundle/ (scripts/bundle.mjs), which
// starts faster (load-bundle.js); dist/cli/main.js is the same program, module by module.
import { existsSync } from "node:fs";
import { BUNDLE, loadBundle } from "./load-bundle.js";

const modules = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(BUNDLE) && !existsSync(modules)) {
  process.stderr.write("collapse: dist/ is missing; run `npm run build` in the package directory\n");
  process.exit(2);
}
const { main } = existsSync(BUNDLE) ? loadBundle().exports : await import(modules.href);
await main(process.argv);
