// The work estimates (src/engine/work.ts, each model's `work`) against the time runs take: each
// configuration is run in a fresh process, all in one thread (prepare, every replicate, the
// seed-fit summary), as a run that stays on the main thread would be. The estimates leave out the
// first run's JIT compilation (tens of milliseconds, once a process), so small runs take a few
// times their estimate; what matters is that no run estimated under the limit (0.4 s) takes near
// the second within which a signal must be answered. A ratio well above 1 on a run near the limit
// means the model's `work` should be raised.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, row } from "./lib.mjs";

const CONFIGS = [
  { model: "gaussian", generations: 9 },
  { model: "gaussian", generations: 9, sampleSize: 10, replicates: 2000 },
  { model: "gaussian", generations: 9, sampleSize: 20000, replicates: 20 },
  { model: "gaussian", generations: 1, replicates: 1, sampleSize: 1000, seedSize: 2000000 },
  { model: "categorical", generations: 9 },
  { model: "categorical", generations: 9, sampleSize: 10, replicates: 2000 },
  { model: "mvn", generations: 9 },
  { model: "mvn", generations: 9, dims: 10 },
  { model: "mvn", generations: 9, sampleSize: 5000, replicates: 20 },
  { model: "gmm", generations: 9, replicates: 10 },
  { model: "gmm", generations: 9, sampleSize: 20, replicates: 100 },
  { model: "gmm", generations: 3, sampleSize: 500, replicates: 3, dims: 3, components: 3 },
  { model: "gmm", generations: 3, replicates: 1, components: 10 },
  { model: "gmm", generations: 1, replicates: 1, components: 30 },
  { model: "kde", generations: 9 },
  { model: "kde", generations: 9, sampleSize: 2000, replicates: 20 },
  { model: "linreg", generations: 9 },
  { model: "linreg", generations: 9, sampleSize: 5000, replicates: 20 },
  { model: "ngram", generations: 3, replicates: 1 },
  { model: "ngram", generations: 9 },
  { model: "ngram", generations: 9, order: 3 },
  { model: "ngram", generations: 9, tokens: "char", order: 3 },
  { model: "ngram", generations: 3, replicates: 1, tokens: "char", order: 5 },
];

// One configuration in a fresh process: the estimate, and the time of the run in that thread.
const PROBE = `
const root = ${JSON.stringify(join(ROOT, "dist"))};
const { resolveSimConfig } = await import(root + "/config/resolve.js");
const { prepare, assemble } = await import(root + "/core/run.js");
const { runReplicates } = await import(root + "/core/loop.js");
const { loadSeedSync } = await import(root + "/data/seed-file.js");
const { getModel } = await import(root + "/models/index.js");
const { estimateWork } = await import(root + "/engine/work.js");
const args = JSON.parse(process.argv[1]);
const config = resolveSimConfig(new Map(Object.entries(args).map(([k, v]) => [k, { value: v, origin: { kind: "flag" } }])));
const seed = loadSeedSync(getModel(config.model), config);
const estimate = estimateWork(config, seed.input).total;
const t0 = performance.now();
const { prepared } = prepare(config, seed);
assemble(prepared, [runReplicates(prepared, 0, prepared.config.replicates)]);
process.stdout.write(JSON.stringify({ estimate: estimate / 1e6, took: performance.now() - t0 }));
`;

console.log("| run | estimate | took | took / estimate |");
console.log("|---|---|---|---|");
const { IN_THREAD_LIMIT_NS } = await import(join(ROOT, "dist", "engine", "work.js"));
let longest = { took: 0, label: "" };
for (const config of CONFIGS) {
  const label = Object.entries(config)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", PROBE, JSON.stringify(config)], { encoding: "utf8", cwd: ROOT });
  if (r.status !== 0) throw new Error(`${label}: ${r.stderr}`);
  const { estimate, took } = JSON.parse(r.stdout);
  const stays = estimate * 1e6 < IN_THREAD_LIMIT_NS;
  if (stays && took > longest.took) longest = { took, label };
  console.log(`| ${label}${stays ? " (stays)" : ""} | ${estimate.toFixed(1)} ms | ${took.toFixed(1)} ms | ${(took / estimate).toFixed(2)} |`);
}
row(
  `work estimates: the longest run that stays on the main thread (${longest.label})`,
  `${longest.took.toFixed(0)} ms`,
  `limit of its estimate: ${IN_THREAD_LIMIT_NS / 1e6} ms`,
  `${(longest.took / 1000).toFixed(2)} s of the 1 s a signal may wait`,
  "< 1 s",
);
