// The pure part of `npm run reproduce` (scripts/reproduce.mjs): reading the examples' manifests,
// estimating each published quantity from a results document, the verdict, and the Markdown of
// docs/reproductions.md. No process is started here, so the tests import it directly.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Two-sided z of the test suite's false-alarm rate ALPHA = 1e-6 (test/helpers.ts: Z ≈ 4.89): a
 * verdict "agrees" when the estimate is within Z standard errors of the expected value.
 */
export const Z = 4.891638475699412;

const KINDS = ["mean", "change", "first-median-at-most", "lumped-fixation", "extinctions"];
const VERDICTS = ["equal", "below", "above", "info"];

/** Fails with a message naming the manifest and the field. */
function need(ok, where, message) {
  if (!ok) throw new Error(`${where}: ${message}`);
}

/**
 * Checks a manifest (examples/NAME/example.json) and returns it with its folder name. Throws one
 * line naming the file and the field on anything missing or misspelt.
 */
export function validateManifest(m, name) {
  const where = `examples/${name}/example.json`;
  need(m !== null && typeof m === "object" && !Array.isArray(m), where, "expected a JSON object");
  for (const key of ["title", "paper", "figure", "description"])
    need(typeof m[key] === "string" && m[key].length > 0, where, `"${key}" must be a non-empty string`);
  need(Number.isInteger(m.order), where, `"order" must be a whole number (the example's place in docs/reproductions.md)`);
  need(Array.isArray(m.needs ?? []), where, `"needs" must be a list of command-line flags`);
  need(Array.isArray(m.runs), where, `"runs" must be a list`);
  const ids = new Set();
  for (const [i, run] of m.runs.entries()) {
    const at = `${where}: runs[${i}]`;
    need(typeof run.id === "string" && !ids.has(run.id), at, `"id" must be a string, unique in the example`);
    ids.add(run.id);
    need(run.command === "sim" || run.command === "sweep", at, `"command" must be "sim" or "sweep"`);
    need(typeof run.config === "string", at, `"config" must name a JSON config file in the example's folder`);
    need(Array.isArray(run.args ?? []), at, `"args" must be a list of extra arguments`);
    need(run.format === undefined || run.format === "json" || run.format === "markdown", at, `"format" must be "json" (default) or "markdown"`);
  }
  if (m.plot !== undefined) need(ids.has(m.plot.run) && Array.isArray(m.plot.args ?? []), where, `"plot.run" must name a run and "plot.args" be a list`);
  for (const [i, check] of (m.checks ?? []).entries()) {
    const at = `${where}: checks[${i}]`;
    need(typeof check.label === "string", at, `"label" must be a string`);
    need(ids.has(check.run) || m.runs.length === 0, at, `"run" must name one of the runs`);
    need(check.estimate && KINDS.includes(check.estimate.kind), at, `"estimate.kind" must be one of ${KINDS.join(", ")}`);
    need(VERDICTS.includes(check.verdict), at, `"verdict" must be one of ${VERDICTS.join(", ")}`);
    need(check.published && typeof check.published.text === "string", at, `"published.text" must say what the paper reports`);
  }
  return { ...m, name, needs: m.needs ?? [], checks: m.checks ?? [] };
}

/** Every examples/NAME/ folder holding an example.json, validated, in their "order". */
export function listExamples(examplesDir) {
  const out = [];
  for (const name of readdirSync(examplesDir).sort()) {
    const dir = join(examplesDir, name);
    if (!statSync(dir).isDirectory()) continue;
    let text;
    try {
      text = readFileSync(join(dir, "example.json"), "utf8");
    } catch {
      continue;
    }
    out.push({ ...validateManifest(JSON.parse(text), name), dir });
  }
  return out.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

/**
 * The results of one point: a sim document itself, or the sweep point whose grid values match
 * `where` (every key given must match; a sweep with one point needs none).
 */
export function pointOf(doc, where = {}) {
  if (!Array.isArray(doc.points)) return doc;
  const matches = doc.points.filter((p) => Object.entries(where).every(([k, v]) => p.params[k] === v));
  if (matches.length !== 1) throw new Error(`${matches.length} sweep points match ${JSON.stringify(where)}; name one by its grid values`);
  return matches[0];
}

/** Generation index: a number, or "last". */
function generationIndex(point, g) {
  const last = point.generations.length - 1;
  const i = g === "last" || g === undefined ? last : g;
  if (!(Number.isInteger(i) && i >= 0 && i <= last)) throw new Error(`generation ${g} is not in the results (0…${last})`);
  return i;
}

function stat(point, metric, g) {
  const row = point.generations[generationIndex(point, g)];
  const s = row.metrics[metric];
  if (s === undefined) throw new Error(`no metric ${metric} in the results; known: ${Object.keys(row.metrics).join(", ")}`);
  return { ...s, theory: row.theory?.[metric] };
}

/**
 * The exact Wright–Fisher fixation law for K equally frequent types in a population of n, by
 * lumping: a neutral Wright–Fisher urn lumped into "type A" against the rest is again a
 * Wright–Fisher urn (multinomial sampling lumps to binomial), so P(T ≤ g) = K·P(A has fixed by g)
 * for the K-type fixation time T, and the two-type chain has only n + 1 states. Its transition
 * matrix is iterated for `generations` steps from n/K copies of A (n a multiple of K).
 * Returns, in generations: `mean` = K·E[τ_A·1{τ_A ≤ G}] (τ_A A's fixation time), which is E[T]
 * but for the chains not fixed by G, and `sd`, the standard deviation of a replicate's share of it
 * (fixationMoments), as the lumped run estimates them;
 * `median` of T, `pmf(g)` = P(T = g), and the diffusion limit −2n(K − 1)ln(1 − 1/K)
 * (Kimura & Ohta 1969; Littler 1975) for comparison.
 */
export function wrightFisherFixation(n, K, generations) {
  if (!(Number.isInteger(n) && Number.isInteger(K) && n % K === 0 && K >= 2))
    throw new Error(`wrightFisherFixation needs n a multiple of K, got n=${n}, K=${K}`);
  const logFact = new Float64Array(n + 2);
  for (let i = 1; i <= n + 1; i++) logFact[i] = logFact[i - 1] + Math.log(i);
  // P[i][j]: from i copies of A to j, binomial(n, i/n).
  const P = [];
  for (let i = 0; i <= n; i++) {
    const row = new Float64Array(n + 1);
    const p = i / n;
    if (i === 0) row[0] = 1;
    else if (i === n) row[n] = 1;
    else for (let j = 0; j <= n; j++) row[j] = Math.exp(logFact[n] - logFact[j] - logFact[n - j] + j * Math.log(p) + (n - j) * Math.log1p(-p));
    P.push(row);
  }
  const start = n / K;
  // f[i] = P(A fixed by generation g | i copies at 0); F[g] = f at the start.
  let f = new Float64Array(n + 1);
  f[n] = 1;
  const F = [f[start]];
  for (let g = 1; g <= generations; g++) {
    const next = new Float64Array(n + 1);
    for (let i = 0; i <= n; i++) {
      let s = 0;
      const row = P[i];
      for (let j = 0; j <= n; j++) s += row[j] * f[j];
      next[i] = s;
    }
    f = next;
    F.push(f[start]);
  }
  const { mean, sd } = fixationMoments(F, K);
  let median = null;
  for (let g = 0; g <= generations; g++) {
    if (K * F[g] >= 0.5) {
      median = g;
      break;
    }
  }
  return {
    mean,
    sd,
    median,
    pmf: (g) => (g <= 0 ? K * F[0] : K * (F[g] - F[g - 1])),
    diffusion: -2 * n * (K - 1) * Math.log1p(-1 / K),
  };
}

/**
 * From F(g) = P(A has fixed by g), g = 0…G: each replicate contributes X = K·τ_A·1{τ_A ≤ G}, whose
 * mean K·Σ_{g<G} (F(G) − F(g)) is E[T] up to the truncation at G, and whose second moment is
 * K²·Σ_{g<G} (2g + 1)(F(G) − F(g)) (τ² = Σ_{g<τ} (2g + 1)).
 */
export function fixationMoments(F, K) {
  const G = F.length - 1;
  let W = 0;
  let W2 = 0;
  for (let g = 0; g < G; g++) {
    const d = F[G] - F[g];
    W += d;
    W2 += (2 * g + 1) * d;
  }
  return { mean: K * W, sd: K * Math.sqrt(Math.max(0, W2 - W * W)) };
}

/**
 * The Wright–Fisher fixation time of K equally frequent types from a run of the two-type urn
 * (examples/wright-fisher): with the rare set {A} (`--tail-fraction` ≥ A's share),
 * tail_support − support + 1 is 1 exactly when A alone is left, so its replicate mean at g is
 * F(g) = P(A fixed by g), and E[T ∧ G] ≈ K·Σ_{g<G}(F(G) − F(g)). Each replicate contributes
 * τ_A·1{A fixed by G}, whose second moment is Σ_g (2g + 1)(F(G) − F(g)), so the standard error
 * comes from the same means. Returned in units of n (the sample size).
 */
function lumpedFixation(point, K) {
  const F = point.generations.map((row) => row.metrics.tail_support.mean - row.metrics.support.mean + 1);
  const R = point.config.replicates;
  const n = point.config.sampleSize;
  const { mean, sd } = fixationMoments(F, K);
  return { value: mean / n, se: sd / Math.sqrt(R) / n };
}

/**
 * One check's estimate from the runs' documents (`docs[runId]`): { value, se } (se 0 when exact,
 * null when none), and for some kinds the expected value the verdict compares with.
 */
export function estimate(check, docs) {
  const doc = docs[check.run];
  if (doc === undefined) throw new Error(`no results for run "${check.run}"`);
  const point = pointOf(doc, check.point);
  const e = check.estimate;
  switch (e.kind) {
    case "mean": {
      // "scale" multiplies the metric (M·mean_drift_sq is Dey and Donoho's ratio to σ²/M).
      const k = e.scale ?? 1;
      const s = stat(point, e.metric, e.generation);
      return { value: k * s.mean, se: k * s.se, theory: s.theory == null ? null : k * s.theory };
    }
    case "change": {
      const a = stat(point, e.metric, e.from ?? 0);
      const b = stat(point, e.metric, e.to ?? "last");
      return { value: b.mean - a.mean, se: Math.hypot(a.se, b.se), theory: null };
    }
    case "first-median-at-most": {
      const g = point.generations.findIndex((row) => row.metrics[e.metric].median <= e.threshold);
      return { value: g < 0 ? null : g, se: null, theory: null };
    }
    case "lumped-fixation":
      return { ...lumpedFixation(point, e.K), theory: null };
    case "extinctions": {
      const all = point.extinctions ?? [];
      const list = all.slice(0, e.count ?? 10);
      const first = all[0];
      const tied = first === undefined ? 0 : all.filter((x) => x.replicates === first.replicates && x.generation === first.generation).length;
      const lead =
        tied > list.length
          ? `${tied} categories were lost in ${Math.round(first.replicates * 100)}% of chains by median generation ${first.generation}; the first ${list.length} in the data's order: `
          : "";
      return {
        value: null,
        se: null,
        theory: null,
        text: lead + list.map((x) => `${x.category} (${Math.round(x.replicates * 100)}%, gen ${x.generation})`).join(", "),
      };
    }
    default:
      throw new Error(`unknown estimate kind ${e.kind}`);
  }
}

/**
 * The value ours is compared with: a number given in the manifest, the run's closed form
 * (`{"theory": true}`), or a computed expectation (`{"wrightFisher": {"K": 10}}`: the exact law of
 * wrightFisherFixation for the point's n and generations, in units of n; with "median": true its
 * median, whose standard error over R replicates is √(¼/R)/P(T = median)).
 */
export function expectedOf(check, est, docs) {
  const x = check.expected;
  if (x === undefined) return { value: check.published.value ?? null, se: 0 };
  if (typeof x.value === "number") return { value: x.value, se: 0 };
  if (x.theory) return { value: est.theory, se: 0 };
  if (x.wrightFisher) {
    const point = pointOf(docs[check.run], check.point);
    const n = point.config.sampleSize;
    const G = point.config.generations;
    const law = wrightFisherFixation(n, x.wrightFisher.K, G);
    if (x.wrightFisher.median) {
      const R = point.config.replicates;
      return { value: law.median, se: Math.sqrt(0.25 / R) / law.pmf(law.median), diffusion: law.diffusion };
    }
    return { value: law.mean / n, se: 0, diffusion: law.diffusion / n };
  }
  throw new Error(`${check.label}: "expected" must hold "value", "theory" or "wrightFisher"`);
}

/**
 * The verdict of one check: "agrees" or "differs" with the distance in standard errors, by the
 * manifest's rule — equal: |ours − expected| ≤ z·SE; below: ours ≤ bound + z·SE (not above the
 * bound beyond chance); above: ours − bound > z·SE (a real rise); info: no verdict.
 * SE = √(se_ours² + se_expected²).
 */
export function judge(check, est, exp) {
  const z = check.z ?? Z;
  if (check.verdict === "info" || est.value === null || exp.value === null || exp.value === undefined) return { verdict: "—", z };
  const se = Math.hypot(est.se ?? 0, exp.se ?? 0);
  const diff = est.value - exp.value;
  const inSe = se > 0 ? diff / se : diff === 0 ? 0 : Number.POSITIVE_INFINITY * Math.sign(diff);
  let ok;
  if (check.verdict === "equal") ok = Math.abs(diff) <= z * se;
  else if (check.verdict === "below") ok = diff <= z * se;
  else ok = diff > z * se;
  return { verdict: ok ? "agrees" : "differs", z, inSe };
}

/** A number for a table: 4 significant digits, scientific below 1e-3. */
export function fmt(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  if (x === 0) return "0";
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}

/** "agrees (0.8 SE)", "differs (6.1 SE)", or the bare word. */
function verdictText(v) {
  if (v.verdict === "—") return "—";
  const dist = v.inSe === undefined || !Number.isFinite(v.inSe) ? "" : ` (${v.inSe >= 0 ? "+" : "−"}${Math.abs(v.inSe).toFixed(1)} SE)`;
  return `${v.verdict}${dist}`;
}

function cell(s) {
  return String(s).replaceAll("|", "\\|").replaceAll("\n", " ");
}

/**
 * One example's section of docs/reproductions.md. `outcome` is { status: "ran", rows, figure,
 * texts, runs } or { status: "skipped", reason }.
 */
export function renderSection(example, outcome) {
  const lines = [`<!-- example:${example.name} -->`, `## ${example.order}. ${example.title}`, ""];
  lines.push(`**Source.** ${example.paper} — ${example.figure}`, "");
  lines.push(example.description, "");
  lines.push(`Folder: [\`examples/${example.name}/\`](../examples/${example.name}/) (its README says what is compared and how to run it).`, "");
  if (outcome.status === "skipped") {
    lines.push(`**Not reproduced yet:** ${outcome.reason}.`, "");
    const published = example.checks.filter((c) => c.published);
    if (published.length > 0) {
      lines.push("| quantity | published |", "| --- | --- |");
      for (const c of published) lines.push(`| ${cell(c.label)} | ${cell(c.published.text)} |`);
      lines.push("");
    }
  } else {
    lines.push(`Runs: ${outcome.runs.map((r) => `\`${r}\``).join("; ")}.`, "");
    lines.push("| quantity | published | ours ± se | expected here | verdict |", "| --- | --- | --- | --- | --- |");
    for (const r of outcome.rows) {
      const ours =
        r.est.text !== undefined ? r.est.text : r.est.se === null || r.est.se === undefined ? fmt(r.est.value) : `${fmt(r.est.value)} ± ${fmt(r.est.se)}`;
      const expected = r.exp.value === null || r.exp.value === undefined ? "—" : r.exp.se > 0 ? `${fmt(r.exp.value)} ± ${fmt(r.exp.se)}` : fmt(r.exp.value);
      lines.push(`| ${cell(r.check.label)} | ${cell(r.check.published.text)} | ${cell(ours)} | ${cell(expected)} | ${cell(verdictText(r.verdict))} |`);
    }
    lines.push("");
    const zs = [...new Set(outcome.rows.filter((r) => r.verdict.verdict !== "—").map((r) => r.verdict.z.toFixed(2)))];
    if (zs.length > 0) {
      lines.push(
        `Verdicts: *agrees* when ours is within z·SE of the expected value (z = ${zs.join(", ")}, the test suite's two-sided 1e-6; SE = √(se_ours² + se_expected²)); for a bound, when ours is not above it by more than z·SE; for a rise, when it exceeds z·SE.`,
        "",
      );
    }
    if (outcome.figure) lines.push(`![${example.title}](reproductions/${outcome.figure})`, "");
    for (const t of outcome.texts ?? []) lines.push(`<details><summary>${t.title}</summary>`, "", t.text.trim(), "", "</details>", "");
  }
  lines.push(`<!-- /example:${example.name} -->`);
  return lines.join("\n");
}

const HEADER = `# Reproductions

Published results of the model-collapse literature, re-run with \`collapse\`. Generated by
\`npm run reproduce\` (scripts/reproduce.mjs) from the manifests in [\`examples/\`](../examples/):
each example's folder holds its configs, a README and \`example.json\`, which names the commands,
what to extract from their results, the published values and the tolerance. Do not edit by hand:
edit a manifest and run \`npm run reproduce\` (or \`npm run reproduce -- NAME\` for one example,
which rewrites only its section).
`;

/**
 * The whole document: the header, then one section per example in order. `previous` is the old
 * document: sections of examples not in `sections` are kept from it, so re-running one example
 * rewrites only its own section.
 */
export function renderDocument(examples, sections, previous = "") {
  const kept = new Map();
  for (const m of previous.matchAll(/<!-- example:([a-z0-9-]+) -->[\s\S]*?<!-- \/example:\1 -->/g)) kept.set(m[1], m[0]);
  const parts = [HEADER];
  for (const e of examples) {
    const s = sections.get(e.name) ?? kept.get(e.name);
    if (s !== undefined) parts.push(s);
  }
  return parts.join("\n") + "\n";
}
