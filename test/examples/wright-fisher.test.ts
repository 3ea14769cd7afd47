/**
 * examples/wright-fisher, reduced: the lumped fixation estimate at n = 10, the same fixation time
 * read per chain from ten categories (which confirms the lumping), the median, and the
 * replace-vs-accumulate sweep at one K and n.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Check, wrightFisherFixation } from "../../scripts/reproduce/lib.mjs";
import { ROOT } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { expectWithin, meanOf, replicateValues, seOfMean } from "../helpers.js";
import { expectCheck } from "./expect-check.js";

const DIR = join(ROOT, "examples", "wright-fisher");
const manifest = JSON.parse(readFileSync(join(DIR, "example.json"), "utf8")) as { checks: Check[] };
const check = (label: string): Check => {
  const c = manifest.checks.find((x) => x.label.startsWith(label));
  if (c === undefined) throw new Error(`no check ${label}`);
  return c;
};

async function run(args: string[]): Promise<unknown> {
  const r = await cli([...args, "--format", "json", "--quiet"], { cwd: DIR });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

describe("examples/wright-fisher, reduced", () => {
  it("the lumped two-type run gives the exact mean fixation time of ten types (n = 10)", async () => {
    // 150 generations = 15 n; the exact law is truncated at the same G, so nothing is approximated.
    const fixation = await run(["sweep", "--config", "fixation.json", "--grid", "sampleSize=10", "-g", "150", "-r", "4000"]);
    expectCheck(check("mean fixation time / n, n = 10"), { fixation });
  });

  it("ten categories read chain by chain fix at the same mean time (the lumping holds)", () => {
    const n = 10;
    const G = 150;
    const { values, replicates } = replicateValues({
      model: "categorical",
      data: join(DIR, "ten-alleles.csv"),
      sampleSize: n,
      generations: G,
      replicates: 2000,
    });
    const T = new Float64Array(replicates);
    const first = Array.from({ length: G + 1 }, (_, g) => values("support", g));
    for (let r = 0; r < replicates; r++) {
      let g = 0;
      while (g < G && first[g]![r]! > 1) g++;
      T[r] = g;
    }
    // P(T > 15 n) is of order e^-15: no chain should be left unfixed.
    expect(first[G]!.every((s) => s === 1)).toBe(true);
    const law = wrightFisherFixation(n, 10, G);
    expectWithin(meanOf(T) / n, law.mean / n, seOfMean(T) / n, "mean T/n, ten categories, n = 10");
  });

  it("the ten-category run's median support reaches 1 at the exact median of T", async () => {
    const ten = await run(["sim", "--config", "ten-alleles.json", "-m", "10", "-g", "40", "-r", "2000"]);
    expectCheck(check("median fixation time"), { ten });
  });

  it("replace loses categories and follows (1 − 1/n)^g; accumulate loses none", async () => {
    const sweep = await run(["sweep", "--config", "sweep.json", "--grid", "source=zipf(0,100)", "--grid", "sampleSize=100", "-g", "100", "-r", "100"]);
    for (const label of ["sweep K = 100, n = 100, accumulate: categories lost", "sweep K = 100, n = 100, replace: Gini–Simpson"]) {
      expectCheck(check(label), { sweep });
    }
    const lost = { ...check("sweep K = 10, n = 100, replace"), point: { source: "zipf(0,100)", sampleSize: 100, regime: "replace" } };
    expectCheck(lost, { sweep });
  });
});
