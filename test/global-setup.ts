/**
 * Once before the suite: compile src/ to dist/ and bundle the command line (scripts/bundle.mjs,
 * what bin/collapse.js runs), so that the end-to-end tests, which run the built binary, never test
 * a stale build — whether started by npm test or by a bare `vitest run`.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url)), "-p", "tsconfig.json"], {
    cwd: root,
    stdio: "inherit",
  });
  execFileSync(process.execPath, [fileURLToPath(new URL("../scripts/bundle.mjs", import.meta.url))], { cwd: root, stdio: "inherit" });
}
