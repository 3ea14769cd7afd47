#!/usr/bin/env node
// The installed command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("collapse: dist/ is missing; run `npm run build` in the package directory\n");
  process.exit(2);
}
const { main } = await import(entry.href);
await main(process.argv);
