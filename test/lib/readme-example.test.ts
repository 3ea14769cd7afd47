/**
 * The README's "Use from TypeScript" example, run as it is written, the way a user would: a
 * project whose node_modules/collapse is this package (its `exports` and built dist/), type-checked
 * against the shipped declarations and then executed with node.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../cli/cli.js";

function readmeExample(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Use from TypeScript"));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error("README has no ts block under 'Use from TypeScript'");
  return block[1]!;
}

/** A user's project: the example as a module, and this package installed under node_modules. */
function userProject(): string {
  const dir = tempDir();
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "collapse"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(dir, "example.mts"), readmeExample());
  // The example is also plain JavaScript: node runs the same text.
  writeFileSync(join(dir, "example.mjs"), readmeExample());
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "ES2022", module: "nodenext", strict: true, noEmit: true, types: ["node"], typeRoots: [join(ROOT, "node_modules", "@types")] },
      files: ["example.mts"],
    }),
  );
  return dir;
}

describe("the README's library example", () => {
  const dir = userProject();

  it("type-checks against the package's declarations", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("runs, printing the run, the sweep and the check's verdict", () => {
    const r = spawnSync(process.execPath, ["example.mjs"], { cwd: dir, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^var_ratio at generation 9: 0\.\d{3}$/);
    expect(lines.slice(1, 4).map((l) => l.split(":")[0])).toEqual(["M=10", "M=100", "M=1000"]);
    // Collapse is faster for small samples: the median variance ratio grows with M.
    const ratios = lines.slice(1, 4).map((l) => Number(l.split(": ")[1]));
    expect(ratios[0]).toBeLessThan(ratios[1]!);
    expect(ratios[1]).toBeLessThan(ratios[2]!);
    expect(lines[4]).toBe("baseline holds");
  });
});
