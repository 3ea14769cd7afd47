/**
 * Once before the suite: compile src/ to dist/ and bundle the command line (scripts/bundle.mjs,
 * what bin/collapse.js runs), so that the end-to-end tests, which run the built binary, never test
 * a stale build — whether started by npm test or by a bare `vitest run`.
 *
 * The build is skipped when dist/ was built from exactly the sources there are now: every build
 * (`npm run build`, or this setup) records their hash in dist/.source-hash (scripts/source-hash.mjs).
 * Any edit, added or removed source file, compiler option or tool update changes the hash and
 * rebuilds; so does a missing or damaged stamp, or a missing bundle or code cache.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error: a plain ES module of the build, without type declarations
import { ROOT, STAMP, sourceHash } from "../scripts/source-hash.mjs";

const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");

export default function setup(): void {
  const built = ["dist/cli/main.js", "dist/bundle/main.cjs", "dist/bundle/main.cache"].every((f) => existsSync(join(ROOT, f)));
  if (built && existsSync(STAMP) && readFileSync(STAMP, "utf8") === sourceHash()) return;
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: ROOT, stdio: "inherit" });
  // The bundle script writes the stamp as its last step.
  execFileSync(process.execPath, [join(ROOT, "scripts", "bundle.mjs")], { cwd: ROOT, stdio: "inherit" });
}
