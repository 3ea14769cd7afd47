/** Options about running and output (not part of the simulation config, so they never change numbers). */

import { availableParallelism } from "node:os";
import { type Command, Option } from "commander";
import { UsageError } from "../errors.js";
import { quote } from "../excerpt.js";
import { chooseFormat, SIM_EXTENSIONS } from "../output/format-by-extension.js";
import { FORMATS, type Format } from "../output/format-names.js";

export interface RunOptions {
  /** --format, else the one the -o extension names, else table. */
  format: Format;
  /** A note for stderr when the -o extension named no format (see output/format-by-extension.ts). */
  formatNote: string | null;
  output: string | undefined;
  quiet: boolean;
  /** --progress: progress lines on stderr even when it is not a terminal (--quiet wins). */
  progress: boolean;
  color: boolean;
  jobs: number;
  showSamples: boolean;
}

export function addRunOptions(cmd: Command, defaultJobs: "cores" | 1 = "cores"): Command {
  const group = "Output and running:";
  cmd
    .addOption(
      new Option("--format <F>", "output format (default: the one the -o extension names — .json, .csv, .ndjson or .jsonl, .md — else table)")
        .choices(FORMATS)
        .helpGroup(group),
    )
    .addOption(new Option("-o, --output <FILE>", "write to FILE atomically instead of stdout").helpGroup(group))
    .addOption(new Option("--quiet", "no progress, notes or warnings on stderr").helpGroup(group))
    .addOption(progressOption().helpGroup(group))
    .addOption(new Option("--no-color", "no colour (also NO_COLOR=1 or FORCE_COLOR=0)").helpGroup(group))
    .addOption(
      new Option("--jobs <N>", `worker threads (default ${defaultJobs === "cores" ? "the number of cores" : "1"}); results do not depend on it`).helpGroup(
        group,
      ),
    )
    .addOption(new Option("--show-samples", "table and markdown: a few values drawn from each generation's model (numbers, labels or text)").helpGroup(group))
    .addOption(new Option("--config <FILE>", "read options from a JSON file (camelCase keys); flags override it").helpGroup(group))
    .addOption(new Option("--print-config", "print the resolved configuration as JSON and exit").helpGroup(group));
  return cmd;
}

/** `--progress`, the same for sim, sweep and check. */
export function progressOption(): Option {
  return new Option("--progress", "progress lines on stderr even when it is not a terminal (a log, CI): one every 2 s at most, and a final line; --quiet wins");
}

export function readRunOptions(cmd: Command, defaultJobs: "cores" | 1 = "cores"): RunOptions {
  const o = cmd.opts();
  let jobs = defaultJobs === "cores" ? availableParallelism() : 1;
  if (o.jobs !== undefined) {
    const s = String(o.jobs);
    if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 256) throw new UsageError(`--jobs must be a whole number from 1 to 256, got ${quote(s)}`);
    jobs = Number(s);
  }
  const output = o.output as string | undefined;
  const { format, note } = chooseFormat<Format>(o.format as Format | undefined, output, SIM_EXTENSIONS, "table");
  return {
    format,
    formatNote: note,
    output,
    quiet: o.quiet === true,
    progress: o.progress === true,
    color: o.color !== false,
    jobs,
    showSamples: o.showSamples === true,
  };
}
