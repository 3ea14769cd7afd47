/**
 * The module graph of src/ for the architecture tests (not a test file itself): every src/**\/*.ts
 * file, the module specifiers it names, the edges between src files, and its strongly connected
 * components.
 *
 * Specifiers are found by a small lexer, not by regular expressions over the raw text, so that an
 * `import` in a comment, a string, a template or a regular expression literal is not an edge. It
 * reads every form that makes one module depend on another, type-only ones included:
 *   import x, { y } from "m";   import type { T } from "m";   import "m";
 *   export { a } from "m";      export type { T } from "m";   export * as ns from "m";
 *   import("m")                 typeof import("m")            (dynamic imports and import types)
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SRC = join(ROOT, "src");

type Token = { readonly kind: "name" | "string" | "punct" | "other"; readonly text: string };

/** After these keywords a `/` starts a regular expression, not a division. */
const REGEX_AFTER_KEYWORD = new Set(["return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "instanceof", "yield", "await"]);

const isNameStart = (c: string) => /[A-Za-z_$#]/.test(c) || c.charCodeAt(0) > 0x7f;
const isNamePart = (c: string) => /[\w$]/.test(c) || c.charCodeAt(0) > 0x7f;

/** The tokens of a TypeScript source that matter for finding specifiers: names, string literals, punctuation. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  // What each open `{` belongs to: a block or object ("brace") or a template substitution `${`.
  const braces: ("brace" | "template")[] = [];
  let i = 0;
  const n = source.length;

  /** Skips the rest of a template literal from i (just after ` or the } closing a substitution). */
  const templateRest = () => {
    while (i < n) {
      const c = source[i]!;
      if (c === "\\") i += 2;
      else if (c === "`") {
        i++;
        return;
      } else if (c === "$" && source[i + 1] === "{") {
        i += 2;
        braces.push("template");
        return;
      } else i++;
    }
  };

  const regexAllowed = () => {
    const prev = tokens[tokens.length - 1];
    if (prev === undefined) return true;
    if (prev.kind === "name") return REGEX_AFTER_KEYWORD.has(prev.text);
    if (prev.kind === "punct") return !(prev.text === ")" || prev.text === "]" || prev.text === "}");
    return false;
  };

  while (i < n) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "/" && source[i + 1] === "/") {
      while (i < n && source[i] !== "\n") i++;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      let text = "";
      i++;
      while (i < n && source[i] !== c) {
        if (source[i] === "\\") {
          text += source[i + 1] ?? "";
          i += 2;
        } else text += source[i++];
      }
      i++;
      tokens.push({ kind: "string", text });
    } else if (c === "`") {
      i++;
      templateRest();
      tokens.push({ kind: "other", text: "`…`" });
    } else if (c === "/" && regexAllowed()) {
      i++;
      let inClass = false;
      while (i < n) {
        const r = source[i]!;
        if (r === "\\") i += 2;
        else {
          i++;
          if (r === "[") inClass = true;
          else if (r === "]") inClass = false;
          else if (r === "/" && !inClass) break;
          else if (r === "\n") break;
        }
      }
      while (i < n && isNamePart(source[i]!)) i++;
      tokens.push({ kind: "other", text: "/…/" });
    } else if (isNameStart(c)) {
      const start = i++;
      while (i < n && isNamePart(source[i]!)) i++;
      tokens.push({ kind: "name", text: source.slice(start, i) });
    } else if (/[0-9]/.test(c)) {
      while (i < n && /[\w.]/.test(source[i]!)) i++;
      tokens.push({ kind: "other", text: "0" });
    } else if (c === "{") {
      braces.push("brace");
      tokens.push({ kind: "punct", text: c });
      i++;
    } else if (c === "}") {
      i++;
      if (braces.pop() === "template") templateRest();
      else tokens.push({ kind: "punct", text: c });
    } else {
      tokens.push({ kind: "punct", text: c });
      i++;
    }
  }
  return tokens;
}

/** Tokens that may stand between `import`/`export` and `from` in a declaration's clause. */
function inClause(t: Token): boolean {
  return t.kind === "name" ? t.text !== "from" : t.kind === "punct" && "{},*".includes(t.text);
}

/** The module specifiers a TypeScript source imports or re-exports from, in order of appearance. */
export function importSpecifiers(source: string): string[] {
  const tokens = tokenize(source);
  const out: string[] = [];
  const at = (k: number): Token | undefined => tokens[k];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== "name" || (t.text !== "import" && t.text !== "export")) continue;
    const prev = at(k - 1);
    if (prev?.kind === "punct" && prev.text === ".") continue; // x.import, not a keyword
    const next = at(k + 1);
    if (t.text === "import" && next?.kind === "punct" && next.text === "(") {
      const arg = at(k + 2);
      if (arg?.kind === "string") out.push(arg.text);
      continue;
    }
    if (t.text === "import" && next?.kind === "string") {
      out.push(next.text);
      continue;
    }
    // export const/function/class/type X = … has no `from`; only clauses that start with { or *
    // (after an optional `type`) can.
    if (t.text === "export") {
      const first = next?.kind === "name" && next.text === "type" ? at(k + 2) : next;
      if (!(first?.kind === "punct" && (first.text === "{" || first.text === "*"))) continue;
    }
    let j = k + 1;
    while (j < tokens.length && inClause(tokens[j]!)) j++;
    const from = at(j);
    const spec = at(j + 1);
    if (from?.kind === "name" && from.text === "from" && spec?.kind === "string") out.push(spec.text);
  }
  return out;
}

/** Every .ts file under a directory, as absolute paths, sorted. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f))
    .sort();
}

/** A src file's name as the tests print it: its path under src/, with forward slashes. */
export function srcName(file: string): string {
  return relative(SRC, file).split(sep).join(posix.sep);
}

export interface ImportGraph {
  /** Every module of src/ by its srcName, with the modules of src/ it imports (sorted, distinct). */
  readonly edges: ReadonlyMap<string, readonly string[]>;
  /** Relative specifiers that name no src/**\/*.ts file: "from.ts: ./spec.js". */
  readonly unresolved: readonly string[];
}

/** Reads src/ and builds its import graph; relative `.js` specifiers resolve to the `.ts` files. */
export function readImportGraph(): ImportGraph {
  const files = tsFiles(SRC);
  const known = new Set(files.map(srcName));
  const edges = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of files) {
    const name = srcName(file);
    const deps = new Set<string>();
    for (const spec of importSpecifiers(readFileSync(file, "utf8"))) {
      if (!spec.startsWith("./") && !spec.startsWith("../")) continue; // packages and node: builtins
      const target = srcName(join(dirname(file), spec.replace(/\.js$/, ".ts")));
      if (known.has(target)) deps.add(target);
      else unresolved.push(`${name}: ${spec}`);
    }
    edges.set(name, [...deps].sort());
  }
  return { edges, unresolved };
}

/** The strongly connected components of more than one module (Tarjan), members sorted, components sorted. */
export function cyclicComponents(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return components.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/**
 * A shortest cycle through the first member of a component, spelled out: "a.ts → b.ts → a.ts"
 * (breadth-first search inside the component).
 */
export function spellCycle(component: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string {
  const members = new Set(component);
  const start = component[0]!;
  const parent = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    for (const w of edges.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = parent.get(u)) path.unshift(u);
        path.unshift(start);
        return path.join(" → ");
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return component.join(" ⇄ ");
}
