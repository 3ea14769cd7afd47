/** The command line (in-process): the seed fit in the JSON document, and its line under the table and in Markdown when the fit is poor. */
import { describe, expect, it } from "vitest";
import { cli } from "./in-process.js";

async function run(args: string[]): Promise<string> {
  const r = await cli(["sim", "-g", "2", "-r", "5", ...args]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

describe("collapse sim: the seed fit", () => {
  it("json: seed_fit after seed, before generations; continuous and discrete keys", async () => {
    const doc = JSON.parse(await run(["--data", "fixtures/returns-t3.csv", "--format", "json"]));
    expect(Object.keys(doc)).toEqual(["tool", "config", "seed", "seed_fit", "generations"]);
    expect(Object.keys(doc.seed_fit)).toEqual(["ks_test", "ks", "ks_p", "tail_mass_data_2", "tail_mass_model_2", "tail_mass_data_3", "tail_mass_model_3"]);
    expect(doc.seed_fit.ks_p).toBeLessThan(0.01);
    const categorical = JSON.parse(await run(["--model", "categorical", "--format", "json"]));
    expect(Object.keys(categorical.seed_fit)).toEqual(["categories", "rare_categories", "rare_share"]);
  });

  it("table and markdown: one line when heavy-tailed returns lose their tails at the first fit", async () => {
    const table = await run(["--data", "fixtures/returns-t3.csv"]);
    const lines = table.split("\n").filter((l) => l.startsWith("seed fit"));
    expect(lines).toEqual([
      "seed fit poor (KS D = 0.117, p = 2.2e-12): beyond 3σ0 the seed holds 1.1%, generation 0's model 0.27%; metrics compare with that model, not the data",
    ]);
    // Right under the table's note line.
    const all = table.split("\n");
    expect(all[all.indexOf(lines[0]!) - 1]).toMatch(/^median \[2\.5%, 97\.5%\]/);
    expect(await run(["--data", "fixtures/returns-t3.csv", "--format", "markdown"])).toContain("**Seed fit poor (KS D = 0.117, p = 2.2e-12): beyond 3σ0");
  });

  it("no line when the fit is fine", async () => {
    expect(await run(["--data", "fixtures/heights.txt"])).not.toContain("seed fit");
    expect(await run(["--model", "categorical"])).not.toContain("seed fit");
  });
});
