import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { checkMemory, type DataShape, estimateMemory, formatBytes, MAX_ARRAY, threadsThatFit } from "../../src/core/memory.js";
import { checkBeforeDraw } from "../../src/core/run.js";
import { UsageError } from "../../src/errors.js";
import { getModel, type ModelName } from "../../src/models/index.js";
import { tempDir } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { flags } from "../helpers.js";
import { peakMemory } from "../peak-memory.js";

type EstimateConfig = Parameters<typeof estimateMemory>[0] & { model: ModelName; components: number; order: number; quantiles: number[] };
const base: Omit<EstimateConfig, "replicates" | "generations" | "sampleSize"> = {
  model: "gaussian",
  regime: "replace",
  filterRecall: 0,
  components: 2,
  order: 2,
  quantiles: [],
};

/** The model's declared footprint for these options (the models' own defaults for the rest). */
function footprintOf(config: EstimateConfig, dims: number) {
  return getModel(config.model).footprint(config, dims);
}

function estimate(config: EstimateConfig, shape: DataShape, threads = 1) {
  return estimateMemory(config, footprintOf(config, shape.dims), shape, threads);
}
const machine = { total: 23.4e9, heapLimit: 4.3e9 };

function refusal(f: () => void): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("memory estimate", () => {
  it("refuses R=1000000 × G=100000 with the estimate, its largest part and what the machine has", () => {
    const e = estimate({ ...base, replicates: 1_000_000, generations: 100_000, sampleSize: 2 }, { rows: 100, dims: 1, categories: 0, metrics: 13 });
    const msg = refusal(() => checkMemory(e, machine));
    expect(msg).toMatch(/^this run needs about 20\.8 TB of memory \(mostly the metric values \(R=1000000 × G\+1=100001 generations × 13 metrics/);
    expect(msg).toMatch(/but the machine has 23\.4 GB; lower -r or -g$/);
  });

  it("accepts realistic large runs without running them", () => {
    const fits = (config: Partial<EstimateConfig> & { replicates: number; generations: number; sampleSize: number }, shape: DataShape, total = 8e9) =>
      checkMemory(estimate({ ...base, ...config }, shape), { total, heapLimit: 2e9 });
    fits({ replicates: 1000, generations: 1000, sampleSize: 10_000 }, { rows: 10_000, dims: 1, categories: 0, metrics: 13 });
    fits({ replicates: 200, generations: 200, sampleSize: 1_000_000, regime: "replace" }, { rows: 1_000_000, dims: 1, categories: 0, metrics: 13 });
    fits({ model: "mvn", replicates: 100, generations: 100, sampleSize: 100_000 }, { rows: 100_000, dims: 10, categories: 0, metrics: 13 });
    fits({ model: "gmm", components: 8, replicates: 10, generations: 10, sampleSize: 1_000_000 }, { rows: 1_000_000, dims: 5, categories: 0, metrics: 14 });
    fits({ model: "categorical", replicates: 1000, generations: 1000, sampleSize: 1_000_000 }, { rows: 1_000_000, dims: 1, categories: 100_000, metrics: 10 });
    fits({ model: "ngram", order: 3, replicates: 20, generations: 20, sampleSize: 1_000_000 }, { rows: 1_000_000, dims: 1, categories: 50_000, metrics: 8 });
    fits({ regime: "accumulate", replicates: 100, generations: 100, sampleSize: 10_000 }, { rows: 10_000, dims: 1, categories: 0, metrics: 13 });
  });

  it("names the JavaScript heap limit and how to raise it", () => {
    const e = estimate({ ...base, replicates: 1, generations: 100_000, sampleSize: 2 }, { rows: 100, dims: 1, categories: 0, metrics: 60 });
    const msg = refusal(() => checkMemory(e, { total: 1e12, heapLimit: 2e9 }));
    expect(msg).toMatch(/of JavaScript heap .* but Node's heap limit is 2\.0 GB; .*NODE_OPTIONS=--max-old-space-size=\d+$/);
  });

  it("refuses an array longer than V8 can make even on a huge machine", () => {
    const e = estimate(
      { ...base, regime: "accumulate", replicates: 1, generations: 100_000, sampleSize: 100_000 },
      { rows: 100, dims: 1, categories: 0, metrics: 13 },
    );
    expect(e.longestArray.length).toBeGreaterThan(MAX_ARRAY);
    expect(refusal(() => checkMemory(e, { total: 1e15, heapLimit: 1e12 }))).toMatch(
      /accumulated pool .* in one array, above the 4294967295 .*; lower -g or -m/,
    );
  });

  it("takes fewer worker threads rather than refuse when only the threads do not fit", () => {
    const config: EstimateConfig = { ...base, model: "mvn", replicates: 16, generations: 10, sampleSize: 1_000_000 };
    const shape = { rows: 1_000_000, dims: 50, categories: 0, metrics: 13 };
    const t = threadsThatFit(config, footprintOf(config, shape.dims), shape, 16, { total: 8e9, heapLimit: 4e9 });
    expect(t).toBeGreaterThanOrEqual(1);
    expect(t).toBeLessThan(16);
    expect(estimate(config, shape, t).total).toBeLessThanOrEqual(8e9);
  });

  it("formats sizes", () => {
    expect(formatBytes(74.5e9)).toBe("74.5 GB");
    expect(formatBytes(812e6)).toBe("812 MB");
    expect(formatBytes(2.5e12)).toBe("2.5 TB");
  });

  it("is within a factor 2 of the measured peak of a medium run", () => {
    // One thread, as the estimate below assumes; 400 × 1000 replicate-generations (about 150 MB of metric values).
    const r = peakMemory(["sim", "-g", "400", "-r", "1000", "-m", "2", "--format", "json", "--jobs", "1"]);
    expect(r.status, r.stderr).toBe(0);
    const peak = r.peak;
    const total = estimate({ ...base, replicates: 1000, generations: 400, sampleSize: 2 }, { rows: 100, dims: 1, categories: 0, metrics: 13 }).total;
    const said = `estimate ${formatBytes(total)}, peak ${formatBytes(peak)}`;
    expect(total / peak, said).toBeGreaterThan(0.5);
    expect(total / peak, said).toBeLessThan(2);
  });

  // A long run's peak is its result and text (HEAP_PER_CELL), not its metric values. JSON, the
  // largest text, written to a file: the same bounds as README's "within 0.85–1.5×", widened for
  // a shared machine's collector (0.7–1.6). The estimate counted 900 bytes a cell, 2.3× the peak,
  // while the text was made whole; a text made whole again would push the peak above 1/0.7 of it.
  it("is within 0.7–1.6× the measured peak of a long run (5·10⁴ generations of JSON)", () => {
    const out = join(tempDir(), "long.json");
    const r = peakMemory(["sim", "-g", "50000", "-r", "1", "-m", "10", "--format", "json", "--jobs", "1", "-o", out]);
    expect(r.status, r.stderr).toBe(0);
    const total = estimate({ ...base, replicates: 1, generations: 50000, sampleSize: 10 }, { rows: 100, dims: 1, categories: 0, metrics: 13 }).total;
    const said = `estimate ${formatBytes(total)}, peak ${formatBytes(r.peak)}`;
    expect(total / r.peak, said).toBeGreaterThan(0.7);
    expect(total / r.peak, said).toBeLessThan(1.6);
  });
});

describe("memory refusals through the command line (its entry in-process)", () => {
  async function refused(args: string[], fragment: RegExp): Promise<void> {
    const r = await cli(args);
    expect(r.status, r.stderr).toBe(2);
    const lines = r.stderr.split("\n").filter((l) => l !== "");
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(fragment);
    expect(r.stdout).toBe("");
  }

  it("sim -r 1000000 -g 100000 -m 2 exits 2 at once with the estimate", async () => {
    await refused(
      ["sim", "-r", "1000000", "-g", "100000", "-m", "2"],
      /^collapse: this run needs about [\d.]+ TB of memory \(mostly the metric values .*\) but the machine has [\d.]+ GB; lower -r or -g$/,
    );
  });

  it("absurd single sizes exit 2 with one line", async () => {
    await refused(["sim", "-m", "1e12"], /--sample-size must be/);
    await refused(["sim", "--seed-size", "1e12"], /--seed-size must be/);
    await refused(["sim", "--model", "gmm", "--components", "1e9"], /--components must be/);
    await refused(["sim", "--model", "mvn", "--dims", "1e6"], /--dims must be/);
    // Cases whose first large array would be refused by V8 at once if the estimate ever regressed:
    // a refusal test must never be able to fill a shared machine's memory instead.
    // (Truncated: an untruncated mvn sample this large is fitted as it is drawn, never held.)
    await refused(
      ["sim", "--model", "mvn", "--dims", "100", "-m", "100000000", "-r", "1", "-g", "1", "--truncate", "3"],
      /this run needs about .*the samples.*lower -m/,
    );
    await refused(["sim", "--model", "gmm", "--dims", "100", "--components", "100", "-m", "100000000", "-r", "1", "-g", "1"], /this run needs about/);
  });

  it("a table source is checked with its own columns before the draw (linear(100,1): 101, not --dims)", () => {
    const config = resolveSimConfig(flags({ model: "mvn", source: "linear(100,1)", seedSize: 10_000_000, sampleSize: 200, replicates: 1, generations: 1 }));
    expect(refusal(() => checkBeforeDraw(config, { total: 8e9, heapLimit: 4e9 }))).toMatch(/the seed data \(10000000 rows × 101 column\(s\)/);
    expect(() => checkBeforeDraw({ ...config, source: "linear(1,1)" }, { total: 8e9, heapLimit: 4e9 })).not.toThrow();
  });

  it("a --data run is checked after reading the data, before any replicate", async () => {
    const path = join(tempDir(), "x.txt");
    writeFileSync(path, "1\n2\n3\n4\n");
    await refused(["sim", "--data", path, "-r", "1000000", "-g", "100000", "-m", "2"], /this run needs about/);
  });

  it("a sweep checks every point before starting and writes nothing", async () => {
    const dir = tempDir();
    const r = await cli(["sweep", "--grid", "replicates=1,1000000", "-g", "100000", "-m", "2", "-o", "out.csv"], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^collapse: point 2 of 2 \(replicates=1000000\): this run needs about .*\n$/);
  });
});
