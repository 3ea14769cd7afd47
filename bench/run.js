// npm run bench: every bench/*.mjs in turn (not part of npm test; timings are not assertions), then
// one table of the ratios they measured, each side by side with its reference in this run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".mjs") && f !== "lib.mjs")
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
const scratch = mkdtempSync(join(tmpdir(), "collapse-bench-rows-"));
const rowsFile = join(scratch, "rows.ndjson");
let failed = 0;
const load = loadavg()[0];
try {
  for (const file of files) {
    console.log(`# ${file}`);
    const r = spawnSync(process.execPath, [join(dir, file)], { stdio: "inherit", env: { ...process.env, BENCH_ROWS: rowsFile } });
    if (r.status !== 0) failed++;
  }
  const rows = existsSync(rowsFile)
    ? readFileSync(rowsFile, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l))
    : [];
  if (rows.length > 0) {
    console.log(`\n## ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, Node ${process.version}, load average ${load.toFixed(1)} at the start\n`);
    console.log("| benchmark | collapse | reference | ratio | target |");
    console.log("|---|---|---|---|---|");
    for (const r of rows) console.log(`| ${r.benchmark} | ${r.ours} | ${r.reference} | ${r.ratio} | ${r.target} |`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = failed > 0 ? 1 : 0;
