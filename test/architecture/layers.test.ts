/**
 * The core is a library (ARCHITECTURE §6): src/core, src/models and src/stats read no files and
 * touch no process — the data layer reads seed data, src/machine.ts reads the machine's memory,
 * src/engine runs the core on worker threads, and the CLI owns stdin, stdout, signals and exit
 * codes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { MODEL_NAMES } from "../../src/models/index.js";
import { VERSION } from "../../src/version.js";
import { ROOT } from "../cli/cli.js";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** The file's code without its comments (a comment may mention process or a file). */
function code(path: string): string {
  return readFileSync(path, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

describe("the core's layers", () => {
  const core = ["core", "models", "stats"].flatMap((d) => sources(join(ROOT, "src", d)));

  it("src/core, src/models and src/stats import no file system, OS or process module", () => {
    const offenders = core.filter((f) => /from "node:(fs|fs\/promises|os|v8|child_process|net|tty|readline)"/.test(code(f)));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("and never use the process object", () => {
    const offenders = core.filter((f) => /\bprocess\./.test(code(f)));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("nor the machine, the threads (src/engine), the data layer but its pure source parser, the CLI, output, sweep, check or library layers", () => {
    const offenders = core.flatMap((f) =>
      [...code(f).matchAll(/from "(\.\.?\/[^"]+)"/g)]
        .map((m) => relative(join(ROOT, "src"), join(f, "..", m[1]!)))
        .filter(
          (target) =>
            /^(cli|output|plot|sweep|check|lib|engine)\//.test(target) ||
            target === "machine.js" ||
            (target.startsWith("data/") && target !== "data/source.js"),
        )
        .map((target) => `${relative(ROOT, f)} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it("names no model outside src/models: what differs between models is declared by each (ARCHITECTURE §2)", () => {
    // The one exception is the default model, which the run's options declare.
    const outside = sources(join(ROOT, "src")).filter((f) => !relative(join(ROOT, "src"), f).startsWith("models/"));
    const named = new RegExp(`["'\`](${MODEL_NAMES.join("|")})["'\`]`, "g");
    const offenders = outside.flatMap((f) =>
      [...code(f).matchAll(named)].map((m) => `${relative(ROOT, f)}: ${m[0]}`).filter((o) => o !== 'src/config/spec.ts: "gaussian"'),
    );
    expect(offenders).toEqual([]);
  });

  it("records the package's version as a constant that matches package.json", () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });
});
