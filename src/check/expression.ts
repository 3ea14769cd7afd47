/**
 * The assertion language: a mathjs expression tree (from mathjs's parser) compiled into our own
 * evaluator over a whitelist of node types and functions. Nothing is evaluated by mathjs, so an
 * expression can reach the metrics and nothing else (no import, createUnit, evaluate, assignments).
 *
 * Values, per metric, are the replicate means by generation:
 * - `metric` is the vector over generations 0…G;
 * - `metric[g]` is generation g, 0-based like the output's generation column (not mathjs's
 *   1-based indexing); `end` inside brackets is the last index; `metric[a:b]` is generations
 *   a…b inclusive (mathjs range syntax, `a:step:b` too); indexes are constants, checked against G;
 * - first, last, min, max, mean, median reduce a vector to a number (min and max also take
 *   several numbers); abs, log (natural), exp, sqrt apply elementwise;
 * - sd(m), se(m), p025(m), p50(m), p975(m) are the vectors of the replicate standard deviation,
 *   standard error, 2.5% quantile, median and 97.5% quantile of metric m (its mean is `m` itself);
 * - + − * / ^ work on numbers and elementwise on vectors of equal length;
 * - the whole expression must be a comparison (<, <=, >, >=, ==, !=, chains like 0.5 < x < 1) of
 *   numbers, or and/or/not of comparisons. A comparison involving NaN is false.
 */
import type { MathNode } from "mathjs";
import { excerpt, quote } from "../excerpt.js";
import { didYouMean } from "../suggest.js";

/** The summary fields an expression can read. */
export type Stat = "mean" | "sd" | "se" | "median" | "p025" | "p975";

/** Values of one summary field of one metric, by generation. */
export type Series = (metric: string, stat: Stat) => readonly number[];

export interface ExpressionContext {
  /** The metric names the run reports. */
  readonly metrics: readonly string[];
  /** Rows per metric: G + 1. */
  readonly generations: number;
}

/** A numeric sub-expression shown next to a verdict, e.g. "var_ratio[9] = 0.917". */
export interface Probe {
  readonly text: string;
  run(series: Series): number;
}

export interface CompiledExpression {
  run(series: Series): boolean;
  /** The non-constant sides of every comparison, in order. */
  readonly probes: readonly Probe[];
}

/** A problem with an expression; the caller prefixes the expression. */
export class ExpressionError extends Error {}

type Value = number | readonly number[] | boolean;

interface Compiled {
  readonly kind: "number" | "vector" | "boolean";
  /** For vectors: the number of elements. */
  readonly length: number;
  /** True when the value depends on no metric (indexes must be constant). */
  readonly constant: boolean;
  run(series: Series): Value;
}

const REDUCERS: Record<string, (xs: readonly number[]) => number> = {
  first: (xs) => xs[0]!,
  last: (xs) => xs[xs.length - 1]!,
  min: (xs) => Math.min(...xs),
  max: (xs) => Math.max(...xs),
  mean: (xs) => xs.reduce((s, x) => s + x, 0) / xs.length,
  median: (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const h = s.length >> 1;
    return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
  },
};

const ELEMENTWISE: Record<string, (x: number) => number> = { abs: Math.abs, log: Math.log, exp: Math.exp, sqrt: Math.sqrt };

const ACCESSORS: Record<string, Stat> = { sd: "sd", se: "se", p025: "p025", p50: "median", p975: "p975" };

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
  pow: (a, b) => a ** b,
};

const COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  smaller: (a, b) => a < b,
  smallerEq: (a, b) => a <= b,
  larger: (a, b) => a > b,
  largerEq: (a, b) => a >= b,
  equal: (a, b) => a === b,
  unequal: (a, b) => a !== b,
};

export const FUNCTION_NAMES: readonly string[] = [...Object.keys(REDUCERS), ...Object.keys(ELEMENTWISE), ...Object.keys(ACCESSORS)];

const NOT_ALLOWED: Record<string, string> = {
  AssignmentNode: "assignment",
  FunctionAssignmentNode: "a function definition",
  BlockNode: "more than one expression (; or a newline)",
  ConditionalNode: "the ?: conditional",
  ArrayNode: "an array literal",
  ObjectNode: "an object literal",
  RangeNode: "a range outside brackets",
  IndexNode: "a bare index",
};

/** Compiles a parsed assertion. Throws ExpressionError naming the first problem. */
export function compileExpression(root: MathNode, context: ExpressionContext): CompiledExpression {
  const probes: Probe[] = [];
  const top = new Compiler(context, probes).compile(root);
  if (top.kind !== "boolean") {
    throw new ExpressionError(`is not a comparison (it gives a ${top.kind}); compare it, e.g. var_ratio[9] < 0.95`);
  }
  return { run: (series) => top.run(series) as boolean, probes };
}

class Compiler {
  /** Length of the vector being indexed, while compiling an index (for `end`). */
  private indexing: number | null = null;

  constructor(
    private readonly context: ExpressionContext,
    private readonly probes: Probe[],
  ) {}

  compile(node: MathNode): Compiled {
    const n = node as unknown as Record<string, unknown> & { type: string };
    switch (n.type) {
      case "ParenthesisNode":
        return this.compile(n.content as MathNode);
      case "ConstantNode": {
        const v = n.value;
        if (typeof v !== "number") throw new ExpressionError(`only numbers are allowed as constants, got ${quote(v, 60)}`);
        return number(true, () => v);
      }
      case "SymbolNode":
        return this.symbol(n.name as string);
      case "AccessorNode":
        return this.accessor(n.object as MathNode, n.index as Record<string, unknown>);
      case "OperatorNode":
        return this.operator(n.fn as string, n.op as string, n.args as MathNode[]);
      case "RelationalNode":
        return this.relation(n.conditionals as string[], n.params as MathNode[]);
      case "FunctionNode":
        return this.call(n.fn as MathNode, n.args as MathNode[]);
      default:
        throw new ExpressionError(`${own(NOT_ALLOWED, n.type) ?? n.type} is not allowed in an assertion`);
    }
  }

  private symbol(name: string): Compiled {
    if (name === "end") {
      const length = this.indexing;
      if (length === null) throw new ExpressionError("end is only meaningful inside brackets, e.g. var_ratio[end]");
      return number(true, () => length - 1);
    }
    if (this.context.metrics.includes(name)) {
      return { kind: "vector", length: this.context.generations, constant: false, run: (s) => s(name, "mean") };
    }
    if (FUNCTION_NAMES.includes(name)) throw new ExpressionError(`${name} is a function: call it on a metric, e.g. ${name}(${this.example()})`);
    throw new ExpressionError(`unknown metric ${excerpt(name, 60)}${didYouMean(name, this.context.metrics)}; known: ${this.context.metrics.join(", ")}`);
  }

  private accessor(objectNode: MathNode, index: Record<string, unknown>): Compiled {
    if (index.dotNotation === true)
      throw new ExpressionError(`property access (.name) is not allowed; index generations with brackets, e.g. ${this.example()}[9]`);
    const object = this.compile(objectNode);
    if (object.kind !== "vector") throw new ExpressionError(`${excerpt(objectNode.toString(), 60)} is a ${object.kind} and cannot be indexed`);
    const dims = index.dimensions as MathNode[];
    if (dims.length !== 1) throw new ExpressionError(`${excerpt(objectNode.toString(), 60)}[…] takes one index (a generation), got ${dims.length}`);
    const dim = dims[0]!;
    const saved = this.indexing;
    this.indexing = object.length;
    try {
      if ((dim as { type: string }).type === "RangeNode") {
        const range = dim as unknown as { start: MathNode; end: MathNode; step: MathNode | null };
        const from = this.constantIndex(range.start, object.length);
        const to = this.constantIndex(range.end, object.length);
        const step = range.step === null ? 1 : this.constantNumber(range.step);
        if (!Number.isInteger(step) || step < 1) throw new ExpressionError(`the step of a range must be a whole number >= 1, got ${step}`);
        if (to < from) throw new ExpressionError(`the range ${from}:${to} is empty; ranges run from the lower to the higher generation, both included`);
        const picks: number[] = [];
        for (let g = from; g <= to; g += step) picks.push(g);
        return {
          kind: "vector",
          length: picks.length,
          constant: object.constant,
          run: (s) => {
            const v = object.run(s) as readonly number[];
            return picks.map((g) => v[g]!);
          },
        };
      }
      const g = this.constantIndex(dim, object.length);
      return number(object.constant, (s) => (object.run(s) as readonly number[])[g]!);
    } finally {
      this.indexing = saved;
    }
  }

  private constantNumber(node: MathNode): number {
    const c = this.compile(node);
    if (c.kind !== "number" || !c.constant) throw new ExpressionError(`an index must be a constant number (or use end), got ${excerpt(node.toString(), 60)}`);
    return c.run(noSeries) as number;
  }

  private constantIndex(node: MathNode, length: number): number {
    const g = this.constantNumber(node);
    if (!Number.isInteger(g) || g < 0 || g >= length) {
      const text = node.toString();
      throw new ExpressionError(
        `index ${text}${text === String(g) ? "" : ` = ${g}`} is outside 0…${length - 1}; generations are numbered from 0 (use end for the last)`,
      );
    }
    return g;
  }

  private operator(fn: string, op: string, argNodes: MathNode[]): Compiled {
    if (fn === "unaryMinus" || fn === "unaryPlus") {
      const a = this.numeric(argNodes[0]!, op);
      return lift1(a, fn === "unaryMinus" ? (x) => -x : (x) => x);
    }
    const arithmetic = own(ARITHMETIC, fn);
    if (arithmetic) return lift2(this.numeric(argNodes[0]!, op), this.numeric(argNodes[1]!, op), arithmetic);
    if (own(COMPARISONS, fn)) return this.relation([fn], argNodes);
    if (fn === "and" || fn === "or") {
      const a = this.logical(argNodes[0]!, op);
      const b = this.logical(argNodes[1]!, op);
      return fn === "and" ? boolean((s) => (a.run(s) as boolean) && (b.run(s) as boolean)) : boolean((s) => (a.run(s) as boolean) || (b.run(s) as boolean));
    }
    if (fn === "not") {
      const a = this.logical(argNodes[0]!, op);
      return boolean((s) => !(a.run(s) as boolean));
    }
    throw new ExpressionError(`operator ${op} is not allowed; use + - * / ^, comparisons < <= > >= == != and and, or, not`);
  }

  /** a < b, or a chain a < b <= c: every adjacent pair must hold. */
  private relation(conditionals: string[], paramNodes: MathNode[]): Compiled {
    const params = paramNodes.map((p) => {
      const c = this.compile(p);
      if (c.kind !== "number") {
        const hint =
          c.kind === "vector" ? `index it (${excerpt(p.toString(), 60)}[9]) or reduce it (last(${excerpt(p.toString(), 60)}), max(…))` : "compare numbers";
        throw new ExpressionError(`cannot compare ${excerpt(p.toString(), 60)}, a ${c.kind}; ${hint}`);
      }
      if (!c.constant) this.probes.push({ text: unparen(p).toString(), run: (s) => c.run(s) as number });
      return c;
    });
    const tests = conditionals.map((name) => {
      const test = own(COMPARISONS, name);
      if (!test) throw new ExpressionError(`comparison ${name} is not allowed`);
      return test;
    });
    return boolean((s) => {
      const values = params.map((p) => p.run(s) as number);
      return tests.every((test, i) => test(values[i]!, values[i + 1]!));
    });
  }

  private call(fnNode: MathNode, argNodes: MathNode[]): Compiled {
    const f = fnNode as unknown as { type: string; name?: string };
    if (f.type !== "SymbolNode") throw new ExpressionError(`only named functions can be called (${FUNCTION_NAMES.join(", ")})`);
    const name = f.name!;
    const accessor = own(ACCESSORS, name);
    if (accessor) {
      const arg = argNodes.length === 1 ? unparen(argNodes[0]!) : undefined;
      const metric = arg && (arg as unknown as { type: string }).type === "SymbolNode" ? (arg as unknown as { name: string }).name : undefined;
      if (metric === undefined || !this.context.metrics.includes(metric)) {
        if (metric !== undefined && metric !== "end") this.symbol(metric); // the same "unknown metric" message
        throw new ExpressionError(`${name}(…) takes one metric name, e.g. ${name}(${this.example()})`);
      }
      return { kind: "vector", length: this.context.generations, constant: false, run: (s) => s(metric, accessor) };
    }
    const reducer = own(REDUCERS, name);
    const elementwise = own(ELEMENTWISE, name);
    if (!reducer && !elementwise) {
      if (this.context.metrics.includes(name)) throw new ExpressionError(`${name} is a metric, not a function: index it, e.g. ${name}[9] for generation 9`);
      throw new ExpressionError(`unknown function ${excerpt(name, 60)}; allowed: ${FUNCTION_NAMES.join(", ")}`);
    }
    const args = argNodes.map((a) => this.compile(a));
    if (reducer) {
      if ((name === "min" || name === "max") && args.length >= 2 && args.every((a) => a.kind === "number")) {
        const pick = name === "min" ? Math.min : Math.max;
        return number(
          args.every((a) => a.constant),
          (s) => pick(...args.map((a) => a.run(s) as number)),
        );
      }
      if (args.length !== 1 || args[0]!.kind !== "vector") {
        throw new ExpressionError(
          `${name}(…) takes one vector (a metric, or a range like ${this.example()}[5:end])${name === "min" || name === "max" ? " or several numbers" : ""}`,
        );
      }
      const v = args[0]!;
      return number(false, (s) => reducer(v.run(s) as readonly number[]));
    }
    if (args.length !== 1 || args[0]!.kind === "boolean")
      throw new ExpressionError(`${name}(…) takes one number or vector${name === "log" ? " (natural log)" : ""}`);
    return lift1(args[0]!, elementwise!);
  }

  private numeric(node: MathNode, op: string): Compiled {
    const c = this.compile(node);
    if (c.kind === "boolean") throw new ExpressionError(`${op} needs numbers, but ${excerpt(node.toString(), 60)} is a comparison`);
    return c;
  }

  private logical(node: MathNode, op: string): Compiled {
    const c = this.compile(node);
    if (c.kind !== "boolean") throw new ExpressionError(`${op} combines comparisons, but ${excerpt(node.toString(), 60)} is a ${c.kind}`);
    return c;
  }

  private example(): string {
    return this.context.metrics.includes("var_ratio") ? "var_ratio" : (this.context.metrics[0] ?? "var_ratio");
  }
}

/** table[name] for the table's own keys only: "constructor" or "toString" must not reach Object.prototype. */
function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

const noSeries: Series = () => {
  throw new Error("a constant expression read a metric");
};

function number(constant: boolean, run: (s: Series) => number): Compiled {
  return { kind: "number", length: 1, constant, run };
}

function boolean(run: (s: Series) => boolean): Compiled {
  return { kind: "boolean", length: 1, constant: false, run };
}

function lift1(a: Compiled, f: (x: number) => number): Compiled {
  if (a.kind === "vector") return { ...a, run: (s) => (a.run(s) as readonly number[]).map(f) };
  return number(a.constant, (s) => f(a.run(s) as number));
}

function lift2(a: Compiled, b: Compiled, f: (x: number, y: number) => number): Compiled {
  const constant = a.constant && b.constant;
  if (a.kind === "number" && b.kind === "number") return number(constant, (s) => f(a.run(s) as number, b.run(s) as number));
  if (a.kind === "vector" && b.kind === "vector" && a.length !== b.length) {
    throw new ExpressionError(`vectors of different lengths (${a.length} and ${b.length}) cannot be combined`);
  }
  const length = a.kind === "vector" ? a.length : b.length;
  return {
    kind: "vector",
    length,
    constant,
    run: (s) => {
      const x = a.run(s);
      const y = b.run(s);
      const out = new Array<number>(length);
      for (let i = 0; i < length; i++)
        out[i] = f(typeof x === "number" ? x : (x as readonly number[])[i]!, typeof y === "number" ? y : (y as readonly number[])[i]!);
      return out;
    },
  };
}

function unparen(node: MathNode): MathNode {
  let n = node as unknown as { type: string; content?: MathNode };
  while (n.type === "ParenthesisNode") n = n.content as unknown as { type: string; content?: MathNode };
  return n as unknown as MathNode;
}

/** The known name within edit distance 2 of `name`, if there is one. */
