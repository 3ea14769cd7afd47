/**
 * Built-in seed generators (`--source`): a tiny parser for specs like `normal(0,1)`,
 * `mixture(0.3*normal(-2,0.5),0.7*normal(1,1))`, `zipf(1.1,1000)` or `linear(5,1)`, and their
 * samplers. Most sources draw numbers (one column, or independent columns for a table model);
 * zipf draws category labels; a table source (linear) draws a whole table of named columns.
 * Hand-written rather than mathjs: it runs at start-up, where mathjs would cost half a second.
 */
import { UsageError } from "../errors.js";
import { excerpt } from "../excerpt.js";
import { HEADROOM, MAX_DOUBLE, RESOLUTION, short } from "../stats/limits.js";
import type { UniformSource } from "../stats/uniform.js";
import { fillNormal, normal } from "../stats/ziggurat.js";
import { NUMBER_LITERAL_PREFIX } from "./number-literal.js";

export type SourceSpec =
  | { kind: "normal"; mu: number; sigma: number }
  | { kind: "uniform"; a: number; b: number }
  | { kind: "laplace"; mu: number; b: number }
  | { kind: "t"; df: number }
  | { kind: "mixture"; weights: number[]; parts: SourceSpec[] }
  | { kind: "zipf"; s: number; k: number }
  | { kind: "linear"; d: number; sigma: number };

/** The sources that draw a table of named columns rather than numbers or labels. */
export type TableSourceSpec = Extract<SourceSpec, { kind: "linear" }>;

/** The most feature columns linear(d,sigma) draws (as --dims allows for the other sources). */
export const MAX_LINEAR_DIMS = 100;

/**
 * The deepest nesting of mixtures accepted. The parser and the sampler recurse once per level, so
 * a spec nested thousands deep would overflow the stack; a mixture of mixtures is already rare.
 */
export const MAX_SOURCE_DEPTH = 32;

const USAGE = "use normal(mu,sigma), uniform(a,b), laplace(mu,b), t(df), mixture(w1*normal(..),...), zipf(s,K) or linear(d,sigma)";

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new UsageError(`--source ${JSON.stringify(excerpt(this.text))}: ${what} at character ${this.i + 1}; ${USAGE}`);
  }
  private skip(): void {
    while (this.text[this.i] === " ") this.i++;
  }
  private eat(ch: string): boolean {
    this.skip();
    if (this.text[this.i] === ch) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(ch: string): void {
    if (!this.eat(ch)) this.fail(`expected "${ch}"`);
  }
  number(): number {
    this.skip();
    const m = NUMBER_LITERAL_PREFIX.exec(this.text.slice(this.i));
    if (!m) this.fail("expected a number");
    this.i += m[0].length;
    const x = Number(m[0]);
    // A literal past the range of a double silently becomes ±Infinity or 0; say so, not "sigma must be > 0".
    if (!Number.isFinite(x)) this.outOfRange(`${excerpt(m[0], 40)} overflows a double; use a value below 1.8e308`);
    if (x === 0 && /[1-9]/.test(m[1]!)) this.outOfRange(`${excerpt(m[0], 40)} underflows to 0 in a double; use a value above 5e-324 (or 0)`);
    return x;
  }
  /** A parameter no double can hold or no draw can survive (no character position: the whole value is at fault). */
  outOfRange(what: string): never {
    throw new UsageError(`--source ${JSON.stringify(excerpt(this.text))}: ${what}`);
  }
  private name(): string {
    this.skip();
    const m = /^[a-z]+/i.exec(this.text.slice(this.i));
    if (!m) this.fail("expected a distribution name");
    this.i += m[0].length;
    return m[0].toLowerCase();
  }
  spec(): SourceSpec {
    this.skip();
    const start = this.i;
    const name = this.name();
    if (name === "mixture" && ++this.depth > MAX_SOURCE_DEPTH) {
      this.i = start;
      this.fail(`mixtures nested deeper than ${MAX_SOURCE_DEPTH} levels`);
    }
    this.expect("(");
    if (name === "mixture") {
      const weights: number[] = [];
      const parts: SourceSpec[] = [];
      do {
        weights.push(this.number());
        this.expect("*");
        parts.push(this.spec());
      } while (this.eat(","));
      this.expect(")");
      if (parts.some((p) => p.kind === "zipf" || p.kind === "linear")) this.fail("a mixture combines numeric distributions only");
      if (weights.some((w) => !(w > 0))) this.fail("mixture weights must be positive");
      // Only the ratios matter; weights whose sum overflows are scaled down (others stay as given, bit for bit).
      if (!Number.isFinite(weights.reduce((a, b) => a + b, 0))) {
        const top = Math.max(...weights);
        for (let j = 0; j < weights.length; j++) weights[j] = weights[j]! / top;
      }
      this.depth--;
      return { kind: "mixture", weights, parts };
    }
    const args: number[] = [];
    if (!this.eat(")")) {
      do args.push(this.number());
      while (this.eat(","));
      this.expect(")");
    }
    const need = (n: number) => {
      if (args.length !== n) this.fail(`${name} takes ${n} argument(s), got ${args.length}`);
    };
    switch (name) {
      case "normal":
        need(2);
        if (!(args[1]! > 0)) this.fail("sigma must be > 0");
        this.checkScale(name, "sigma", args[0]!, args[1]!);
        return { kind: "normal", mu: args[0]!, sigma: args[1]! };
      case "uniform":
        need(2);
        if (!(args[1]! > args[0]!)) this.fail("uniform(a,b) needs a < b");
        if (!Number.isFinite(args[1]! - args[0]!)) this.outOfRange("the width b − a overflows a double; keep b − a below 1.8e308");
        return { kind: "uniform", a: args[0]!, b: args[1]! };
      case "laplace":
        need(2);
        if (!(args[1]! > 0)) this.fail("the scale b must be > 0");
        this.checkScale(name, "b", args[0]!, args[1]!);
        return { kind: "laplace", mu: args[0]!, b: args[1]! };
      case "t":
        need(1);
        if (!(args[0]! > 0)) this.fail("degrees of freedom must be > 0");
        return { kind: "t", df: args[0]! };
      case "zipf":
        need(2);
        if (!(args[0]! >= 0)) this.fail("the exponent s must be >= 0");
        if (!Number.isInteger(args[1]!) || args[1]! < 2 || args[1]! > 10_000_000) this.fail("K must be a whole number from 2 to 10000000");
        return { kind: "zipf", s: args[0]!, k: args[1]! };
      case "linear":
        need(2);
        if (!Number.isInteger(args[0]!) || args[0]! < 1 || args[0]! > MAX_LINEAR_DIMS) {
          this.fail(`d (the number of features) must be a whole number from 1 to ${MAX_LINEAR_DIMS}`);
        }
        if (!(args[1]! > 0)) this.fail("sigma must be > 0");
        this.checkScale(name, "sigma", 0, args[1]!);
        return { kind: "linear", d: args[0]!, sigma: args[1]! };
      default:
        this.fail(`unknown distribution ${JSON.stringify(excerpt(name, 40))}`);
    }
  }
  /** A location–scale family's draws must stay finite and distinct as doubles. */
  private checkScale(name: string, scale: string, mu: number, sigma: number): void {
    if (!(Math.abs(mu) + HEADROOM * sigma <= MAX_DOUBLE)) {
      this.outOfRange(`draws of ${name}(${short(mu)},${short(sigma)}) reach |mu| + ${HEADROOM}·${scale} and overflow a double; keep that below 1.8e308`);
    }
    if (sigma < Math.abs(mu) * RESOLUTION) {
      this.outOfRange(
        `${scale} ${short(sigma)} is below the resolution of a double at mu ${short(mu)} (neighbouring doubles there are ${short(Math.abs(mu) * 2 ** -52)} apart): the draws would all be equal; raise ${scale} or move mu nearer 0`,
      );
    }
  }
  end(): void {
    this.skip();
    if (this.i !== this.text.length) this.fail("unexpected text");
  }
}

export function parseSource(text: string): SourceSpec {
  const p = new Parser(text);
  try {
    const spec = p.spec();
    p.end();
    return spec;
  } catch (e) {
    // The depth cap should make this unreachable; a stack overflow must still not become a trace.
    if (e instanceof RangeError) p.fail("the spec is too deeply nested");
    throw e;
  }
}

/** True for sources that generate numbers (as opposed to category labels or a whole table). */
export function isNumericSource(spec: SourceSpec): boolean {
  return spec.kind !== "zipf" && spec.kind !== "linear";
}

/** True for sources that draw a table of named columns (linear). */
export function isTableSource(spec: SourceSpec): spec is TableSourceSpec {
  return spec.kind === "linear";
}

/** The names of the columns a table source draws, in order: linear(d,sigma) draws x1…xd, then y. */
export function tableSourceNames(spec: TableSourceSpec): string[] {
  return [...Array.from({ length: spec.d }, (_, j) => `x${j + 1}`), "y"];
}

/**
 * n rows of a table source, as columns in the order of tableSourceNames. linear(d,sigma): the
 * features x1…xd are independent N(0,1), and y = x1 + … + xd + N(0, sigma²) — true coefficients
 * all 1, intercept 0 — drawn column by column (x1, …, xd, then the noise).
 */
export function drawTable(spec: TableSourceSpec, n: number, src: UniformSource): Float64Array[] {
  const columns = Array.from({ length: spec.d }, () => fillNormal(new Float64Array(n), src));
  const y = fillNormal(new Float64Array(n), src, 0, spec.sigma);
  for (const x of columns) for (let i = 0; i < n; i++) y[i]! += x[i]!;
  return [...columns, y];
}

/** One draw of a numeric source. */
function draw(spec: SourceSpec, src: UniformSource): number {
  switch (spec.kind) {
    case "normal":
      return spec.mu + spec.sigma * normal(src);
    case "uniform":
      return spec.a + (spec.b - spec.a) * src.random();
    case "laplace": {
      const u = src.random() - 0.5;
      return spec.mu - spec.b * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
    }
    case "t": {
      // t = Z / sqrt(V/ν), V ~ χ²(ν) drawn as a sum of squares for integer ν, else by a gamma.
      const z = normal(src);
      return z / Math.sqrt(chiSquare(spec.df, src) / spec.df);
    }
    case "mixture": {
      const total = spec.weights.reduce((a, b) => a + b, 0);
      let u = src.random() * total;
      for (let j = 0; j < spec.parts.length; j++) {
        u -= spec.weights[j]!;
        if (u < 0 || j === spec.parts.length - 1) return draw(spec.parts[j]!, src);
      }
      return Number.NaN;
    }
    case "zipf":
    case "linear":
      throw new Error(`${spec.kind} is not a numeric source`);
  }
}

/** χ²(ν) = 2·Gamma(ν/2), by Marsaglia–Tsang with the boost for shape < 1. */
function chiSquare(df: number, src: UniformSource): number {
  return 2 * gamma(df / 2, src);
}

function gamma(shape: number, src: UniformSource): number {
  if (shape < 1) return gamma(shape + 1, src) * (1 - src.random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(src);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - src.random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** The spec written back as text (shortest round-trip numbers), for messages. */
export function formatSource(spec: SourceSpec): string {
  switch (spec.kind) {
    case "normal":
      return `normal(${spec.mu},${spec.sigma})`;
    case "uniform":
      return `uniform(${spec.a},${spec.b})`;
    case "laplace":
      return `laplace(${spec.mu},${spec.b})`;
    case "t":
      return `t(${spec.df})`;
    case "zipf":
      return `zipf(${spec.s},${spec.k})`;
    case "linear":
      return `linear(${spec.d},${spec.sigma})`;
    case "mixture":
      return `mixture(${spec.parts.map((p, j) => `${spec.weights[j]}*${formatSource(p)}`).join(",")})`;
  }
}

/**
 * n draws of a numeric source. A draw that overflows (t with tiny degrees of freedom, whose
 * χ² divisor underflows to 0) is a UsageError naming the source, never an Infinity in the data.
 */
export function drawNumbers(spec: SourceSpec, n: number, src: UniformSource): Float64Array {
  const out = new Float64Array(n);
  if (spec.kind === "normal") fillNormal(out, src, spec.mu, spec.sigma);
  else for (let i = 0; i < n; i++) out[i] = draw(spec, src);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i]!)) {
      const fix = spec.kind === "t" ? "use more degrees of freedom" : "use parameters whose draws stay within ±1.8e308";
      throw new UsageError(`--source ${JSON.stringify(excerpt(formatSource(spec)))}: draw ${i + 1} is ${out[i]}: the draws overflow a double; ${fix}`);
    }
  }
  return out;
}

/** The probabilities of zipf(s,K): p_i ∝ i^(−s), i = 1..K. */
export function zipfProbabilities(s: number, k: number): Float64Array {
  const p = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < k; i++) total += p[i] = (i + 1) ** -s;
  for (let i = 0; i < k; i++) p[i]! /= total;
  return p;
}
