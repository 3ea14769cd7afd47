/**
 * examples/medieval-ngram, reduced: two generations of the bundled corpus, three replicates: the
 * held-out perplexity rises, words are lost, the extinction timeline names them, and
 * --show-samples prints every generation's text.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Check, estimate } from "../../scripts/reproduce/lib.mjs";
import { ROOT } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { expectCheck } from "./expect-check.js";

const DIR = join(ROOT, "examples", "medieval-ngram");
const manifest = JSON.parse(readFileSync(join(DIR, "example.json"), "utf8")) as { checks: Check[] };

describe("examples/medieval-ngram, reduced", () => {
  it("perplexity rises, words vanish, and the first to vanish are named", async () => {
    const r = await cli(["sim", "--config", "story.json", "-g", "2", "-r", "3", "--format", "json", "--quiet"], { cwd: DIR });
    expect(r.stderr).toBe("");
    const story = JSON.parse(r.stdout);
    for (const check of manifest.checks.filter((c) => c.verdict !== "info")) {
      const g = check.estimate.generation;
      expectCheck({ ...check, estimate: { ...check.estimate, generation: typeof g === "number" ? Math.min(g, 2) : g } }, { story });
    }
    const first = manifest.checks.find((c) => c.estimate.kind === "extinctions")!;
    const named = estimate(first, { story }).text!;
    expect(named).toMatch(/^\d+ categories were lost in 100% of chains by median generation 1; the first 10 in the data's order: \S+ \(100%, gen 1\)/);
  });

  it("--show-samples gives a sample of every generation", async () => {
    const r = await cli(["sim", "--config", "story.json", "-g", "2", "-r", "1", "--show-samples", "--format", "markdown", "--quiet"], { cwd: DIR });
    expect(r.status).toBe(0);
    for (const g of [0, 1, 2]) expect(r.stdout).toMatch(new RegExp(`^- generation ${g}: \\S+`, "m"));
  });
});
