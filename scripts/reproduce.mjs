#!/usr/bin/env node
// npm run reproduce [-- NAME…]: runs every example of examples/ (or the named ones) with the built
// command line, bin/collapse.js, as a user would; draws each example's figure with `collapse plot`
// into docs/reproductions/NAME.svg; and writes docs/reproductions.md, a table per example of the
// published value, ours ± se, the expected value and a verdict (scripts/reproduce/lib.mjs).
//
// An example whose manifest "needs" a flag this build does not have, or whose run fails on an
// unknown option, is skipped with a line saying which: its section says it is not reproduced yet.
// Any other failure is reported and makes the exit status 1 (the other examples still run).
// Needs a built dist/ (npm run build).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { estimate, expectedOf, judge, listExamples, renderDocument, renderSection } from "./reproduce/lib.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "collapse.js");
const DOC = join(ROOT, "docs", "reproductions.md");
const FIGURES = join(ROOT, "docs", "reproductions");

function collapse(args, cwd) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: "utf8", maxBuffer: 1 << 30 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

function main() {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) {
    console.error("reproduce: dist/ is missing; run npm run build first");
    process.exit(2);
  }
  const wanted = process.argv.slice(2);
  const examples = listExamples(join(ROOT, "examples"));
  const unknown = wanted.filter((w) => !examples.some((e) => e.name === w));
  if (unknown.length > 0) {
    console.error(`reproduce: no example ${unknown.join(", ")}; known: ${examples.map((e) => e.name).join(", ")}`);
    process.exit(2);
  }
  const help = collapse(["sim", "--help"], ROOT).stdout + collapse(["sweep", "--help"], ROOT).stdout;
  const tmp = mkdtempSync(join(tmpdir(), "collapse-reproduce-"));
  mkdirSync(FIGURES, { recursive: true });
  const sections = new Map();
  let failed = 0;
  try {
    for (const ex of examples) {
      if (wanted.length > 0 && !wanted.includes(ex.name)) continue;
      const started = Date.now();
      const missing = ex.needs.filter((flag) => !new RegExp(`(^|\\s)${flag.replace(/[-]/g, "\\-")}[\\s=<,]`, "m").test(help));
      let outcome;
      if (missing.length > 0) {
        outcome = { status: "skipped", reason: `needs ${missing.map((f) => `\`${f}\``).join(", ")}, which this version of collapse does not have` };
        console.log(`reproduce: ${ex.name}: skipped, needs ${missing.join(", ")} (not in this build)`);
      } else if (ex.runs.length === 0) {
        outcome = { status: "skipped", reason: "the manifest names no runs yet" };
        console.log(`reproduce: ${ex.name}: skipped, its manifest names no runs yet`);
      } else {
        try {
          outcome = runExample(ex, tmp);
          console.log(`reproduce: ${ex.name}: ${summary(outcome)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        } catch (e) {
          if (e.skip) {
            outcome = { status: "skipped", reason: e.message };
            console.log(`reproduce: ${ex.name}: skipped, ${e.message}`);
          } else {
            failed++;
            console.error(`reproduce: ${ex.name}: ${e.message}`);
            continue;
          }
        }
      }
      sections.set(ex.name, renderSection(ex, outcome));
    }
    const previous = existsSync(DOC) ? readFileSync(DOC, "utf8") : "";
    writeFileSync(DOC, renderDocument(examples, sections, previous));
    console.log(`reproduce: wrote docs/reproductions.md (${sections.size} section(s) updated)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(failed > 0 ? 1 : 0);
}

function summary(outcome) {
  const v = outcome.rows.map((r) => r.verdict.verdict).filter((x) => x !== "—");
  const agree = v.filter((x) => x === "agrees").length;
  return `${agree} of ${v.length} verdicts agree`;
}

/** Runs an example's commands and plot; evaluates its checks. Throws { skip } on an unknown option. */
function runExample(ex, tmp) {
  const docs = {};
  const texts = [];
  const shown = [];
  const outputs = {};
  for (const run of ex.runs) {
    const format = run.format ?? "json";
    const out = join(tmp, `${ex.name}-${run.id}.${format === "json" ? "json" : "md"}`);
    const args = [run.command, "--config", run.config, ...(run.args ?? []), "--format", format, "--quiet", "-o", out];
    shown.push(`collapse ${[run.command, "--config", run.config, ...(run.args ?? [])].join(" ")}`);
    const r = collapse(args, ex.dir);
    if (r.status !== 0) {
      const err = new Error(`collapse ${args.slice(0, -2).join(" ")} failed (exit ${r.status}): ${r.stderr}`);
      if (/unknown option|does not apply|unknown (config )?(key|option)/i.test(r.stderr)) {
        err.message = `its run "${run.id}" fails on an option this version of collapse does not know: ${r.stderr.replace(/^collapse: /, "")}`;
        err.skip = true;
      }
      throw err;
    }
    outputs[run.id] = out;
    if (format === "json") docs[run.id] = JSON.parse(readFileSync(out, "utf8"));
    else
      texts.push({ title: run.title ?? `\`collapse ${run.command} --config ${run.config} ${(run.args ?? []).join(" ")}\``, text: readFileSync(out, "utf8") });
  }
  let figure = null;
  if (ex.plot) {
    figure = `${ex.name}.svg`;
    const r = collapse(["plot", outputs[ex.plot.run], ...(ex.plot.args ?? []), "--quiet", "-o", join(FIGURES, figure)], ex.dir);
    if (r.status !== 0) throw new Error(`collapse plot failed (exit ${r.status}): ${r.stderr}`);
  }
  const rows = ex.checks.map((check) => {
    const est = estimate(check, docs);
    const exp = expectedOf(check, est, docs);
    return { check, est, exp, verdict: judge(check, est, exp) };
  });
  return { status: "ran", rows, figure, texts, runs: shown };
}

main();
