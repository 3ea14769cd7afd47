/** `collapse sweep`: a grid of simulations on worker threads, in a deterministic order; shardable. */
import { Command, Option } from "commander";
import type { RawOption } from "../config/resolve.js";
import { UsageError } from "../errors.js";
import { quote } from "../excerpt.js";
import { planWithData, readySweep } from "../lib/sweep.js";
import { chooseFormat, SWEEP_EXTENSIONS } from "../output/format-by-extension.js";
import { checkOutputs, openSink, type Sink, writeOutputs } from "../output/write.js";
import { combineAxes, type GridAxis, parseGridConfig, parseGridFlag } from "../sweep/grid.js";
import type { PointText } from "../sweep/point.js";
import { runPoints } from "../sweep/pool.js";
import { SWEEP_FORMATS, type SweepFormat, SweepFramer } from "../sweep/render.js";
import { parseShard, type Shard } from "../sweep/shard.js";
import { TOOL } from "../version.js";
import { addSimOptions, gatherSimOptions, readConfigFile } from "./options.js";
import { PointWriter } from "./point-writer.js";
import { Progress } from "./progress.js";
import { progressOption, readRunOptions } from "./run-options.js";

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function sweepCommand(): Command {
  const cmd = new Command("sweep")
    .description("run a grid of simulations in parallel; output is the same bytes for any --jobs, and shardable across machines")
    .addHelpText(
      "after",
      `
Grid values (NAME is a simulation option, e.g. sample-size or sampleSize):
  --grid NAME=v1,v2,...          listed values (commas inside parentheses do not split)
  --grid NAME=start:stop:step    start, start+step, ... up to stop inclusive, exact decimals
  --grid NAME=log:start:stop:N   N values evenly spaced on a log scale, both ends included
                                 (whole-number options round to the nearest whole number)
  Items mix: --grid sample-size=5,10:50:10,log:100:10000:3
  A --config file may hold "grid": {"sampleSize": [10, 100], "regime": "replace,mix"};
  a --grid flag replaces the file's axis of the same option.
  A schedule is one value: --grid real-fraction=0.9..0.1,0.5 has two points (a ramp
  and 0.5); a comma-list schedule goes in parentheses: --grid real-fraction=(0.9,0.5),0.1
  (in a --config grid: ["0.9,0.5", 0.1] or [[0.9, 0.5], 0.1]).

Points run in grid order, the first --grid varying slowest. Point p uses the seed derived from
(--seed, its grid values by name), so adding a grid value changes no other point; the derived
seed is recorded in the point's config (json). With --common-seed (or "commonSeed": true in
--config) every point uses --seed itself: the same seed data and the same replicate streams, so
a comparison along an axis carries no seed noise (the sweep's config records commonSeed). Rows are tidy: one leading column per grid
option (camelCase), then generation, metric, mean, sd, se, median, p025, p975, theory, and the
generation's training mix: real, synthetic (rows, means over replicates), real_share.

Shards: --shard i/n runs points i, i+n, i+2n, ... (1-based; round-robin, so each shard gets a
mix of cheap and costly points). A shard's output carries a header that 'collapse merge'
checks: csv/ndjson shards add '#' lines, json shards a "shard" object, and each ends with a
SHA-256 of every point's rows and of the whole shard. Merging every shard gives the unsharded
output byte for byte. The sweep's hash covers the content of its --data files.

Examples:
  collapse sweep --grid sample-size=10,100,1000 --grid regime=replace,accumulate -g 20
  collapse sweep --grid sample-size=log:10:10000:4 -o sweep.json    # json, from the extension
  collapse sweep --grid truncate=1:3:0.5 --shard 2/4 -o part-2.csv
  collapse merge part-*.csv -o sweep.csv`,
    );
  const sweep = "Sweep:";
  cmd
    .addOption(new Option("--grid <NAME=VALUES>", "an axis of the grid (repeatable); see below").argParser(collect).helpGroup(sweep))
    .addOption(new Option("--shard <i/n>", "run only the i-th of n round-robin slices of the points").helpGroup(sweep))
    .addOption(
      new Option(
        "--common-seed",
        "every point shares the seed data and the replicate streams (common random numbers), so differences between points are the parameters' alone",
      ).helpGroup(sweep),
    );
  addSimOptions(cmd);
  const run = "Output and running:";
  cmd
    .addOption(
      new Option("--format <F>", "csv, ndjson or json (default: the one the -o extension names — .csv, .ndjson or .jsonl, .json — else csv)")
        .choices(SWEEP_FORMATS)
        .helpGroup(run),
    )
    .addOption(new Option("-o, --output <FILE>", "write to FILE atomically instead of stdout").helpGroup(run))
    .addOption(new Option("--quiet", "no progress or notes on stderr").helpGroup(run))
    .addOption(progressOption().helpGroup(run))
    .addOption(new Option("--jobs <N>", "worker threads, each running whole points (default the number of cores); results do not depend on it").helpGroup(run))
    .addOption(new Option("--config <FILE>", "read options and the grid from a JSON file (camelCase keys); flags override it").helpGroup(run))
    .addOption(new Option("--print-config", "print the sweep's shared configuration and grid as JSON and exit").helpGroup(run));
  cmd.addOption(
    new Option("--save-baseline <FILE>", "also write the whole sweep's JSON document to FILE, for collapse check (not with --shard)").helpGroup(
      "Checks (for CI):",
    ),
  );

  cmd.action(async () => {
    const opts = cmd.opts();
    const runOptions = readRunOptions(cmd);
    const { format, note: formatNote } = chooseFormat<SweepFormat>(opts.format as SweepFormat | undefined, runOptions.output, SWEEP_EXTENSIONS, "csv");
    const configPath = opts.config as string | undefined;
    const baselinePath = opts.saveBaseline as string | undefined;
    if (baselinePath !== undefined && opts.shard !== undefined) {
      throw new UsageError("--save-baseline saves the whole sweep, and --shard runs a part of it; run the sweep unsharded to save its baseline");
    }
    // The output paths are checked before any work, so a bad one fails at once.
    const [checked, baselineOutput] = checkOutputs([
      ["-o", runOptions.output],
      ...(baselinePath !== undefined ? [["--save-baseline", baselinePath, { stdout: false }] as const] : []),
    ]);
    const output = checked!;

    const given = gatherSimOptions(cmd, configPath, ["grid", "commonSeed"]);
    const fileConfig = configPath ? readConfigFile(configPath) : undefined;
    const fileGrid = fileConfig?.get("grid");
    const commonSeed = opts.commonSeed === true || commonSeedOf(fileConfig?.get("commonSeed"), configPath);
    const fileAxes: GridAxis[] = fileGrid ? parseGridConfig(fileGrid.value, configPath!) : [];
    const flagAxes = ((opts.grid as string[] | undefined) ?? []).map(parseGridFlag);
    // The sweep hash covers each --data file's content: shards of different data never merge.
    const axes = combineAxes(fileAxes, flagAxes);
    const shard = opts.shard !== undefined ? parseShard(String(opts.shard)) : null;
    const plan = await planWithData(given, axes, { commonSeed });
    if (opts.printConfig) {
      await writeOutputs([{ output, text: JSON.stringify(plan.config, null, 2) + "\n" }]);
      return;
    }
    // With a baseline to save, workers render each point's part of it too.
    const ready = await readySweep(plan, format, shard);
    const { notes, label } = ready;
    const tasks = baselinePath === undefined ? ready.tasks : ready.tasks.map((task) => ({ ...task, baselinePath }));
    if (!runOptions.quiet) for (const note of notes) process.stderr.write(`collapse: ${note}\n`);

    const head = { tool: { ...TOOL }, config: plan.config, seed: plan.seed, grid: plan.axes.map((a) => a.spec.key) };
    const framer = new SweepFramer(format, head, shard ? { ...shard, points: plan.points.length, hash: plan.hash } : null);
    // The baseline: the whole sweep's JSON document, its data paths relative to its folder (check/sweep-baseline.ts).
    const baselineFramer = baselineOutput
      ? await import("../check/sweep-baseline.js").then(
          ({ sweepBaselineConfig }) => new SweepFramer("json", { ...head, config: sweepBaselineConfig(plan.config, baselinePath!) }, null),
        )
      : null;
    let baselineSink: Sink | null = null;
    const sink = openSink(output);
    const toTerminal = output.kind === "stdout" && process.stdout.isTTY === true;
    const progress = new Progress(tasks.length, { wanted: !runOptions.quiet, plain: runOptions.progress, label: "points" });
    // Points are written in order, a slice at a time with turns between, while the workers go on.
    const writer = new PointWriter();
    try {
      if (baselineOutput) baselineSink = openSink(baselineOutput);
      sink.write(framer.opening());
      if (baselineFramer) baselineSink!.write(baselineFramer.opening());
      await runPoints(
        tasks,
        runOptions.jobs,
        (task, body) => {
          const { rows, baseline } = body as PointText;
          // Rows printed to the same terminal as the bar would land on its line: it is cleared
          // just before they are written, and drawn again once they are.
          writer.add(sink, framer, task.index, rows, { before: () => toTerminal && progress.done(), after: () => progress.tick() });
          if (baselineFramer) writer.add(baselineSink!, baselineFramer, task.index, baseline!);
        },
        label,
      );
      await writer.drain();
      sink.write(framer.closing());
      if (baselineFramer) baselineSink!.write(baselineFramer.closing());
      progress.finish();
      // The baseline first: if it cannot be written, the output file is not replaced either.
      await baselineSink?.commit();
      await sink.commit();
      // Said once the output is written, so that a failed write stays the one line on stderr.
      if (!runOptions.quiet && formatNote !== null) process.stderr.write(`collapse: ${formatNote}\n`);
      if (!runOptions.quiet && shard !== null && tasks.length === 0) process.stderr.write(`collapse: ${emptyShardNote(shard, plan.points.length)}\n`);
    } catch (e) {
      progress.done();
      sink.abort();
      baselineSink?.abort();
      throw e;
    }
  });
  return cmd;
}

/** Said of a shard with no points: its file is still written, since merge wants every shard 1…n. */
export function emptyShardNote(shard: Shard, points: number): string {
  const grid = `the grid has ${points} point${points === 1 ? "" : "s"}`;
  return `shard ${shard.index}/${shard.count} has no points (${grid}, fewer than ${shard.count} shards); wrote a header-only shard, which merge still expects`;
}

/** A --config file's "commonSeed": true or false. */
function commonSeedOf(raw: RawOption | undefined, file: string | undefined): boolean {
  if (raw === undefined) return false;
  if (typeof raw.value !== "boolean") throw new UsageError(`${file}: "commonSeed" must be true or false, got ${quote(raw.value)}`);
  return raw.value;
}
