/**
 * Models declare themselves (ARCHITECTURE §2): options, defaults, descriptions and validation all
 * derive from the declarations, so these tests check the derivation, model by model.
 */
import { describe, expect, it } from "vitest";
import { coerceOption, type RawOption, resolveSimConfig } from "../../src/config/resolve.js";
import { findOption, helpLine, modelList, modelsTaking, type OptionSpec, SIM_OPTIONS } from "../../src/config/spec.js";
import { UsageError } from "../../src/errors.js";
import { MODEL_NAMES, MODELS } from "../../src/models/index.js";
import { describeRun, describeRunParts } from "../../src/output/describe.js";
import { flags } from "../helpers.js";

const resolved = (o: Record<string, unknown>) => ({ ...resolveSimConfig(flags(o)), sampleSize: 50 });

describe("model declarations", () => {
  it.each(MODEL_NAMES)("%s: every declared option has a valid default, for the model's own defaults too", (name) => {
    const model = MODELS.find((m) => m.name === name)!;
    const config = resolveSimConfig(flags({ model: name })) as unknown as Record<string, unknown>;
    for (const spec of model.options) {
      const value = config[spec.key];
      expect(value, spec.key).toEqual(model.defaults?.[spec.key] ?? spec.default);
      // A default must pass the option's own checks (null means off and is never checked).
      if (value !== null) expect(coerceOption(spec, { value, origin: { kind: "flag" } }), spec.key).toEqual(value);
    }
  });

  it("lists each option once, in the document's order, with every model's options in the configuration", () => {
    const keys = SIM_OPTIONS.map((o) => o.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const model of MODELS) for (const spec of model.options) expect(keys).toContain(spec.key);
    expect(Object.keys(resolveSimConfig(new Map()))).toEqual(keys);
  });

  it("rejects an option the model does not declare, naming the models that do", () => {
    for (const spec of SIM_OPTIONS) {
      const takers = modelsTaking(spec.key).map((m) => m.name);
      const other = MODEL_NAMES.find((n) => !takers.includes(n));
      if (!other || spec.type === "boolean") continue;
      const value = spec.default ?? (spec.type === "numberList" ? "2" : spec.type === "string" ? "x" : (spec.min ?? 1));
      const raw = new Map<string, RawOption>([
        ["model", { value: other, origin: { kind: "flag" } }],
        [spec.key, { value, origin: { kind: "flag" } }],
      ]);
      expect(() => resolveSimConfig(raw), spec.key).toThrow(UsageError);
      expect(() => resolveSimConfig(raw), spec.key).toThrow(`--${spec.flag} does not apply to --model ${other} (only to ${takers.join(", ")}); remove it`);
    }
  });

  it("derives --help lines: the models that take an option and the defaults that differ", () => {
    expect(helpLine(findOption("estimator")!)).toMatch(/\(gaussian, mvn, linreg; default mle\)$/);
    expect(helpLine(findOption("target")!)).toMatch(/^the target column.*\(linreg; default y\)$/);
    expect(helpLine(findOption("replicates")!)).toMatch(/\(default 200; gmm 50, categorical 100, ngram 5\)$/);
    expect(helpLine(findOption("dims")!)).toMatch(/\(mvn, gmm; default 2; gmm 1\)$/);
    expect(modelList().map((l) => l.trim().split(/\s+/)[0])).toEqual(MODEL_NAMES);
  });
});

describe("number options that also take words", () => {
  const spec: OptionSpec = { key: "width", flag: "width", type: "number", words: ["auto", "wide"], above: 0, group: "model", default: "auto", description: "" };
  const coerce = (value: unknown) => coerceOption(spec, { value, origin: { kind: "flag" } });

  it("keep a word as written and a number as a number, and name both in one message otherwise", () => {
    expect(coerce("auto")).toBe("auto");
    expect(coerce(" wide ")).toBe("wide");
    expect(coerce("0.50")).toBe(0.5);
    expect(coerce(2)).toBe(2);
    expect(() => coerce("-1")).toThrow('--width must be auto, wide or a number > 0, got "-1"');
    expect(() => coerce("wid")).toThrow('--width must be auto, wide or a number > 0, got "wid" (did you mean wide?)');
    expect(() => coerce(true)).toThrow("--width must be auto, wide or a number > 0, got true");
  });
});

describe("the one run description", () => {
  it("says what each model's own options are, and only for the models that take them", () => {
    expect(describeRun(resolved({}))).toContain("estimator mle");
    expect(describeRun(resolved({ model: "gmm" }))).not.toContain("estimator");
    expect(describeRun(resolved({ model: "gmm", components: 3 }))).toContain("≤3 components");
    expect(describeRun(resolved({ model: "ngram", tokens: "char", order: 3 }))).toContain("char tokens · trigram");
    expect(describeRun(resolved({ model: "categorical", temperature: 0.5, topK: 3 }))).toContain("T=0.5 · top-k 3");
  });

  it("leaves out what a sweep varies, and what a layout says elsewhere while still knowing the model", () => {
    const c = resolved({ model: "gmm", truncate: 2, source: "normal(0,1)" });
    const parts = describeRunParts(c, new Set(["truncate"]), new Set(["model", "generations"]));
    expect(parts[0]).toBe("source normal(0,1) ×500");
    expect(parts.join(" · ")).not.toMatch(/truncate|gmm|generations|estimator/);
    expect(parts).toContain("≤2 components");
  });
});
