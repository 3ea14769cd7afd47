// The hash of everything `npm run build` reads: every file under src/ (its path and bytes),
// tsconfig.json, scripts/bundle.mjs and bin/load-bundle.js (the code cache is of the source it
// wraps), and the compiler's and bundler's versions. The build records it in dist/.source-hash;
// the test suite's global setup (test/global-setup.ts) rebuilds only when it differs, so that a
// bare `vitest run` never tests a stale dist/ and a fresh build is not made twice.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const STAMP = join(ROOT, "dist", ".source-hash");

/** Every file under `dir`, as paths relative to the repository, in a fixed order. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

const versionOf = (pkg) => JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version;

export function sourceHash() {
  const hash = createHash("sha256");
  hash.update(`typescript ${versionOf("typescript")}\0esbuild ${versionOf("esbuild")}\0`);
  for (const file of ["tsconfig.json", join("scripts", "bundle.mjs"), join("bin", "load-bundle.js"), ...filesUnder(join(ROOT, "src"))]) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(ROOT, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}
