/**
 * Property: the little languages — `--source` specs and `--assert` expressions — given arbitrary
 * text, parse (and, for assertions, evaluate) or throw a CollapseError; never another exception.
 * Seed: SEED in arbitraries.ts (fixed).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { compileAssertions, evaluateAssertions } from "../../src/check/assert.js";
import { drawNumbers, isNumericSource, parseSource, zipfProbabilities } from "../../src/data/source.js";
import { Rng } from "../../src/stats/rng.js";
import { fakeResult } from "../check/fake.js";
import { anyText, onlyCollapseErrors, onlyCollapseErrorsAsync, RUNS } from "./arbitraries.js";

const FINITE = fc.oneof(
  fc.constantFrom("0", "1", "-1", "1e-300", "1e308", "0.5", "2", "1e12", "-0"),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
);
const NUMBER = fc.oneof(FINITE, fc.constantFrom("1e400", "-1e400", "NaN", "Infinity", "x", ""));
const DIST = fc.constantFrom("normal", "uniform", "laplace", "t", "zipf", "mixture", "gamma", "");

/** Specs that look like the grammar: name(args), mixtures of weighted parts, nested a few deep. */
const specOf = (number: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.letrec<{ spec: string }>((tie) => ({
    spec: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.tuple(DIST, fc.array(number, { maxLength: 4 })).map(([d, a]) => `${d}(${a.join(",")})`),
      fc.array(fc.tuple(number, tie("spec")), { minLength: 1, maxLength: 3 }).map((parts) => `mixture(${parts.map(([w, s]) => `${w}*${s}`).join(",")})`),
    ),
  })).spec;
const specLike = specOf(NUMBER);
const finiteSpecLike = specOf(FINITE);

/** Draws 8 values from a spec that parses; a refusal must be a CollapseError. */
function drawSome(text: string): void {
  const spec = onlyCollapseErrors(() => parseSource(text));
  if (spec instanceof Error) return;
  if (isNumericSource(spec)) onlyCollapseErrors(() => drawNumbers(spec, 8, new Rng("1")));
  else if (spec.kind === "zipf" && spec.k <= 1e5) onlyCollapseErrors(() => zipfProbabilities(spec.s, spec.k));
}

describe("property: --source specs", () => {
  it("arbitrary text parses or gives a CollapseError", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, specLike), (text) => void onlyCollapseErrors(() => parseSource(text))),
      RUNS,
    );
  });

  it("a spec with finite parameters that parses can be drawn from, or is refused with a CollapseError", () => {
    fc.assert(fc.property(finiteSpecLike, drawSome), RUNS);
  });

  // Known failing (issue 10, item 6): t(1e400) parses as t(Infinity) and the sampler then loops
  // forever (ignoring SIGTERM); normal(1e400,1) throws a RangeError. Un-skip once fixed.
  it("any spec that parses, infinite parameters included, can be drawn from or is refused with a CollapseError", () => {
    fc.assert(fc.property(specLike, drawSome), RUNS);
  });

  // Known failing: a spec holding a newline is echoed raw, so the message spans two lines.
  it("every --source error is one line", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, specLike), (text) => void onlyCollapseErrors(() => parseSource(text), true)),
      RUNS,
    );
  });
});

const METRICS = ["var_ratio", "mean_drift", "kl", "tail_loss_2"];
const G = 4;
const RESULT = fakeResult(Object.fromEntries(METRICS.map((m, i) => [m, Array.from({ length: G + 1 }, (_, g) => (i + 1) / (g + 1))])));
const ATOM = fc.oneof(
  fc.constantFrom(...METRICS, "var_rati", "end", "first", "last", "min", "max", "mean", "median", "abs", "log", "exp", "sqrt", "sd", "se", "p025", "p975"),
  NUMBER,
  fc.constantFrom("import", "evaluate", "x = 1", '"s"', "2 cm", "[1,2]", "{a:1}", "f(x) = x"),
);
const OP = fc.constantFrom(" < ", " <= ", " > ", " >= ", " == ", " != ", " and ", " or ", " + ", " - ", " * ", " / ", " ^ ", "", " not ");

/** Expressions that look like the language: atoms joined by operators, with indexes and calls. */
const exprLike: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    ATOM,
    fc.tuple(ATOM, fc.constantFrom("[0]", "[1]", "[end]", "[1:3]", "[9]", "[-1]", "[0.5]", "[]", "[1,2]")).map(([a, i]) => a + i),
    fc.tuple(tie("e"), OP, tie("e")).map(([a, o, b]) => a + o + b),
    fc.tuple(fc.constantFrom("abs", "max", "mean", "log", "first", "sd", "("), tie("e")).map(([f, a]) => (f === "(" ? `(${a})` : `${f}(${a})`)),
  ),
})).e;

describe("property: --assert expressions", () => {
  it("arbitrary text compiles and evaluates, or gives a CollapseError", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyText, exprLike, exprLike), async (text) => {
        const compiled = await onlyCollapseErrorsAsync(() => compileAssertions([text], { metrics: METRICS, generations: G + 1 }));
        if (compiled instanceof Error) return;
        onlyCollapseErrors(() => evaluateAssertions(compiled, RESULT));
      }),
      RUNS,
    );
  });
});
