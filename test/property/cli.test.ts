/**
 * Property through the real command line: arbitrary bytes as `--data FILE` (every extension, the
 * numeric, label and text models) end with exit 0, or exit 2 and exactly one stderr line —
 * never a trace, never another code. 36 inputs drawn with the fixed seed SEED (arbitraries.ts),
 * run four at a time against the built binary (npm run build first).
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BIN, tempDir } from "../cli/cli.js";
import { anyBytes, SEED } from "./arbitraries.js";

const MODELS = [
  ["gaussian", ["-m", "5"]],
  ["mvn", ["-m", "5"]],
  ["categorical", ["-m", "20"]],
  ["ngram", ["-m", "30"]],
] as const;
const EXTENSIONS = ["csv", "tsv", "json", "ndjson", "txt"] as const;

const inputs = fc.sample(fc.tuple(anyBytes, fc.constantFrom(...EXTENSIONS), fc.constantFrom(...MODELS)), { seed: SEED, numRuns: 36 });

function run(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString("utf8")));
    child.on("error", fail);
    const limit = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", (code) => (clearTimeout(limit), done({ code, stderr })));
  });
}

describe("property: arbitrary bytes through collapse sim --data FILE", () => {
  it(`${inputs.length} inputs (seed ${SEED}) exit 0, or 2 with one line`, async () => {
    const dir = tempDir();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const i = next++;
        const [bytes, ext, [model, size]] = inputs[i]!;
        const name = `in-${i}.${ext}`;
        writeFileSync(join(dir, name), bytes);
        const r = await run(["sim", "--model", model, "--data", name, "-g", "1", "-r", "2", ...size, "--jobs", "1", "--quiet"], dir);
        const lines = r.stderr.split("\n").filter((l) => l !== "");
        const ok = r.code === 0 ? lines.length <= 1 : r.code === 2 && lines.length === 1 && lines[0]!.startsWith("collapse: ");
        if (!ok)
          failures.push(
            `${name} (--model ${model}, bytes ${Buffer.from(bytes).toString("hex").slice(0, 80)}): exit ${r.code}, stderr ${JSON.stringify(r.stderr.slice(0, 300))}`,
          );
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(failures).toEqual([]);
  }, 120_000);
});
