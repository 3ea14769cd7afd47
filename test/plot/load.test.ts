/** Plot input: hostile names and documents. */
import { describe, expect, it } from "vitest";
import { loadPlotInput } from "../../src/plot/load.js";
import { inputError } from "../expect-error.js";

const ROWS = "generation,metric,mean,sd,se,median,p025,p975,theory\n";

describe("plot input", () => {
  it("keeps a metric called __proto__ or constructor as a metric (tidy rows and documents)", () => {
    const rows = loadPlotInput({ name: "r.csv", text: ROWS + "0,__proto__,1,0,0,1,1,1,\n0,constructor,2,0,0,2,2,2,\n" });
    const metrics = rows.series[0]!.generations[0]!.metrics;
    expect(Object.keys(metrics)).toEqual(["__proto__", "constructor"]);
    expect(Object.getPrototypeOf(metrics)).toBe(Object.prototype);
    const summary = { mean: 1, sd: 0, se: 0, median: 1, p025: 1, p975: 1 };
    const doc = loadPlotInput({ name: "d.json", text: `{"generations":[{"generation":0,"metrics":{"__proto__":${JSON.stringify(summary)}}}]}` });
    expect(Object.keys(doc.series[0]!.generations[0]!.metrics)).toEqual(["__proto__"]);
  });

  it("accepts a byte-order mark and refuses deep documents, with or without a .json name", () => {
    expect(loadPlotInput({ name: "d.json", text: '\ufeff{"generations":[{"generation":0,"metrics":{}}]}' }).kind).toBe("sim");
    expect(inputError(() => loadPlotInput({ name: "stdin", text: '{"a":'.repeat(1000) + "1" + "}".repeat(1000) }))).toMatch(
      /^stdin:1:2561: JSON nested deeper than 512 levels/,
    );
  });

  it("collapse's tables for people (the default format, and Markdown) are named as such, with the formats plot reads", () => {
    // What `collapse sim | collapse plot -` sends: the table is sim's default in a pipe too.
    const table = "collapse sim · gaussian · source normal(0,1) ×100 · M=100 · 2 generations\n  200 replicates\ngen  var_ratio\n";
    const markdown = "**collapse sim** · gaussian · source normal(0,1) ×100\n\n| generation | `var_ratio` |\n| ---: | --- |\n";
    for (const text of [table, `\n${markdown}`]) {
      expect(inputError(() => loadPlotInput({ name: "stdin", text }))).toBe(
        "stdin holds collapse's table for people, which plot does not read; run collapse sim with --format json (or csv, ndjson) and plot that",
      );
    }
  });

  it("a summary column two header cells share is an error naming both", () => {
    expect(inputError(() => loadPlotInput({ name: "r.csv", text: "generation,metric,median,median,p025,p975\n0,m,1,1,1,1\n" }))).toMatch(
      /columns 3 and 4 of r\.csv are both named "median"/,
    );
  });
});
