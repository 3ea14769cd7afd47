/**
 * `collapse check BASELINE`: re-run a baseline's recorded config and compare every metric of every
 * generation, plus --assert expressions; and the --save-baseline / --assert options of `sim`.
 */

import { Command, Option } from "commander";
import { type Assertion, compileAssertions, evaluateAssertions } from "../check/assert.js";
import { baselineDocument } from "../check/baseline.js";
import { type CheckReport, valuesText } from "../check/report.js";
import { DEFAULT_TOLERANCE, MODES, type Mode, type Tolerance } from "../check/tolerance.js";
import type { SimResult } from "../core/result.js";
import { NUMBER_LITERAL } from "../data/number-literal.js";
import type { PreparedView } from "../engine/session.js";
import { CheckFailure, UsageError } from "../errors.js";
import { excerpt, quote } from "../excerpt.js";
import { jsonParts } from "../output/json-parts.js";
import { checkOutputs, type Output, writeOutputs } from "../output/write.js";
import { Progress } from "./progress.js";
import { progressOption, readRunOptions } from "./run-options.js";

const ASSERT_HELP =
  'a comparison over the per-generation means, e.g. "var_ratio[9] < 0.95" (metric[g] is generation g, counted from 0); exit 1 if one fails (repeatable; see collapse check --help)';

const LANGUAGE = `
Assertions (--assert "EXPR", repeatable): comparisons over per-generation
replicate means, parsed by mathjs and evaluated over the metrics only.
  metric[g]       generation g, numbered from 0 as in the output's generation
                  column (not mathjs's 1-based indexing); metric[end] is the
                  last generation, metric[a:b] generations a..b inclusive
  metric          the vector over generations 0..G
  first last min max mean median
                  reduce a vector to a number (min, max also take numbers)
  abs log exp sqrt
                  elementwise (log is natural)
  sd se p025 p50 p975 (metric)
                  the replicate sd, standard error, 2.5% quantile, median and
                  97.5% quantile by generation, e.g. se(var_ratio)[9]
  + - * / ^       on numbers, elementwise on vectors
  < <= > >= == != the result must be a comparison (chains like 0.5 < x < 1
                  too), or comparisons joined by and, or, not
  Unknown names, syntax errors and non-comparisons exit 2. A comparison with
  NaN is false.
  Examples: "var_ratio[9] < 0.95"   "tail_loss_2[end] > 0.2"
            "last(var_ratio) < 1"   "median(var_ratio) > 0.5"
            "mean_drift[0] == 0"    "max(abs(mean_drift)) < 0.5"`;

/** Adds --save-baseline and --assert to `collapse sim`. */
export function addSimCheckOptions(cmd: Command): Command {
  const group = "Checks (for CI):";
  return cmd
    .addOption(new Option("--save-baseline <FILE>", "also write the JSON results document to FILE, for collapse check").helpGroup(group))
    .addOption(assertOption().helpGroup(group));
}

function assertOption(): Option {
  return new Option("--assert <EXPR>", ASSERT_HELP).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}

/** Compiles sim's --assert expressions against the metrics the prepared run will report. */
export function compileSimAssertions(cmd: Command, prepared: Pick<PreparedView, "metricNames" | "config">): Promise<Assertion[]> {
  const texts = (cmd.opts().assert as string[] | undefined) ?? [];
  return compileAssertions(texts, { metrics: prepared.metricNames, generations: prepared.config.generations + 1 });
}

/** Checks sim's -o and --save-baseline paths together, before any work (see checkOutputs). */
export function checkSimOutputs(cmd: Command, output: string | undefined): { output: Output; baseline: Output | undefined } {
  const baseline = cmd.opts().saveBaseline as string | undefined;
  const [out, saved] = checkOutputs([["-o", output], ...(baseline !== undefined ? [["--save-baseline", baseline, { stdout: false }] as const] : [])]);
  return { output: out!, baseline: saved };
}

/**
 * The --save-baseline document: the same as --format json, but for the data path, which is
 * relative to the baseline's folder.
 */
export function baselineText(cmd: Command, result: SimResult): Iterable<string> {
  const path = cmd.opts().saveBaseline as string;
  return jsonParts(baselineDocument(result, path));
}

/** After sim printed its output: names each failed assertion on stderr, then fails with exit 1. */
export function finishSimAssertions(assertions: readonly Assertion[], result: SimResult): void {
  const outcomes = evaluateAssertions(assertions, result);
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === 0) return;
  // One line, like every failure: each failed assertion with its value(s), then how many failed.
  const named = failed.map((o) => `${excerpt(o.text)}${o.values.length > 0 ? ` (${excerpt(valuesText(o), 240)})` : ""}`);
  throw new CheckFailure(`assertion failed: ${named.join("; ")} — ${failed.length} of ${outcomes.length} assertion${outcomes.length === 1 ? "" : "s"} failed`);
}

export function checkCommand(): Command {
  const cmd = new Command("check")
    .description("re-run a baseline's recorded config and compare every metric; exit 1 on a regression or failed assertion")
    .argument("<baseline>", "results document written by collapse sim or collapse sweep --save-baseline FILE (or --format json)")
    .addHelpText(
      "after",
      `
Comparison: each (generation, metric) replicate mean holds when
|now - baseline| <= allowed, where
  statistical (default)  allowed = z*SE + atol + rtol*|baseline|,
                         SE = sqrt(se_now^2 + se_baseline^2)
  tolerance              allowed = atol + rtol*|baseline|
Defaults: z = ${DEFAULT_TOLERANCE.z}, rtol = ${DEFAULT_TOLERANCE.rtol}, atol = ${DEFAULT_TOLERANCE.atol}. The recorded config and seed are
re-run exactly, so an unchanged tool reproduces the baseline and passes; the
z*SE allowance is for changes that re-draw the random numbers without changing
the behaviour.

Sweep baselines (collapse sweep ... --save-baseline FILE): every point is
re-run from its recorded config on the sweep's worker pool (--jobs) and each
of its means compared by the same rule. The report names a regressed point by
its grid values, e.g. "point 3 of 8 (sample-size=100, regime=mix)"; JUnit has
one test case per point, and one per assertion and point. --assert is
evaluated at every point, against the point's own metrics and generations
(metric[end] is each point's last); an assertion naming a metric some point
lacks is an error (exit 2) naming that point. --data replaces the data file
of a sweep that reads one.

Seed data: the baseline's config.data is read relative to the baseline's own
folder, and may not be an absolute path or climb out of it with ..; a baseline
is untrusted input. --data FILE reads FILE instead (from the current
directory). Either way the file must have the SHA-256 recorded in
config.dataSha256, or the check stops with exit 2: the data changed.
${LANGUAGE}

Exit codes: 0 all hold, 1 a regression or a failed assertion (a diff table
on stdout), 2 a bad baseline file, option, expression or report path, or an
output that could not be written (nothing is then written).

Examples:
  collapse sim -g 9 --save-baseline baseline.json
  collapse check baseline.json
  collapse sweep --grid sample-size=10,100 --save-baseline sweep.json
  collapse check sweep.json --jobs 2 --junit junit.xml
  collapse check baseline.json --mode tolerance --rtol 0.01 --metrics w2,kl
  collapse check baseline.json --assert "var_ratio[9] < 0.95" \\
    --junit junit.xml --summary "$GITHUB_STEP_SUMMARY"`,
    );
  const group = "Comparison:";
  cmd
    .addOption(new Option("--mode <M>", "statistical or tolerance (default statistical)").choices(MODES).helpGroup(group))
    .addOption(new Option("--z <Z>", `statistical mode: allowed standard errors of the difference (default ${DEFAULT_TOLERANCE.z})`).helpGroup(group))
    .addOption(new Option("--rtol <R>", `relative tolerance, times |baseline| (default ${DEFAULT_TOLERANCE.rtol})`).helpGroup(group))
    .addOption(new Option("--atol <A>", `absolute tolerance (default ${DEFAULT_TOLERANCE.atol})`).helpGroup(group))
    .addOption(new Option("--metrics <LIST>", "compare only these metrics (comma-separated; default all)").helpGroup(group))
    .addOption(assertOption().helpGroup(group))
    .addOption(
      new Option(
        "--junit <FILE>",
        "also write JUnit XML: one test case per metric and per assertion (a sweep: per point, and per assertion and point)",
      ).helpGroup("Reports:"),
    )
    .addOption(new Option("--summary <FILE>", "also write a Markdown summary (e.g. $GITHUB_STEP_SUMMARY)").helpGroup("Reports:"))
    .addOption(
      new Option("--data <FILE>", "read the seed data from FILE instead of the baseline's config.data (which is read from the baseline's folder)").helpGroup(
        "Running:",
      ),
    )
    .addOption(new Option("--jobs <N>", "worker threads for the re-run (default the number of cores); results do not depend on it").helpGroup("Running:"))
    .addOption(new Option("--quiet", "no progress, notes or warnings on stderr").helpGroup("Running:"))
    .addOption(progressOption().helpGroup("Running:"));
  cmd.action(async (path: string) => {
    // The engine and the report writers load only when a check runs: --help stays fast.
    const [{ check }, { failureLine, passed, renderReport }, { renderJunit }, { renderSummary }, sweeps] = await Promise.all([
      import("../lib/check.js"),
      import("../check/report.js"),
      import("../check/junit.js"),
      import("../check/summary.js"),
      import("../check/sweep-report.js"),
    ]);
    const run = readRunOptions(cmd);
    const opts = cmd.opts();
    const tolerance = readTolerance(opts);
    // The report files are checked before any work, and written together (both or neither).
    const reports = checkOutputs([
      ...(opts.junit !== undefined ? [["--junit", opts.junit as string, { stdout: false }] as const] : []),
      ...(opts.summary !== undefined ? [["--summary", opts.summary as string, { stdout: false }] as const] : []),
    ]);
    const stderr = (line: string) => {
      if (!run.quiet) process.stderr.write(`collapse: ${line}\n`);
    };
    // The bar starts with the first replicate-generation done: the total is known only then.
    let progress: Progress | null = null;
    let report: CheckReport;
    try {
      report = await check(path, {
        tolerance,
        metrics: opts.metrics as string | undefined,
        assert: (opts.assert as string[] | undefined) ?? [],
        data: opts.data as string | undefined,
        jobs: run.jobs,
        onNote: stderr,
        onWarning: (message) => stderr(`warning: ${message}`),
        onProgress: (_done, total, replicates) => {
          // A sweep baseline counts points (no replicates), a sim baseline replicate-generations.
          progress ??= new Progress(total, { wanted: !run.quiet, plain: run.progress, replicates, label: replicates === undefined ? "points" : "generations" });
          progress.tick();
        },
      });
      (progress as Progress | null)?.finish();
    } finally {
      (progress as Progress | null)?.done();
    }
    // A sweep baseline's report is about points (src/check/sweep-report.ts).
    const r = report;
    const render = (o: Output) =>
      r.kind === "sweep"
        ? o.flag === "--junit"
          ? sweeps.renderSweepJunit(r)
          : sweeps.renderSweepSummary(r)
        : o.flag === "--junit"
          ? renderJunit(r)
          : renderSummary(r);
    const terminal = r.kind === "sweep" ? sweeps.renderSweepReport(r) : renderReport(r);
    await writeOutputs([...reports.map((output) => ({ output, text: render(output) })), { output: { kind: "stdout", flag: "" }, text: terminal }]);
    if (!passed(r)) throw new CheckFailure(r.kind === "sweep" ? sweeps.sweepFailureLine(r) : failureLine(r));
  });
  return cmd;
}

function readTolerance(opts: Record<string, unknown>): Tolerance {
  const number = (flag: string, value: unknown, fallback: number, positive: boolean): number => {
    if (value === undefined) return fallback;
    const s = String(value).trim();
    const x = NUMBER_LITERAL.test(s) ? Number(s) : NaN;
    if (!Number.isFinite(x) || x < 0 || (positive && x === 0)) {
      throw new UsageError(`${flag} must be a ${positive ? "positive" : "non-negative"} number, got ${quote(value)}`);
    }
    return x;
  };
  const mode = (opts.mode as Mode | undefined) ?? DEFAULT_TOLERANCE.mode;
  if (mode === "tolerance" && opts.z !== undefined) throw new UsageError("--z applies to --mode statistical; drop it, or use --rtol/--atol");
  return {
    mode,
    z: number("--z", opts.z, DEFAULT_TOLERANCE.z, true),
    rtol: number("--rtol", opts.rtol, DEFAULT_TOLERANCE.rtol, false),
    atol: number("--atol", opts.atol, DEFAULT_TOLERANCE.atol, false),
  };
}
