/**
 * The README's section "The web fills up" and examples/web-fills-up/: the shown runs print what the
 * README says they print (all six tables, byte for byte up to the chart), and the
 * example configs run with `collapse sweep --config` and `collapse sim --config`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./cli.js";
import { cli } from "./in-process.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const SECTION = README.slice(README.indexOf("## The web fills up"), README.indexOf("## Metrics (continuous models)"));

/** The output shown after `$ command` in the section's console blocks, up to the next command or the block's end. */
function shownAfter(command: string): string {
  const at = SECTION.indexOf(`$ ${command}\n`);
  expect(at, command).toBeGreaterThanOrEqual(0);
  const rest = SECTION.slice(at + command.length + 3);
  const end = Math.min(...["\n$ ", "\n```"].map((m) => rest.indexOf(m)).filter((i) => i >= 0));
  return rest.slice(0, end + 1);
}

/** What `collapse …` prints as a table, up to the chart (which the README leaves out). */
async function table(args: string[]): Promise<string> {
  const r = await cli([...args, "--no-color"]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.slice(0, r.stdout.indexOf("\n\n") + 1);
}

describe("README: the web fills up", () => {
  it("every table of the section is what its command prints (replace and accumulate-subsample too)", async () => {
    const commands = [...SECTION.matchAll(/^\$ collapse (sim .*)$/gm)].map((m) => m[1]!);
    expect(commands).toHaveLength(6);
    const printed = await Promise.all(commands.map((c) => table(c.split(" "))));
    commands.forEach((c, i) => expect(printed[i], c).toBe(shownAfter(`collapse ${c}`)));
    // The real share the prose reads: 97.8 % at generation 1, 12 % at generation 9 (the dogs' web run).
    const dogs = printed[commands.findIndex((c) => c.includes("dog-breeds") && c.includes("--regime mix"))]!;
    expect(dogs).toMatch(/^ {2}1 {2}97\.8% /m);
    expect(dogs).toMatch(/^ {2}9 {2}12\.2% /m);
  });
});

describe("examples/web-fills-up", () => {
  it("the sweep configs run (shortened by flags, which override them) and record schedules as given", async () => {
    const short = ["-g", "2", "-r", "2", "--format", "json"];
    const [dogs, ngram, sim] = await Promise.all([
      cli(["sweep", "--config", "examples/web-fills-up/dog-breeds.json", ...short]),
      cli(["sweep", "--config", "examples/web-fills-up/ngram.json", ...short, "--sample-size", "2000"]),
      cli(["sim", "--config", "examples/web-fills-up/web.json", ...short]),
    ]);
    for (const r of [dogs, ngram, sim]) expect(r.status, r.stderr).toBe(0);
    for (const r of [dogs, ngram]) {
      const doc = JSON.parse(r.stdout);
      expect(doc.config.grid).toEqual({ regime: ["mix", "accumulate-subsample", "replace"], filterRecall: ["0.8..0.2", 0] });
      expect(doc.points).toHaveLength(6);
      expect(doc.points[0].config.realFraction).toBe("0.9..0.1");
      // The replace points train on synthetic data only.
      expect(doc.points[5].generations[2].training.real).toBe(0);
    }
    const run = JSON.parse(sim.stdout);
    expect(run.config).toMatchObject({ regime: "mix", realFraction: "0.9..0.1", filterRecall: "0.8..0.2" });
    expect(run.generations.map((g: { training: { real: number } }) => g.training.real)).toEqual([199993, 179994, 19999]);
  });
});
