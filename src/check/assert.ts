/**
 * --assert "EXPR": expressions over a run's per-generation replicate means (language in
 * expression.ts). mathjs's parser is loaded on first use only — importing mathjs costs about half
 * a second of start-up, which a run without assertions must not pay.
 */
import type { MathNode } from "mathjs";
import type { SimResult } from "../core/result.js";
import { UsageError } from "../errors.js";
import { excerpt, quote } from "../excerpt.js";
import { type CompiledExpression, compileExpression, type ExpressionContext, ExpressionError, type Series, type Stat } from "./expression.js";

export interface Assertion {
  readonly text: string;
  readonly compiled: CompiledExpression;
}

export interface AssertionOutcome {
  readonly text: string;
  readonly ok: boolean;
  /** The values the verdict rests on: every non-constant side of a comparison. */
  readonly values: readonly { readonly text: string; readonly value: number }[];
  /** Sweep baselines: the index of the point it was evaluated at. */
  readonly point?: number;
}

/**
 * Limits checked before mathjs sees the text. Its parser, and the compiler and printer of its
 * trees, recurse once per level of nesting and per chained operator, so a long or deep enough
 * expression overflows the stack. Real assertions are a line or two.
 */
export const MAX_ASSERT_CHARS = 1000;
export const MAX_ASSERT_DEPTH = 32;

/** Why `text` is too big for the parser, or null. Brackets inside quotes count too: strings are refused later anyway. */
export function assertionTooBig(text: string): string | null {
  if (text.length > MAX_ASSERT_CHARS) {
    return `longer than ${MAX_ASSERT_CHARS} characters (${text.length}); split it into several --assert`;
  }
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") {
      if (++depth > MAX_ASSERT_DEPTH) return `brackets nested deeper than ${MAX_ASSERT_DEPTH} levels at character ${i + 1}; simplify it`;
    } else if (c === ")" || c === "]" || c === "}") depth--;
  }
  return null;
}

let parser: Promise<(expr: string) => MathNode> | undefined;

/** mathjs's expression parser alone (the number-only build, which loads faster than the full one). */
function loadParser(): Promise<(expr: string) => MathNode> {
  parser ??= import("mathjs/number").then(({ create, parseDependencies }) => {
    // The typings declare every *Dependencies map as possibly undefined; this one exists in mathjs ≥ 6.
    const { parse } = create({ parseDependencies: parseDependencies! });
    return (expr: string) => parse(expr);
  });
  return parser;
}

/**
 * Parses and checks every assertion before anything runs. Throws UsageError (exit 2) as
 * `--assert "EXPR": problem`, e.g. `--assert "var_rati[9] < 1": unknown metric var_rati; known: …`.
 */
export async function compileAssertions(texts: readonly string[], context: ExpressionContext): Promise<Assertion[]> {
  if (texts.length === 0) return [];
  const parse = await loadParser();
  return texts.map((text) => {
    const fail = (problem: string): never => {
      throw new UsageError(`--assert ${quote(text)}: ${excerpt(problem, 240)}`);
    };
    if (text.trim() === "") return fail("empty expression; write a comparison, e.g. var_ratio[9] < 0.95");
    const tooBig = assertionTooBig(text);
    if (tooBig !== null) return fail(tooBig);
    let tree: MathNode;
    try {
      tree = parse(text);
    } catch (e) {
      if (e instanceof RangeError) return fail("too deeply nested to parse; simplify it");
      return fail(`syntax error: ${(e as Error).message}`);
    }
    try {
      return { text, compiled: compileExpression(tree, context) };
    } catch (e) {
      if (e instanceof ExpressionError) return fail(e.message);
      // The limits above should make a stack overflow unreachable; it must still not become a trace.
      if (e instanceof RangeError) return fail("too deeply nested to compile; simplify it");
      throw e;
    }
  });
}

/** Values of one summary field of every metric by generation, read from a result document. */
export function seriesOf(result: SimResult): Series {
  const cache = new Map<string, number[]>();
  return (metric: string, stat: Stat) => {
    const key = `${metric}\u0000${stat}`;
    let values = cache.get(key);
    if (!values) {
      values = result.generations.map((g) => g.metrics[metric]?.[stat] ?? NaN);
      cache.set(key, values);
    }
    return values;
  };
}

export function evaluateAssertions(assertions: readonly Assertion[], result: SimResult): AssertionOutcome[] {
  const series = seriesOf(result);
  return assertions.map(({ text, compiled }) => {
    const seen = new Set<string>();
    const values = [];
    for (const probe of compiled.probes) {
      if (seen.has(probe.text)) continue;
      seen.add(probe.text);
      values.push({ text: probe.text, value: probe.run(series) });
    }
    return { text, ok: compiled.run(series), values };
  });
}
