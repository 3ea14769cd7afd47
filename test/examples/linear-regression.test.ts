/**
 * examples/linear-regression, reduced: its sweep at 10 generations and 300 replicates, and every
 * check of its manifest at generation min(g, 10) (the closed forms hold at every generation, and
 * so does the accumulate bound).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Check } from "../../scripts/reproduce/lib.mjs";
import { ROOT } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { expectCheck } from "./expect-check.js";

const DIR = join(ROOT, "examples", "linear-regression");
const manifest = JSON.parse(readFileSync(join(DIR, "example.json"), "utf8")) as { checks: Check[] };

describe("examples/linear-regression, reduced", () => {
  it("replace grows by p/n0 a generation and accumulate stays below (p/n0)(π²/6 − 1)", async () => {
    const r = await cli(["sweep", "--config", "sweep.json", "-g", "10", "-r", "300", "--format", "json", "--quiet"], { cwd: DIR });
    expect(r.stderr).toBe("");
    const docs = { sweep: JSON.parse(r.stdout) };
    const checks = manifest.checks.filter((c) => c.verdict !== "info");
    expect(checks.length).toBe(6);
    for (const check of checks) {
      const g = check.estimate.generation;
      expectCheck({ ...check, estimate: { ...check.estimate, generation: typeof g === "number" ? Math.min(g, 10) : g } }, docs);
    }
  });
});
