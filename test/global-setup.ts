/**
 * Once before the suite: compile src/ to dist/ and bundle the command line (scripts/bundle.mjs,
 * what bin/collapse.js runs), so that the end-to-end tests, which run the built binary, never test
 * a stale build — whether started by npm test or by a bare `vitest run`.
 *
 * The build is skipped when dist/ was built from exactly the sources there are now: after each
 * build, dist/.source-hash records a SHA-256 of every file under src/ (its path and bytes), of
 * tsconfig.json, scripts/bundle.mjs and bin/load-bundle.js (the code cache is of the source it
 * wraps), and of the compiler's and bundler's versions. Any edit,
 * added or removed source file, compiler option or tool update changes the hash and rebuilds; so
 * does a missing or damaged stamp, or a missing bundle.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const STAMP = join(root, "dist", ".source-hash");

/** Every file under `dir`, as paths relative to the repository, in a fixed order. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

const versionOf = (pkg: string) => JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")).version as string;

/** The hash of everything the build reads: the sources, tsconfig.json, the bundle script and loader, and the tools' versions. */
export function sourceHash(): string {
  const hash = createHash("sha256");
  hash.update(`typescript ${versionOf("typescript")}\0esbuild ${versionOf("esbuild")}\0`);
  for (const file of ["tsconfig.json", join("scripts", "bundle.mjs"), join("bin", "load-bundle.js"), ...filesUnder(join(root, "src"))]) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

export default function setup(): void {
  const hash = sourceHash();
  const built = ["dist/cli/main.js", "dist/bundle/main.cjs", "dist/bundle/main.cache"].every((f) => existsSync(join(root, f)));
  if (built && existsSync(STAMP) && readFileSync(STAMP, "utf8") === hash) return;
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, [join(root, "scripts", "bundle.mjs")], { cwd: root, stdio: "inherit" });
  writeFileSync(STAMP, hash);
}
