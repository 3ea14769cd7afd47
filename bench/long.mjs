// The longest run there is, 10⁵ generations (1.3 million rows of output), written to a file as CSV
// and as JSON: its time and peak memory against the size of its text. What costs there is not the
// loop but what follows it: the summaries, the result crossing threads, the text (ARCHITECTURE §7).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, row } from "./lib.mjs";

const dir = mkdtempSync(join(tmpdir(), "collapse-bench-long-"));
const RUN = ["sim", "-g", "100000", "-r", "1", "-m", "10", "--jobs", "1", "--quiet"];

/** Seconds, peak MB and output MB of one run writing `format` to a file (GNU time; null without it). */
function measure(format) {
  if (!existsSync("/usr/bin/time")) return null;
  const out = join(dir, `long.${format}`);
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, BIN, ...RUN, "--format", format, "-o", out], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`collapse ${RUN.join(" ")} --format ${format} failed: ${r.stderr}`);
  const [seconds, kb] = r.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  return { seconds, peak: kb / 1024, text: statSync(out).size / 1e6 };
}

try {
  const csv = measure("csv");
  const json = measure("json");
  if (csv && json) {
    for (const [name, m] of [
      ["csv", csv],
      ["json", json],
    ]) {
      console.log(
        `long      sim -g 100000 -r 1 -m 10 --format ${name}: ${m.seconds.toFixed(2)} s, peak ${m.peak.toFixed(0)} MB, ${m.text.toFixed(0)} MB of text`,
      );
    }
    row(
      "the longest run, `sim -g 100000 -r 1 -m 10` to a file, CSV; JSON",
      `${csv.seconds.toFixed(1)} s, ${csv.peak.toFixed(0)} MB peak; ${json.seconds.toFixed(1)} s, ${json.peak.toFixed(0)} MB peak`,
      `1.3 million rows: ${csv.text.toFixed(0)} MB; ${json.text.toFixed(0)} MB of text`,
      `peak ${(csv.peak / csv.text).toFixed(1)}×; ${(json.peak / json.text).toFixed(1)}× the text`,
    );
  } else console.log("long      skipped (needs /usr/bin/time)");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
