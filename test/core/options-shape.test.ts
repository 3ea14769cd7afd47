/**
 * A model's options objects share one hidden class (V8's map) from run to run and sweep point to
 * sweep point: code optimised for one point's options is then kept for the next, where a new map
 * per object had V8 throw it away at every point (src/core/run.ts modelOptions). The same holds
 * for the arrays hot code reads, whichever tier of V8 made them. Checked with V8's own
 * %HaveSameMap in a child process (it needs --allow-natives-syntax); no timing involved.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../cli/cli.js";

const url = (path: string) => JSON.stringify(pathToFileURL(join(ROOT, path)).href);

describe("modelOptions", () => {
  it("gives every configuration of a model options of one map, whatever its values", () => {
    const script = `
      const { resolveSimConfig } = await import(${url("dist/config/resolve.js")});
      const { modelOptions } = await import(${url("dist/core/run.js")});
      const { MODELS } = await import(${url("dist/models/index.js")});
      const flag = (value) => ({ value, origin: { kind: "flag" } });
      const out = {};
      for (const model of MODELS) {
        const options = [2000, 2100, 2100, 3000].map((m) => modelOptions(model, resolveSimConfig(new Map([["model", flag(model.name)], ["sampleSize", flag(m)]]))));
        out[model.name] = options.every((o) => %HaveSameMap(o, options[0]));
      }
      console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const shared = JSON.parse(r.stdout) as Record<string, boolean>;
    expect(Object.keys(shared).length).toBeGreaterThanOrEqual(5);
    for (const [model, same] of Object.entries(shared)) expect(same, model).toBe(true);
  });

  it("gmm: every generation's fitted parameters share one map (written out, not spread)", () => {
    const script = `
      const { gmm } = await import(${url("dist/models/gmm.js")});
      const { resolveSimConfig } = await import(${url("dist/config/resolve.js")});
      const { modelOptions } = await import(${url("dist/core/run.js")});
      const { Rng } = await import(${url("dist/stats/rng.js")});
      const flag = (value) => ({ value, origin: { kind: "flag" } });
      const o = modelOptions(gmm, resolveSimConfig(new Map([["model", flag("gmm")], ["sampleSize", flag(400)]])));
      const rng = new Rng("maps");
      let p = gmm.fit({ dims: 1, values: Float64Array.from({ length: 400 }, (_, i) => (i % 2) * 6 + Math.sin(i)) }, o);
      const all = [p];
      for (let g = 0; g < 40; g++) all.push((p = gmm.fit(gmm.sample(p, 400, rng, o), o)));
      console.log(all.every((q) => %HaveSameMap(q, all[0])));`;
    const r = spawnSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("true");
  });
});

describe("arrays that hot code reads", () => {
  it("a replicate block's metric columns and a tidy row's values have one map, whether interpreted or optimised code made them", () => {
    // An array from `map` is packed when the builtin makes it and holey when TurboFan inlines the
    // call, and code reading the array was thrown away at each change (src/core/loop.ts,
    // src/output/tidy.ts). Both are built element by element now; each function is run once as
    // bytecode and once forced through TurboFan, and the two arrays' maps compared.
    const script = `
      const { resolveSimConfig } = await import(${url("dist/config/resolve.js")});
      const { prepare, assemble } = await import(${url("dist/core/run.js")});
      const { runReplicates } = await import(${url("dist/core/loop.js")});
      const { tidyRows } = await import(${url("dist/output/tidy.js")});
      const { loadSeedSync } = await import(${url("dist/data/seed-file.js")});
      const { getModel } = await import(${url("dist/models/index.js")});
      const flag = (value) => ({ value, origin: { kind: "flag" } });
      const config = resolveSimConfig(new Map([["generations", flag(2)], ["replicates", flag(2)], ["sampleSize", flag(20)]]));
      const { prepared } = prepare(config, loadSeedSync(getModel(config.model), config));
      const interpreted = runReplicates(prepared, 0, 2);
      %PrepareFunctionForOptimization(runReplicates);
      runReplicates(prepared, 0, 2);
      // A garbage collection during the optimised call can change an allocation site's decision
      // and throw the code away before the status is read (seen once in CI, on a loaded machine):
      // the call is repeated, up to five times, until it ends still optimised. Its columns were
      // made at its start, by optimised code, in every attempt; all attempts are compared.
      let loopOptimised = false;
      let columns = true;
      for (let attempt = 0; attempt < 5 && !loopOptimised; attempt++) {
        %OptimizeFunctionOnNextCall(runReplicates);
        const optimised = runReplicates(prepared, 0, 2);
        loopOptimised = (%GetOptimizationStatus(runReplicates) & 16) !== 0;
        columns = columns && %HaveSameMap(interpreted.values, optimised.values);
      }
      const rows = () => [...tidyRows(assemble(prepared, [interpreted]))];
      const bytecodeRows = rows();
      %PrepareFunctionForOptimization(tidyRows);
      rows();
      %OptimizeFunctionOnNextCall(tidyRows);
      const optimisedRows = rows();
      console.log(JSON.stringify({
        columns,
        rows: %HaveSameMap(bytecodeRows[0].values, optimisedRows[0].values),
        loopOptimised,
      }));`;
    const r = spawnSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    // loopOptimised: the comparison means something only if TurboFan did compile runReplicates.
    expect(JSON.parse(r.stdout)).toEqual({ columns: true, rows: true, loopOptimised: true });
  });
});

describe("summaries that check reads and makes", () => {
  it("a baseline's parsed summaries and the re-run's share one hidden class, whose fields hold doubles", () => {
    // With one replicate, sd and se are 0 in every generation: parsed first, they made the summaries'
    // fields small integers, the re-run's first fraction there retired that class, and each of the
    // baseline's summaries was converted on its next read (src/core/aggregate.ts holdSummaryShape).
    const dir = tempDir();
    const baseline = join(dir, "one.json");
    const made = spawnSync(
      process.execPath,
      [join(ROOT, "bin", "collapse.js"), "sim", "-g", "50", "-r", "1", "--quiet", "--save-baseline", baseline, "-o", "/dev/null"],
      { encoding: "utf8" },
    );
    expect(made.status, made.stderr).toBe(0);
    const script = `
      const { readBaseline } = await import(${url("dist/check/baseline.js")});
      const { simulate } = await import(${url("dist/lib/simulate.js")});
      const { result } = await readBaseline(${JSON.stringify(baseline)});
      const now = await simulate({ generations: 50, replicates: 1 }, { jobs: 1 });
      const b = result.generations[7].metrics.var_ratio;
      console.log(JSON.stringify({ same: %HaveSameMap(b, now.generations[7].metrics.var_ratio), across: %HaveSameMap(b, result.generations[40].metrics.kl) }));`;
    const file = join(dir, "shape.mjs");
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, ["--allow-natives-syntax", file], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ same: true, across: true });
  });
});
