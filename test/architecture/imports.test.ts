/**
 * The shape of src/'s import graph: no import cycles, and the bottom layers (models, stats)
 * import nothing from the layers built on them.
 */
import { describe, expect, it } from "vitest";
import { cyclicComponents, importSpecifiers, readImportGraph, spellCycle } from "./import-graph.js";

/**
 * Import cycles tolerated for now because removing them needs a design change, not a move. Each
 * entry is the sorted member list of one strongly connected component, with why it is there.
 * The test fails when an entry no longer exists: then delete it here.
 * (Empty: src/ has no cycles today. Add an entry only with a reason and a plan.)
 */
const KNOWN_CYCLES: readonly { readonly members: readonly string[]; readonly why: string }[] = [];

/** The bottom layers, and the layers above them that they must not import from (paths under src/). */
const BOTTOM_LAYERS = ["models/", "stats/"];
const UPPER_LAYERS = ["core/", "engine/", "lib/", "config/", "data/", "cli/", "output/", "plot/", "sweep/", "check/"];
/**
 * The one upper module the bottom may use: the built-in sources' parser, a pure module (no file,
 * no process: layers.test.ts), whose specs --reference source compares models with.
 */
const ALLOWED_BELOW = new Set(["data/source.ts"]);

const graph = readImportGraph();
const key = (members: readonly string[]) => [...members].sort().join(" ");

describe("the import scanner", () => {
  it("finds every kind of import and re-export, type-only ones included, and nothing in comments, strings or regexes", () => {
    const source = `
      // import { a } from "./comment.js";
      /* export * from "./block-comment.js"; */
      import def, { b, type C } from "./static.js";
      import type { D } from "./type-only.js";
      import * as ns from "./namespace.js";
      import "./side-effect.js";
      export { e } from "./re-export.js";
      export type { F } from "./type-re-export.js";
      export * as g from "./star-re-export.js";
      export * from "./star.js";
      export { local };
      export const h = 1;
      export type I = typeof import("./import-type.js");
      const lazy = await import("./dynamic.js");
      const s = "import x from './in-string.js'";
      const t = \`\${s} import('./in-template.js') \${{ a: 1 }.a}\`;
      const r = /import("\\.\\/in-regex.js")/;
      const m = obj.import("./a-method.js");
      const after = t.length / 2; import("./after-division.js");
      import {
        multi,
        line,
      } from "./multi-line.js";
    `;
    expect(importSpecifiers(source)).toEqual([
      "./static.js",
      "./type-only.js",
      "./namespace.js",
      "./side-effect.js",
      "./re-export.js",
      "./type-re-export.js",
      "./star-re-export.js",
      "./star.js",
      "./import-type.js",
      "./dynamic.js",
      "./after-division.js",
      "./multi-line.js",
    ]);
  });

  it("resolves every relative specifier in src/ to a src/**/*.ts file", () => {
    expect(graph.unresolved).toEqual([]);
    // A scanner that found nothing would pass every other test here.
    expect(graph.edges.size).toBeGreaterThan(50);
    expect(graph.edges.get("cli/main.ts")?.length).toBeGreaterThan(0);
  });
});

describe("src/ import graph", () => {
  const components = cyclicComponents(graph.edges);
  const known = new Set(KNOWN_CYCLES.map((c) => key(c.members)));

  it("has no import cycles (no strongly connected component of more than one module)", () => {
    const cycles = components
      .filter((c) => !known.has(key(c)))
      .map((c) => `${spellCycle(c, graph.edges)}${c.length > 2 ? `  (component: ${c.join(", ")})` : ""}`);
    expect(cycles, "import cycles in src/ (break each by moving the shared code to a module both sides import)").toEqual([]);
  });

  it("still has every cycle KNOWN_CYCLES allows (remove the entries that are gone)", () => {
    const present = new Set(components.map(key));
    const gone = KNOWN_CYCLES.filter((c) => !present.has(key(c.members))).map((c) => c.members.join(", "));
    expect(gone, "KNOWN_CYCLES entries that no longer exist").toEqual([]);
  });

  it("keeps models/ and stats/ at the bottom: they import nothing from core, cli, output, plot, sweep or check (of data, the source parser only)", () => {
    const violations: string[] = [];
    for (const [from, deps] of graph.edges) {
      if (!BOTTOM_LAYERS.some((layer) => from.startsWith(layer))) continue;
      for (const to of deps) if (UPPER_LAYERS.some((layer) => to.startsWith(layer)) && !ALLOWED_BELOW.has(to)) violations.push(`${from} → ${to}`);
    }
    expect(violations).toEqual([]);
  });
});
