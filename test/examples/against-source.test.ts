/**
 * Examples 1–3 (Shumailov et al.; Collapse or Thrive?; Dey & Donoho), reduced: their runs at 12
 * generations and a few hundred replicates, and every check of their manifests with a verdict at
 * generation min(g, 12) — the closed forms against the source hold at every generation, and so
 * does the π²/6 bound. The mixture run of example 1 has only "info" checks (no closed form) and is
 * covered by its config running (manifests.test.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Check } from "../../scripts/reproduce/lib.mjs";
import { ROOT, tempDir } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { expectCheck } from "./expect-check.js";

const G = 12;

/**
 * Runs each of the example's sweep configs at G generations and `replicates`, its seed sizes cut to
 * `sizes` when given (the large points cost the most and test the same closed form), and tests
 * every check with a verdict whose point was run. A grid's values that no such check names are
 * not run either (Collapse or Thrive?'s d = 10 accumulate points, 0.8 s of CPU, have no check with
 * a verdict): its configs running whole is manifests.test.ts's part.
 */
async function reduced(name: string, runs: Record<string, string>, replicates: number, sizes?: number[]): Promise<void> {
  const dir = join(ROOT, "examples", name);
  const manifest = JSON.parse(readFileSync(join(dir, "example.json"), "utf8")) as { checks: Check[] };
  const ran = (c: Check) => !sizes || c.point?.seedSize === undefined || sizes.includes(c.point.seedSize as number);
  const checks = manifest.checks.filter((c) => c.verdict !== "info" && c.run in runs && ran(c));
  expect(checks.length, `${name}: checks with a verdict`).toBeGreaterThan(0);
  const docs: Record<string, unknown> = {};
  for (const [id, file] of Object.entries(runs)) {
    const config = JSON.parse(readFileSync(join(dir, file), "utf8"));
    if (sizes) config.grid.seedSize = config.grid.seedSize.filter((n: number) => sizes.includes(n));
    // A grid key every check of this run names keeps only the values they name.
    const named = checks.filter((c) => c.run === id);
    for (const [key, values] of Object.entries(config.grid as Record<string, unknown>)) {
      if (Array.isArray(values) && named.every((c) => c.point?.[key] !== undefined))
        config.grid[key] = values.filter((v) => named.some((c) => c.point![key] === v));
    }
    const path = join(tempDir(), file);
    writeFileSync(path, JSON.stringify(config));
    const r = await cli(["sweep", "--config", path, "-g", String(G), "-r", String(replicates), "--jobs", "1", "--format", "json", "--quiet"], { cwd: dir });
    expect(r.stderr, `${name} ${file}`).toBe("");
    docs[id] = JSON.parse(r.stdout);
  }
  for (const check of checks) {
    const g = check.estimate.generation;
    expectCheck({ ...check, estimate: { ...check.estimate, generation: typeof g === "number" ? Math.min(g, G) : g } }, docs);
  }
}

describe("examples 1–3 against the source, reduced", () => {
  it("Shumailov et al.: E[ln σ̂²/σ²] and E[(μ̂ − μ)²]/σ² of every N against their closed forms", async () => {
    await reduced("shumailov-gaussian", { gaussian: "gaussian.json" }, 200);
  });

  it("Collapse or Thrive?: the trace ratio against ((n − 1)/n)^(g+1), and the log-determinant in d = 1", async () => {
    await reduced("collapse-or-thrive-gaussian", { sweep: "sweep.json", d1: "sweep-d1.json" }, 150, [10, 32]);
  });

  it("Dey & Donoho: M·E[(μg − μ*)²]/σ² against its closed form, below π²/6 under accumulate, g + 1 under replace", async () => {
    await reduced("dey-donoho-accumulate", { sweep: "sweep.json" }, 400);
  });
});
