/** The assertion language: indexing, functions, comparisons, and what it refuses. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileAssertions, evaluateAssertions } from "../../src/check/assert.js";
import { UsageError } from "../../src/errors.js";
import { fakeResult } from "./fake.js";

// var_ratio by generation 0…4; `mean` is also a metric name (it is one of the Gaussian's).
const RESULT = fakeResult(
  {
    var_ratio: [1, 0.9, 0.8, 0.7, 0.6],
    mean: [0, 1, 2, 3, 10],
    tail_loss_2: [0, 0.1, 0.2, 0.3, 0.4],
    kl: [0, NaN, 1, 1, 1],
  },
  { var_ratio: [0, 0.01, 0.02, 0.03, 0.04] },
);
const CONTEXT = { metrics: Object.keys(RESULT.generations[0]!.metrics), generations: RESULT.generations.length };

async function verdict(expr: string): Promise<boolean> {
  const [outcome] = evaluateAssertions(await compileAssertions([expr], CONTEXT), RESULT);
  return outcome!.ok;
}

async function problem(expr: string): Promise<string> {
  try {
    await compileAssertions([expr], CONTEXT);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const message = (e as Error).message;
    expect(message.startsWith(`--assert ${JSON.stringify(expr)}: `)).toBe(true);
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error(`expected ${expr} to be refused`);
}

describe("assertions: indexing", () => {
  it("metric[g] is generation g, counted from 0 like the output (not mathjs's 1-based indexing)", async () => {
    expect(await verdict("var_ratio[0] == 1")).toBe(true);
    expect(await verdict("var_ratio[2] == 0.8")).toBe(true);
    expect(await verdict("var_ratio[1] == 1")).toBe(false);
    expect(await verdict("var_ratio[end] == 0.6")).toBe(true);
    expect(await verdict("var_ratio[end - 1] == 0.7")).toBe(true);
  });

  it("ranges include both ends; a:step:b steps", async () => {
    expect(await verdict("mean(var_ratio[1:2]) == (0.9 + 0.8) / 2")).toBe(true);
    expect(await verdict("min(var_ratio[0:2:end]) == 0.6 and max(var_ratio[0:2:end]) == 1")).toBe(true);
    expect(await verdict("first(var_ratio[3:end]) == 0.7")).toBe(true);
  });

  it("refuses indexes outside 0…G, fractional, negative or not constant", async () => {
    expect(await problem("var_ratio[5] < 1")).toMatch(/index 5 is outside 0…4; generations are numbered from 0/);
    expect(await problem("var_ratio[-1] < 1")).toMatch(/index -1 is outside 0…4/);
    expect(await problem("var_ratio[1.5] < 1")).toMatch(/outside|whole/);
    expect(await problem("var_ratio[var_ratio[0]] < 1")).toMatch(/an index must be a constant number/);
    expect(await problem("var_ratio[1, 2] < 1")).toMatch(/takes one index/);
    expect(await problem("var_ratio[3:1] < 1")).toMatch(/is empty/);
    expect(await problem("end < 1")).toMatch(/end is only meaningful inside brackets/);
  });
});

describe("assertions: functions and operators", () => {
  it("reducers work on the vector over generations", async () => {
    expect(await verdict("first(var_ratio) == 1 and last(var_ratio) == 0.6")).toBe(true);
    expect(await verdict("min(var_ratio) == 0.6 and max(var_ratio) == 1")).toBe(true);
    // mean over [0,1,2,3,10] = 3.2, median = 2: the metric named mean and the function mean coexist.
    expect(await verdict("mean(mean) == 3.2 and median(mean) == 2")).toBe(true);
    expect(await verdict("median(mean[0:3]) == 1.5")).toBe(true); // even count: average of the middle two
    expect(await verdict("min(var_ratio[1], 0.5) == 0.5 and max(1, 2, 3) == 3")).toBe(true);
  });

  it("elementwise functions and arithmetic, on numbers and vectors", async () => {
    expect(await verdict("max(abs(var_ratio - 1)) == 0.4")).toBe(true);
    expect(await verdict("abs(log(exp(2)) - 2) < 1e-15 and sqrt(var_ratio[0] * 4) == 2")).toBe(true);
    expect(await verdict("last(2 * tail_loss_2 + var_ratio) == 1.4")).toBe(true);
    expect(await verdict("-var_ratio[0] == -1 and 2 ^ 3 == 8 and 50% == 0.5")).toBe(true);
  });

  it("sd, se, p025, p50, p975 read the replicate summaries", async () => {
    expect(await verdict("se(var_ratio)[4] == 0.04")).toBe(true);
    expect(await verdict("sd(var_ratio)[4] == 0.4")).toBe(true);
    expect(await verdict("p50(mean)[4] == 10.5 and p025(mean)[4] == 9 and p975(mean)[4] == 11")).toBe(true);
  });

  it("comparisons, chains and logic; a comparison with NaN is false", async () => {
    expect(await verdict("0.5 < var_ratio[4] < 0.7")).toBe(true);
    expect(await verdict("0.5 < var_ratio[4] < 0.55")).toBe(false);
    expect(await verdict("var_ratio[4] <= 0.6 and var_ratio[4] >= 0.6 and var_ratio[4] != 0.5")).toBe(true);
    expect(await verdict("not (var_ratio[4] > 0.6) or var_ratio[0] > 10")).toBe(true);
    expect(await verdict("kl[1] < 1")).toBe(false);
    expect(await verdict("kl[1] >= 1")).toBe(false);
    expect(await verdict("kl[1] != kl[1]")).toBe(true);
  });

  it("reports the value of every non-constant side of a comparison", async () => {
    const [outcome] = evaluateAssertions(await compileAssertions(["var_ratio[4] > 0.65 and last(tail_loss_2) > (0.1)"], CONTEXT), RESULT);
    expect(outcome!.ok).toBe(false);
    expect(outcome!.values).toEqual([
      { text: "var_ratio[4]", value: 0.6 },
      { text: "last(tail_loss_2)", value: 0.4 },
    ]);
  });
});

describe("assertions: refused expressions (exit 2, naming the problem)", () => {
  it("unknown names, with the known metrics and a suggestion", async () => {
    expect(await problem("var_rati[4] < 1")).toMatch(/unknown metric var_rati \(did you mean var_ratio\?\); known: var_ratio, mean, tail_loss_2, kl$/);
    expect(await problem("foo(var_ratio) < 1")).toMatch(
      /unknown function foo; allowed: first, last, min, max, mean, median, abs, log, exp, sqrt, sd, se, p025, p50, p975/,
    );
    expect(await problem("var_ratio(3) < 1")).toMatch(/var_ratio is a metric, not a function: index it, e.g. var_ratio\[9\]/);
    expect(await problem("last < 1")).toMatch(/last is a function: call it on a metric/);
    expect(await problem("se(nope)[1] < 1")).toMatch(/unknown metric nope/);
    expect(await problem("se(var_ratio[1]) < 1")).toMatch(/se\(…\) takes one metric name/);
  });

  it("syntax errors and anything that is not a comparison", async () => {
    expect(await problem("var_ratio[4] <")).toMatch(/syntax error: Unexpected end of expression/);
    expect(await problem("var_ratio[4]")).toMatch(/is not a comparison \(it gives a number\)/);
    expect(await problem("var_ratio")).toMatch(/is not a comparison \(it gives a vector\)/);
    expect(await problem("var_ratio < 1")).toMatch(/cannot compare var_ratio, a vector; index it/);
    expect(await problem("(var_ratio[1] < 1) + 1 > 0")).toMatch(/\+ needs numbers/);
    expect(await problem("var_ratio[1] and var_ratio[2] < 1")).toMatch(/and combines comparisons/);
    expect(await problem("   ")).toMatch(/empty expression/);
    expect(await problem("var_ratio[0:1] + var_ratio < 1")).toMatch(/different lengths/);
  });

  it("nothing but the metrics: no mathjs functions, assignments, strings, objects or prototype names", async () => {
    for (const name of [
      "import",
      "createUnit",
      "evaluate",
      "parse",
      "simplify",
      "derivative",
      "compile",
      "help",
      "constructor",
      "toString",
      "__proto__",
      "hasOwnProperty",
    ]) {
      expect(await problem(`${name}(var_ratio) < 1`)).toMatch(new RegExp(`unknown function ${name.replace(/[_$]/g, "\\$&")}`));
    }
    expect(await problem("x = 1")).toMatch(/assignment is not allowed/);
    expect(await problem("f(x) = 1")).toMatch(/a function definition is not allowed/);
    expect(await problem("var_ratio[1] < 1; var_ratio[2] < 1")).toMatch(/more than one expression/);
    expect(await problem('"a" == "a"')).toMatch(/only numbers are allowed as constants/);
    expect(await problem("true")).toMatch(/only numbers are allowed as constants/);
    expect(await problem("[1, 2] == 1")).toMatch(/an array literal is not allowed/);
    expect(await problem("{a: 1} == 1")).toMatch(/an object literal is not allowed/);
    expect(await problem("var_ratio[1] > 0 ? 1 : 0")).toMatch(/the \?: conditional is not allowed/);
    expect(await problem("var_ratio.length > 0")).toMatch(/property access/);
    expect(await problem("5 cm < 1")).toMatch(/unknown metric cm/);
    expect(await problem("var_ratio[1]! > 0")).toMatch(/operator ! is not allowed/);
    expect(await problem("var_ratio[1] to cm")).toMatch(/operator to is not allowed|unknown metric cm/);
    expect(await problem("5 mod 2 == 1")).toMatch(/operator mod is not allowed/);
  });

  it("mathjs is loaded lazily: no file of the check code imports it at start-up", () => {
    const root = new URL("../../src/", import.meta.url).pathname;
    const files = [...readdirSync(join(root, "check")).map((f) => join(root, "check", f)), join(root, "cli", "check.ts")];
    for (const file of files) {
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (/^\s*import\s.*from\s+"mathjs/.test(line)) expect(line, file).toMatch(/^\s*import type /);
      }
    }
  });
});

describe("assertions: size and depth", () => {
  it("refuses an expression longer than 1000 characters before parsing it", async () => {
    const chained = Array(3000).fill("var_ratio[1]").join(" + ") + " < 1";
    const message = await refused(chained);
    expect(message).toMatch(/longer than 1000 characters \(45001\); split it into several --assert/);
    expect(message.length).toBeLessThan(400);
  });

  it("refuses brackets nested deeper than 32 levels, and accepts 32", async () => {
    const deep = (n: number) => "(".repeat(n) + "var_ratio[1]" + ")".repeat(n) + " < 1";
    expect(await refused(deep(33))).toMatch(/brackets nested deeper than 32 levels at character 33/);
    expect(await verdict(deep(31))).toBe(true);
    expect(await refused("abs(".repeat(40) + "var_ratio[1]" + ")".repeat(40) + " < 1")).toMatch(/nested deeper than 32/);
  });

  it("evaluates the longest chains the limit allows without overflowing", async () => {
    expect(await verdict(Array(65).fill("var_ratio[1]").join(" + ") + " > 1")).toBe(true);
    expect(await verdict("-".repeat(980) + "var_ratio[1] < 1")).toBe(true);
    expect(await verdict("not ".repeat(240) + "(var_ratio[1] < 1)")).toBe(true);
    expect(await verdict(Array(45).fill("var_ratio[1] < 1").join(" and "))).toBe(true);
  });

  it("quotes at most a short excerpt of the expression and of its parts", async () => {
    const message = await refused(`nope${"x".repeat(900)}[1] < 1`);
    expect(message).toMatch(/unknown metric nopex+…x+/);
    expect(message.length).toBeLessThan(400);
  });
});

async function refused(expr: string): Promise<string> {
  try {
    await compileAssertions([expr], CONTEXT);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const message = (e as Error).message;
    expect(message.startsWith("--assert ")).toBe(true);
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error(`expected ${expr.slice(0, 50)} to be refused`);
}

describe("assertions on arbitrary text (property)", () => {
  it("compile or throw UsageError with one short line, never anything else", async () => {
    const fc = (await import("fast-check")).default;
    const exprish = fc
      .array(fc.constantFrom("var_ratio", "[1]", "[end]", "(", ")", " + ", " - ", "^", " < ", " and ", "not ", "abs(", "1", "mean", ","), { maxLength: 300 })
      .map((p) => p.join(""));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: "binary", maxLength: 2000 }), exprish), async (text) => {
        try {
          await compileAssertions([text], CONTEXT);
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
          expect((e as Error).message).not.toContain("\n");
          expect((e as Error).message.length).toBeLessThan(500);
        }
      }),
      { numRuns: 300, seed: 10 },
    );
  });
});
