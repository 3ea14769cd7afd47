#!/usr/bin/env node
// The installed command. The TypeScript sources are compiled to dist/ by `npm install` (prepare),
// and the modules each command loads are joined into dist/bundle/ (scripts/bundle.mjs), which
// starts faster; dist/cli/main.js is the same program, module by module.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/bundle/main.js", import.meta.url);
const entry = existsSync(bundle) ? bundle : new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("collapse: dist/ is missing; run `npm run build` in the package directory\n");
  process.exit(2);
}
const { main } = await import(entry.href);
await main(process.argv);
