/** `collapse sim`: one simulation, printed in the chosen format. */
import { Command } from "commander";
import type { Assertion } from "../check/assert.js";
import { resolveSimConfig } from "../config/resolve.js";
import { modelList } from "../config/spec.js";
import type { SimResult } from "../core/result.js";
import { terminalWidth, useColor } from "../output/color.js";
import { writeOutputs } from "../output/write.js";
import { addSimCheckOptions, baselineText, checkSimOutputs, compileSimAssertions, finishSimAssertions } from "./check.js";
import { addSimOptions, gatherSimOptions } from "./options.js";
import { Progress } from "./progress.js";
import { addRunOptions, readRunOptions } from "./run-options.js";

export function simCommand(): Command {
  const cmd = new Command("sim").description("run one simulation: fit, sample, refit for G generations, over R replicates").addHelpText(
    "after",
    `
Models (--model; each declares the options it takes, listed after each option above):
${modelList().join("\n")}

Regimes (training set of generation g >= 1; M = --sample-size, A = --real-fraction,
N0 = seed size):
  replace     the M samples drawn from the previous model (default; the paper's setting)
  accumulate  the seed data plus every synthetic sample so far: N0 + g*M rows at
              generation g (real data never leaves; kept in one append-only pool)
  accumulate-subsample
              the same pool, of which M rows drawn uniformly without replacement:
              the real share falls like N0/(N0 + g*M), 1/(g+1) at M = N0
  mix         a fixed random subset of round(A*M) seed rows, drawn once per replicate,
              plus M - round(A*M) fresh synthetic samples: M rows
  fresh       like mix, but the real part is new each generation: drawn from --source,
              or resampled with replacement from the seed file when --data is used
  --filter-recall R removes each synthetic sample (never a real one) with probability
              R before it enters the training set, in every regime; 0 = no filter.
  Schedules: --real-fraction and --filter-recall also take a comma list, one value
              per generation 1, 2, ... (the last repeated), or a linear ramp a..b
              from generation 1 to G: --real-fraction 0.9..0.1, --filter-recall 0.8,0.5,0.2
  --truncate K draws only within K sigma of the current model (mvn, gmm: within the
              Mahalanobis radius holding the same mass, per component for gmm).

Examples:
  collapse sim --generations 9
  collapse sim -g 50 -m 20 --theory
  collapse sim --data fixtures/heights.csv --column height_cm --format csv
  collapse sim -g 9 -o run.json    # json: the -o extension names the format
  collapse sim -g 9 --format csv -o run.txt
  collapse sim --regime mix --real-fraction 0.9..0.1 --filter-recall 0.8..0.2`,
  );
  addSimOptions(cmd);
  addRunOptions(cmd);
  addSimCheckOptions(cmd);
  cmd.action(async () => {
    // The table ends with the run's wall time (for people; the machine formats never carry it).
    const started = performance.now();
    // The engine and the formatters load only when a simulation runs: --help and --version stay fast.
    const [{ openSession }, { formatters }] = await Promise.all([import("../lib/session.js"), import("../output/format.js")]);
    const run = readRunOptions(cmd);
    // Every output path is checked before any work, so a bad one fails at once and writes nothing.
    const outputs = checkSimOutputs(cmd, run.output);
    const config = resolveSimConfig(gatherSimOptions(cmd, cmd.opts().config as string | undefined));
    // Each generation's samples are drawn only for an output that shows them: the JSON document
    // (the output or a --baseline) and --show-samples' table or markdown.
    const describes = run.format === "json" || outputs.baseline !== undefined || (run.showSamples && (run.format === "table" || run.format === "markdown"));
    const session = await openSession(config, run.jobs, describes);
    let result: SimResult;
    let assertions: Assertion[];
    try {
      const prepared = session.view;
      if (!run.quiet) for (const note of prepared.notes) process.stderr.write(`collapse: ${note}\n`);
      if (cmd.opts().printConfig) {
        await writeOutputs([{ output: outputs.output, text: JSON.stringify(prepared.config, null, 2) + "\n" }]);
        return;
      }
      assertions = await compileSimAssertions(cmd, prepared);
      const { replicates, generations } = prepared.config;
      const progress = new Progress(replicates * generations, { wanted: !run.quiet, plain: run.progress, replicates });
      try {
        result = await session.run(() => progress.tick());
        progress.finish();
      } finally {
        // Cleared on failure too, so an error message starts on a clean line.
        progress.done();
      }
    } finally {
      session.close();
    }
    const text = formatters[run.format].parts(result, {
      color: run.output === undefined && useColor(run.color, process.stdout),
      width: terminalWidth(process.stdout),
      showSamples: run.showSamples,
      elapsedSeconds: (performance.now() - started) / 1000,
    });
    // Both files or neither: the baseline and the output are written together.
    await writeOutputs([
      ...(outputs.baseline !== undefined ? [{ output: outputs.baseline, text: baselineText(cmd, result) }] : []),
      { output: outputs.output, text },
    ]);
    // Said once the output is written, so that a failed write stays the one line on stderr.
    if (!run.quiet && run.formatNote !== null) process.stderr.write(`collapse: ${run.formatNote}\n`);
    finishSimAssertions(assertions, result);
  });
  return cmd;
}
