/**
 * Property: the JSON documents a user hands over — `--config` files (read, then resolved into a
 * configuration) and baselines for `collapse check` — given arbitrary strings or bytes, are read
 * or refused with a CollapseError; never another exception. Seed: SEED in arbitraries.ts (fixed).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, it } from "vitest";
import { readCheckBaseline } from "../../src/check/sweep-baseline.js";
import { readConfigFile } from "../../src/cli/options.js";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { tempDir } from "../cli/cli.js";
import { anyBytes, anyText, onlyCollapseErrors, onlyCollapseErrorsAsync, RUNS } from "./arbitraries.js";

const dir = tempDir();
const file = join(dir, "doc.json");

const OPTION_VALUE = fc.oneof(
  fc.constantFrom(0, 1, -1, 2, 1e9, 1e400, 0.5, null, true, "x", "", "gaussian", "ngram", "mix", "normal(0,1)", "1e400", [], {}, [1, 2]),
  fc.string({ maxLength: 10 }),
  fc.double(),
);
const OPTION_KEY = fc.constantFrom(
  "model",
  "generations",
  "sampleSize",
  "replicates",
  "seed",
  "source",
  "seedSize",
  "regime",
  "realFraction",
  "filterRecall",
  "temperature",
  "topK",
  "topP",
  "truncate",
  "tokens",
  "order",
  "holdout",
  "smoothing",
  "components",
  "dims",
  "tailK",
  "quantiles",
  "estimator",
  "theory",
  "column",
  "constructor",
  "__proto__",
  "toString",
  "grid",
  "frobnicate",
);
/** Config-like JSON: objects of real option names with plausible and hostile values. */
const configLike = fc.dictionary(OPTION_KEY, OPTION_VALUE, { maxKeys: 6 }).map((o) => JSON.stringify(o));

/** Baseline-like JSON: a result document with fields removed, retyped or made hostile. */
const baselineLike = fc
  .record(
    {
      tool: fc.oneof(fc.constant({ name: "collapse", version: "0.1.0" }), OPTION_VALUE),
      config: fc.oneof(fc.dictionary(OPTION_KEY, OPTION_VALUE, { maxKeys: 5 }), OPTION_VALUE),
      seed: OPTION_VALUE,
      generations: fc.oneof(
        fc.array(
          fc.record({
            generation: OPTION_VALUE,
            metrics: fc.oneof(
              fc.dictionary(
                fc.constantFrom("var_ratio", "constructor", "__proto__", "x"),
                fc.dictionary(fc.constantFrom("mean", "sd", "se", "median", "p025", "p975", "toString"), OPTION_VALUE),
              ),
              OPTION_VALUE,
            ),
          }),
          { maxLength: 3 },
        ),
        OPTION_VALUE,
      ),
    },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o));

function loadConfig(content: string | Uint8Array): void {
  writeFileSync(file, content);
  const raw = onlyCollapseErrors(() => readConfigFile(file));
  if (raw instanceof Error) return;
  onlyCollapseErrors(() => resolveSimConfig(raw));
}

/** Reading a baseline is async: its refusal is awaited, or it would surface later as an unhandled rejection. */
async function loadBaseline(content: string | Uint8Array): Promise<void> {
  writeFileSync(file, content);
  await onlyCollapseErrorsAsync(() => readCheckBaseline(file));
}

describe("property: --config files", () => {
  it("arbitrary strings are read and resolved, or give a CollapseError", () => {
    fc.assert(fc.property(fc.oneof(anyText, configLike, configLike), loadConfig), RUNS);
  });
  it("arbitrary bytes are read and resolved, or give a CollapseError", () => {
    fc.assert(fc.property(anyBytes, loadConfig), RUNS);
  });
});

/** Sweep-baseline-like JSON: a sweep document with its grid, points and their fields removed, retyped or made hostile. */
const sweepLike = fc
  .record(
    {
      tool: fc.oneof(fc.constant({ name: "collapse", version: "0.1.0" }), OPTION_VALUE),
      config: fc.oneof(
        fc.record({
          seed: fc.oneof(fc.constant("1"), OPTION_VALUE),
          grid: fc.dictionary(OPTION_KEY, fc.oneof(fc.array(OPTION_VALUE, { maxLength: 3 }), OPTION_VALUE), { maxKeys: 3 }),
        }),
        OPTION_VALUE,
      ),
      seed: fc.oneof(fc.constant("1"), OPTION_VALUE),
      grid: fc.oneof(fc.array(OPTION_KEY, { maxLength: 3 }), OPTION_VALUE),
      points: fc.oneof(
        fc.array(
          fc.record(
            {
              params: fc.oneof(fc.dictionary(OPTION_KEY, OPTION_VALUE, { maxKeys: 3 }), OPTION_VALUE),
              config: fc.oneof(fc.dictionary(OPTION_KEY, OPTION_VALUE, { maxKeys: 5 }), OPTION_VALUE),
              generations: fc.oneof(fc.array(fc.record({ generation: OPTION_VALUE, metrics: OPTION_VALUE }), { maxLength: 2 }), OPTION_VALUE),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        OPTION_VALUE,
      ),
      shard: OPTION_VALUE,
    },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o));

describe("property: baselines", () => {
  it("arbitrary strings are read, or give a CollapseError", async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(anyText, baselineLike, baselineLike, sweepLike, sweepLike), loadBaseline), RUNS);
  });
  it("arbitrary bytes are read, or give a CollapseError", async () => {
    await fc.assert(fc.asyncProperty(anyBytes, loadBaseline), RUNS);
  });
});
