/**
 * Schedules of --real-fraction and --filter-recall (src/core/schedule.ts, ARCHITECTURE §1): parsing,
 * canonical spelling, the value of each generation, one-line errors, and how the loop follows them.
 */
import { describe, expect, it } from "vitest";
import { type RawOption, resolveSimConfig } from "../../src/config/resolve.js";
import { runReplicates } from "../../src/core/loop.js";
import { BadSchedule, parseSchedule, scheduleAt, scheduleValues, varies } from "../../src/core/schedule.js";
import { UsageError } from "../../src/errors.js";
import { simulate as simulateLib } from "../../src/lib/simulate.js";
import { collapse } from "../cli/cli.js";
import { flags, meanOf } from "../helpers.js";
import { prepare, simulate } from "../run.js";

function usageMessage(raw: Map<string, RawOption>): string {
  try {
    resolveSimConfig(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error("expected a UsageError");
}

const fromFile = (o: Record<string, unknown>) =>
  new Map<string, RawOption>(Object.entries(o).map(([k, v]) => [k, { value: v, origin: { kind: "config", file: "web.json" } }]));

describe("parseSchedule", () => {
  it("keeps numbers as numbers, and spells schedules canonically", () => {
    expect(parseSchedule(0.5, 0, 1)).toBe(0.5);
    expect(parseSchedule("0.90..0.10", 0, 1)).toBe("0.9..0.1");
    expect(parseSchedule(" 0.9 .. 1e-1 ", 0, 1)).toBe("0.9..0.1");
    expect(parseSchedule("(0.9, 0.5, 0.2)", 0, 1)).toBe("0.9,0.5,0.2");
    expect(parseSchedule([0.9, 0.5, 0.2], 0, 1)).toBe("0.9,0.5,0.2");
    expect(parseSchedule(["0.9", 0.5], 0, 1)).toBe("0.9,0.5");
    // Trailing repeats say nothing more; equal values are a number.
    expect(parseSchedule("0.9,0.5,0.5,0.5", 0, 1)).toBe("0.9,0.5");
    expect(parseSchedule("0.3,0.3", 0, 1)).toBe(0.3);
    expect(parseSchedule("0.3..0.3", 0, 1)).toBe(0.3);
    expect(parseSchedule([0.4], 0, 1)).toBe(0.4);
    expect(varies("0.9..0.1")).toBe(true);
    expect(varies(0.9)).toBe(false);
  });

  it("rejects empty lists, bad numbers and values out of range, naming the bad value", () => {
    const reason = (v: unknown) => {
      try {
        parseSchedule(v, 0, 1);
      } catch (e) {
        expect(e).toBeInstanceOf(BadSchedule);
        return (e as Error).message;
      }
      throw new Error("expected BadSchedule");
    };
    expect(reason("()")).toMatch(/empty schedule/);
    expect(reason("")).toMatch(/empty schedule/);
    expect(reason([])).toMatch(/empty list \[\]/);
    expect(reason("0.5,,0.2")).toMatch(/empty value in the list "0.5,,0.2"/);
    expect(reason("0.9..1.5")).toBe('must be a number >= 0 and <= 1 in every generation, got 1.5 at the end of the ramp "0.9..1.5"');
    expect(reason("-0.1..0.5")).toMatch(/got -0.1 at the start of the ramp/);
    expect(reason("0.2,1.2")).toMatch(/got 1.2 in the list "0.2,1.2"/);
    expect(reason([0.2, 2])).toMatch(/got 2 in the list \[0.2,2\]/);
    expect(reason("0.5,x")).toMatch(/got "x" in "0.5,x"/);
    expect(reason("0.9..0.5..0.1")).toBe('expects a ramp written a..b (e.g. 0.9..0.1), got "0.9..0.5..0.1"');
    expect(reason("0.9..")).toMatch(/^expects a ramp written a\.\.b/);
    expect(reason([0.5, null])).toMatch(/got null/);
    expect(reason({ a: 1 })).toMatch(/expects a number, a comma list/);
  });
});

describe("a huge schedule", () => {
  it("is quoted cut short in a message (one short line), and read once for all generations", () => {
    const huge = `${"0.5,".repeat(50_000)}x`;
    let message = "";
    try {
      parseSchedule(huge, 0, 1);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/got "x" in "0\.5,0\.5,/);
    expect(message.length).toBeLessThan(400);
    const list = parseSchedule(
      Array.from({ length: 100_000 }, (_, i) => (i % 10) / 10),
      0,
      1,
    );
    const values = scheduleValues(list, 100_000);
    expect([values[1], values[2], values[100_000]]).toEqual([0, 0.1, 0.9]);
  });
});

describe("the value of each generation", () => {
  it("a list gives one value per generation, the last repeated", () => {
    expect([1, 2, 3, 4, 5].map((g) => scheduleAt("0.9,0.5,0.2", g, 5))).toEqual([0.9, 0.5, 0.2, 0.2, 0.2]);
  });

  it("a ramp goes from a at generation 1 to b at generation G, exactly at both ends", () => {
    expect(Array.from(scheduleValues("0.9..0.1", 9)).slice(1)).toEqual([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1].map((x) => expect.closeTo(x, 14)));
    expect(scheduleAt("0.9..0.1", 1, 9)).toBe(0.9);
    expect(scheduleAt("0.9..0.1", 9, 9)).toBe(0.1);
    expect(scheduleAt("0.8..0.2", 1, 1)).toBe(0.8);
    expect(scheduleAt(0.3, 7, 9)).toBe(0.3);
  });
});

describe("resolving a schedule", () => {
  it("from flags, config files and the library; the document records the canonical text", async () => {
    expect(resolveSimConfig(flags({ regime: "mix", realFraction: "0.90..0.10" })).realFraction).toBe("0.9..0.1");
    expect(resolveSimConfig(fromFile({ regime: "mix", realFraction: [0.9, 0.5] })).realFraction).toBe("0.9,0.5");
    expect(resolveSimConfig(fromFile({ regime: "mix", "filter-recall": "0.8..0.2" })).filterRecall).toBe("0.8..0.2");
    // A plain number keeps its old path, and its bytes.
    expect(resolveSimConfig(flags({ regime: "mix", realFraction: "0.50" })).realFraction).toBe(0.5);
    const doc = await simulateLib({ regime: "mix", realFraction: [0.9, 0.1], filterRecall: "0.5..0", generations: 2, replicates: 2 });
    expect(doc.config.realFraction).toBe("0.9,0.1");
    expect(doc.config.filterRecall).toBe("0.5..0");
    // NaN, which the library can be given and JSON cannot spell, is named as NaN, not as null.
    await expect(simulateLib({ regime: "mix", realFraction: Number.NaN })).rejects.toThrow('options: "realFraction" must be finite, got NaN');
    await expect(simulateLib({ regime: "mix", realFraction: [0.5, Number.NaN] })).rejects.toThrow(/got NaN in \[0\.5,NaN\]$/);
    await expect(simulateLib({ filterRecall: Infinity })).rejects.toThrow(/"filterRecall" must be finite, got Infinity$/);
  });

  it("bad values fail with one line naming the flag or key and the value", () => {
    expect(usageMessage(flags({ regime: "mix", realFraction: "0.9..1.5" }))).toBe(
      '--real-fraction must be a number >= 0 and <= 1 in every generation, got 1.5 at the end of the ramp "0.9..1.5"',
    );
    expect(usageMessage(fromFile({ regime: "mix", realFraction: [] }))).toMatch(/^web\.json: "realFraction" got an empty list \[\]/);
    expect(usageMessage(flags({ filterRecall: "0.5,-1" }))).toMatch(/^--filter-recall must be .* got -1 in the list "0.5,-1"$/);
    // Under replace a recall of 1 at any generation leaves nothing to train on.
    expect(usageMessage(flags({ filterRecall: "0.5..1" }))).toMatch(/--filter-recall "0.5..1" reaches 1, which removes every synthetic sample/);
    expect(usageMessage(flags({ realFraction: "0.9..0.1" }))).toMatch(/--real-fraction applies to --regime mix or fresh, not replace/);
  });

  it("on the command line: exit 2, one line on stderr, no stack trace", () => {
    for (const [args, pattern] of [
      [["--regime", "mix", "--real-fraction", "0.9..1.5"], /1\.5 at the end of the ramp/],
      [["--regime", "mix", "--real-fraction", "()"], /empty schedule/],
      [["--filter-recall", "0.2,,0.1"], /empty value in the list/],
    ] as const) {
      const r = collapse(["sim", "-g", "2", "-r", "2", ...args]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(pattern)]);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
  });
});

describe("the loop follows a schedule", () => {
  it("mix: round(A_g·M) real rows at generation g", () => {
    const { prepared } = prepare(resolveSimConfig(flags({ regime: "mix", realFraction: "0.9..0.1", sampleSize: 50, generations: 5, replicates: 3 })));
    const block = runReplicates(prepared, 0, 3);
    const expected = [0.9, 0.7, 0.5, 0.3, 0.1].map((a) => Math.round(a * 50));
    for (let g = 1; g <= 5; g++) {
      for (let r = 0; r < 3; r++) {
        expect(block.real[g * 3 + r]).toBe(expected[g - 1]);
        expect(block.synthetic[g * 3 + r]).toBe(50 - expected[g - 1]!);
      }
    }
  });

  it("fresh: a list, the last value repeated", () => {
    const { prepared } = prepare(resolveSimConfig(flags({ regime: "fresh", realFraction: "0.5,0.2", sampleSize: 40, generations: 4, replicates: 2 })));
    const block = runReplicates(prepared, 0, 2);
    expect(Array.from(block.real.filter((_, i) => i % 2 === 0))).toEqual([100, 20, 8, 8, 8]);
  });

  it("the filter: generation g keeps each synthetic row with probability 1 − r_g", () => {
    // accumulate with recall 0.8..0.2 over G = 3: E[kept] = M·(1 − r_g), r = 0.8, 0.5, 0.2.
    const R = 400;
    const { prepared } = prepare(resolveSimConfig(flags({ regime: "accumulate", filterRecall: "0.8..0.2", sampleSize: 100, generations: 3, replicates: R })));
    const block = runReplicates(prepared, 0, R);
    let before = new Float64Array(R);
    for (let g = 1; g <= 3; g++) {
      const now = block.synthetic.slice(g * R, (g + 1) * R);
      const kept = now.map((x, i) => x - before[i]!);
      const keep = 1 - [0.8, 0.5, 0.2][g - 1]!;
      // Binomial(M, keep) per replicate: SE of the mean √(M·keep·(1 − keep)/R).
      const se = Math.sqrt((100 * keep * (1 - keep)) / R);
      expect(Math.abs(meanOf(kept) - 100 * keep)).toBeLessThanOrEqual(4.9 * se);
      before = now;
    }
  });

  it("a constant schedule gives the same bytes as the number", () => {
    const a = simulate(resolveSimConfig(flags({ regime: "mix", realFraction: "0.3", generations: 3, replicates: 3 }))).result;
    const b = simulate(resolveSimConfig(flags({ regime: "mix", realFraction: "0.3,0.3", generations: 3, replicates: 3 }))).result;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("--theory gives no closed form when a schedule varies, and says so", () => {
    const { result, notes } = simulate(resolveSimConfig(flags({ regime: "accumulate", filterRecall: "0.2..0", generations: 2, replicates: 2, theory: true })));
    expect(result.generations.every((g) => g.theory === undefined)).toBe(true);
    expect(notes.join("\n")).toMatch(/no closed form when --filter-recall changes by generation/);
  });
});
