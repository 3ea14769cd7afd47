/** The command line (in-process): the seed fit in the JSON document, and its line under the table and in Markdown when the fit is poor. */
import { describe, expect, it } from "vitest";
import type { SimResult } from "../../src/core/result.js";
import { poorSeedFitLine } from "../../src/output/seed-fit.js";
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

  it("against the source, the line names what the metrics compare with: not generation 0's model", async () => {
    // A gaussian or mvn compares with the normal of the source's moments, whose tails t(3) does not have.
    const line = (out: string) => out.split("\n").filter((l) => l.startsWith("seed fit"));
    const gaussian = line(await run(["--source", "t(3)", "--seed-size", "2000", "--reference", "source"]));
    expect(gaussian).toHaveLength(1);
    expect(gaussian[0]).toMatch(/; metrics compare with the normal of the source's mean and variance, not the data$/);
    const mvn = line(await run(["--model", "mvn", "--dims", "1", "--source", "t(3)", "--seed-size", "2000", "--reference", "source"]));
    expect(mvn).toHaveLength(1);
    expect(mvn[0]).toMatch(/; metrics compare with the normal of the source's mean and variance, not the data$/);
    // gmm compares with the source's own mixture: generation 0's row already shows the fit's error.
    const fit = { ks_test: "ks", ks: 0.2, ks_p: 1e-9 };
    const result = (model: string, reference: string) => ({ config: { model, reference }, seed_fit: fit }) as unknown as SimResult;
    expect(poorSeedFitLine(result("gmm", "source"))).toBe(
      "seed fit poor (KS D = 0.200, p = 1.0e-9); metrics compare with the source's mixture, so generation 0's row shows this fit's error",
    );
    expect(poorSeedFitLine(result("gmm", "gen0"))).toBe("seed fit poor (KS D = 0.200, p = 1.0e-9); metrics compare with that model, not the data");
  });

  it("no line when the fit is fine", async () => {
    expect(await run(["--data", "fixtures/heights.txt"])).not.toContain("seed fit");
    expect(await run(["--model", "categorical"])).not.toContain("seed fit");
  });
});
