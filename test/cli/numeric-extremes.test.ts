/**
 * Overflow and underflow in seed data and source parameters are named as such (or work), never
 * "all values are equal", never a stack trace. Runs the built entry in-process (cli(),
 * test/cli/in-process.ts).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./cli.js";
import { cli } from "./in-process.js";

function oneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l !== "");
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

async function fails(args: string[], fragment: RegExp): Promise<string> {
  const r = await cli(args);
  expect(r.status, r.stderr).toBe(2);
  const line = oneLine(r.stderr);
  expect(line).toMatch(fragment);
  expect(line).not.toMatch(/values are equal/);
  return line;
}

/**
 * Runs and returns the final generation's metrics (JSON output). One job: the numbers do not
 * depend on --jobs (test/engine), and two replicate threads more would only cost their start-up.
 */
async function works(args: string[]): Promise<Record<string, { mean: number }>> {
  const r = await cli([...args, "-g", "3", "-r", "2", "--jobs", "1", "--format", "json"]);
  expect(r.status, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { generations: { metrics: Record<string, { mean: number }> }[] };
  const last = doc.generations.at(-1)!.metrics;
  for (const [name, s] of Object.entries(last)) expect(Number.isFinite(s.mean), `${name} = ${s.mean}`).toBe(true);
  return last;
}

function dataFile(values: number[], name = "x.txt"): string {
  const path = join(tempDir(), name);
  writeFileSync(path, values.map(String).join("\n") + "\n");
  return path;
}

function rows(d: number, scale: number, n = 60): string {
  const path = join(tempDir(), "rows.csv");
  const lines = [Array.from({ length: d }, (_, j) => `c${j}`).join(",")];
  for (let i = 0; i < n; i++) lines.push(Array.from({ length: d }, (_, j) => String(Math.sin(i * (j + 1.3) + j) * scale)).join(","));
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

const spread = (scale: number, n = 50) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * scale);

describe("--source parameters beyond a double", () => {
  it("names a literal that overflows", async () => {
    await fails(["sim", "--source", "normal(1e400,1)"], /1e400 overflows a double; use a value below 1\.8e308/);
    await fails(["sim", "--source", "normal(0,1e400)"], /1e400 overflows a double/);
  });
  it("names a uniform width that overflows", async () => {
    await fails(["sim", "--source", "uniform(-1e308,1e308)"], /width b − a overflows/);
  });
  it("names t draws that overflow", async () => {
    await fails(["sim", "--source", "t(1e-300)"], /overflow/);
  });
  it("names a sigma below a double's resolution at mu", async () => {
    await fails(["sim", "--source", "normal(1e300,1)"], /resolution/);
  });
  it("runs huge and tiny but representable spreads", async () => {
    expect((await works(["sim", "--source", "normal(0,1e300)"])).var_ratio).toBeDefined();
    expect((await works(["sim", "--source", "normal(0,1e-300)"])).var_ratio).toBeDefined();
    await works(["sim", "--source", "uniform(-1e300,1e300)"]);
    await works(["sim", "--source", "laplace(0,1e-300)"]);
  });
  it("mvn and gmm on extreme sources work or name the overflow or underflow of their covariance", async () => {
    await fails(["sim", "--model", "mvn", "--source", "normal(0,1e-300)"], /variance underflows/);
    await fails(["sim", "--model", "gmm", "--source", "mixture(0.5*normal(-5e200,1e200),0.5*normal(5e200,1e200))"], /variance overflows/);
    await works(["sim", "--model", "mvn", "--source", "normal(0,1e-100)"]);
    await works(["sim", "--model", "mvn", "--source", "normal(1e100,1e100)"]);
  });
});

describe("seed data at the edges of a double", () => {
  it("fits data of ±1e300 (scale-aware moments)", async () => {
    const m = await works(["sim", "--data", dataFile(spread(1e300))]);
    expect(m.std!.mean).toBeGreaterThan(1e299);
  });
  it("fits data of 1e-300", async () => {
    const m = await works(["sim", "--data", dataFile(spread(1e-300))]);
    expect(m.std!.mean).toBeGreaterThan(1e-301);
  });
  it("names subnormal data precisely", async () => {
    await fails(["sim", "--data", dataFile([5e-324, 1e-323, 0, -5e-324, 1.5e-323])], /subnormal|underflow/);
  });
  it("names data whose draws would overflow", async () => {
    await fails(["sim", "--data", dataFile([1e308, -1e308, 1.5e308, -1.7e308])], /overflow/);
  });
  it("still says all values are equal when they are", async () => {
    const r = await cli(["sim", "--data", dataFile([3, 3, 3, 3])]);
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/all 4 values are equal \(3\)/);
  });
  it("mvn and gmm name an overflowing or underflowing covariance, or work", async () => {
    for (const model of ["mvn", "gmm"]) {
      for (const scale of [1e300, 1e-300, 1e-320]) {
        const r = await cli(["sim", "--model", model, "--data", rows(2, scale), "-g", "2", "-r", "2", "--format", "json"]);
        if (r.status === 0) continue;
        expect(r.status, `${model} ${scale}: ${r.stderr}`).toBe(2);
        const line = oneLine(r.stderr);
        expect(line, `${model} ${scale}`).toMatch(/overflow|underflow|subnormal/);
        expect(line).not.toMatch(/values are equal|linear combination/);
      }
    }
  });
  it("zipf with a huge exponent and categorical counts of 1e308 answer in one line", async () => {
    const r = await cli(["sim", "--model", "categorical", "--source", "zipf(1e308,10)", "-g", "2", "-r", "2"]);
    expect([0, 2]).toContain(r.status);
    if (r.status === 2) oneLine(r.stderr);
    const counts = join(tempDir(), "counts.csv");
    writeFileSync(counts, "label,count\na,1e308\nb,3\n");
    const c = await cli(["sim", "--model", "categorical", "--data", counts]);
    expect(c.status).toBe(2);
    expect(oneLine(c.stderr)).toMatch(/too large|out of range/);
  });
});
