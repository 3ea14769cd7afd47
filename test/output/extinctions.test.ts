/**
 * The extinction timeline is ranked by how often a category died (the share of chains), then by
 * its median generation of death: a name lost in 2 chains of 100 is no headline, however early it
 * went. JSON keeps its fields (category, generation, replicates) in that order; the table and
 * Markdown name the first five with their share.
 */
import { describe, expect, it } from "vitest";
import type { ExtinctionRecord, SimResult } from "../../src/core/result.js";
import { describeExtinction } from "../../src/output/extinctions.js";
import { formatters } from "../../src/output/format.js";
import { cli } from "../cli/in-process.js";

const DOGS = ["sim", "--model", "categorical", "--data", "fixtures/dog-breeds.csv", "-g", "6", "-r", "40", "-m", "20000", "--quiet"];

async function run(format: string) {
  const r = await cli([...DOGS, "--format", format]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The run's JSON document, printed once for both describe blocks. */
const json = await run("json");

describe("extinction ranking", () => {
  const doc = JSON.parse(json) as SimResult;
  const records = doc.extinctions!;

  it("keeps the JSON fields and orders the records by share (most first), then median generation", () => {
    expect(records.length).toBeGreaterThan(10);
    for (const e of records) expect(Object.keys(e)).toEqual(["category", "generation", "replicates"]);
    for (let i = 1; i < records.length; i++) {
      const [a, b] = [records[i - 1]!, records[i]!];
      expect(a.replicates > b.replicates || (a.replicates === b.replicates && a.generation <= b.generation), `${a.category} before ${b.category}`).toBe(true);
    }
    // The run has rarely lost categories that died early: they no longer lead the list.
    const rareEarly = records.filter((e) => e.replicates <= 0.1 && e.generation <= 2);
    expect(rareEarly.length).toBeGreaterThan(0);
    for (const e of rareEarly) expect(records.indexOf(e)).toBeGreaterThanOrEqual(5);
    expect(records[0]!.replicates).toBe(Math.max(...records.map((e) => e.replicates)));
  });

  it("the table names the first five with the share of chains and the median generation", async () => {
    const line = (await run("table")).split("\n").find((l) => l.startsWith("lost most often: "))!;
    const expected = records.slice(0, 5).map((e) => `${e.category} (${Math.round(e.replicates * 100)}% of chains, median generation ${e.generation})`);
    expect(line).toBe(`lost most often: ${expected.join(", ")}, … ${records.length - 5} more`);
  });

  it("Markdown names the same five", async () => {
    const md = await run("markdown");
    expect(md).toContain(`Lost most often: ${records.slice(0, 5).map(describeExtinction).join(", ")}.`);
  });
});

describe("describeExtinction", () => {
  const e = (replicates: number): ExtinctionRecord => ({ category: "beagle", generation: 4, replicates });
  it("prints the share as a whole percentage, never 0% or 100% for a share that is neither", () => {
    expect(describeExtinction(e(0.97))).toBe("beagle (97% of chains, median generation 4)");
    expect(describeExtinction(e(1))).toBe("beagle (100% of chains, median generation 4)");
    expect(describeExtinction(e(0.004))).toBe("beagle (<1% of chains, median generation 4)");
    expect(describeExtinction(e(0.996))).toBe("beagle (>99% of chains, median generation 4)");
  });

  it("the table follows the document's order and says how many more there are", () => {
    const doc = JSON.parse(json) as SimResult;
    doc.extinctions = [e(0.5), { category: "pug", generation: 1, replicates: 0.02 }];
    const text = formatters.table.render(doc, { color: false, width: 100, showSamples: false });
    expect(text).toContain("lost most often: beagle (50% of chains, median generation 4), pug (2% of chains, median generation 1)\n");
  });
});
