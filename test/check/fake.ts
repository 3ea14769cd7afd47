/** Small hand-made result documents for the check tests. */
import type { Summary } from "../../src/core/aggregate.js";
import type { SimResult } from "../../src/core/result.js";

/** A result whose metric m has replicate mean means[m][g] at generation g; other fields derived from it. */
export function fakeResult(means: Record<string, readonly number[]>, se: Record<string, readonly number[]> = {}, version = "0.1.0"): SimResult {
  const names = Object.keys(means);
  const G = means[names[0]!]!.length - 1;
  return {
    tool: { name: "collapse", version },
    config: { model: "gaussian", generations: G } as SimResult["config"],
    seed: "1",
    generations: Array.from({ length: G + 1 }, (_, g) => {
      const metrics: Record<string, Summary> = {};
      for (const name of names) {
        const mean = means[name]![g]!;
        const s = se[name]?.[g] ?? 0;
        // Distinct values per field, so a test can tell which one an accessor read.
        metrics[name] = { mean, sd: 10 * s, se: s, median: mean + 0.5, p025: mean - 1, p975: mean + 1 };
      }
      return { generation: g, metrics };
    }),
  };
}
