/**
 * Property through the real command line: arbitrary bytes as `--data FILE` (every extension, the
 * numeric, label and text models) end with exit 0, or exit 2 and exactly one stderr line —
 * never a trace, never another code. 36 inputs drawn with the fixed seed SEED (arbitraries.ts),
 * run one after another through the built entry in-process (test/cli/in-process.ts): its exit
 * code and stderr are the binary's, without starting Node 36 times. (An exception escaping the
 * entry would fail the run as an unhandled error, as it would crash the binary.)
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tempDir } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { anyBytes, SEED } from "./arbitraries.js";

const MODELS = [
  ["gaussian", ["-m", "5"]],
  ["mvn", ["-m", "5"]],
  ["categorical", ["-m", "20"]],
  ["ngram", ["-m", "30"]],
] as const;
const EXTENSIONS = ["csv", "tsv", "json", "ndjson", "txt"] as const;

const inputs = fc.sample(fc.tuple(anyBytes, fc.constantFrom(...EXTENSIONS), fc.constantFrom(...MODELS)), { seed: SEED, numRuns: 36 });

describe("property: arbitrary bytes through collapse sim --data FILE", () => {
  it(`${inputs.length} inputs (seed ${SEED}) exit 0, or 2 with one line`, async () => {
    const dir = tempDir();
    const failures: string[] = [];
    for (const [i, [bytes, ext, [model, size]]] of inputs.entries()) {
      const name = `in-${i}.${ext}`;
      writeFileSync(join(dir, name), bytes);
      const r = await cli(["sim", "--model", model, "--data", name, "-g", "1", "-r", "2", ...size, "--jobs", "1", "--quiet"], { cwd: dir });
      const lines = r.stderr.split("\n").filter((l) => l !== "");
      const ok = r.status === 0 ? lines.length <= 1 : r.status === 2 && lines.length === 1 && lines[0]!.startsWith("collapse: ");
      if (!ok)
        failures.push(
          `${name} (--model ${model}, bytes ${Buffer.from(bytes).toString("hex").slice(0, 80)}): exit ${r.status}, stderr ${JSON.stringify(r.stderr.slice(0, 300))}`,
        );
    }
    expect(failures).toEqual([]);
  });
});
