/**
 * The result document as columns (src/core/result-columns.ts), which the coordinator thread sends
 * the main thread in place of the objects: after a transfer between threads the document must come
 * back with the same keys in the same order and the same numbers, bit for bit (−0 and NaN
 * included), and each summary must sit under its own generation and metric.
 */
import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { summarize } from "../../src/core/aggregate.js";
import { runReplicates } from "../../src/core/loop.js";
import {
  columnBuffers,
  EXTINCTIONS_PER_STEP,
  extinctionColumns,
  GENERATIONS_PER_STEP,
  type ResultColumns,
  resultFromColumns,
  resultFromColumnsInSteps,
  TheoryColumnsBuilder,
} from "../../src/core/result-columns.js";
import { assembleColumns } from "../../src/core/run.js";
import { flags } from "../helpers.js";
import { prepare } from "../run.js";

/** The columns as another thread receives them: posted through a real port, their buffers moved. */
async function sentThroughPort(columns: ResultColumns): Promise<ResultColumns> {
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<ResultColumns>((resolve) => port2.once("message", resolve));
  port1.postMessage(columns, columnBuffers(columns));
  const got = await received;
  port1.close();
  return got;
}

function runColumns(o: Record<string, unknown>) {
  const { prepared } = prepare(resolveSimConfig(flags(o)));
  const block = runReplicates(prepared, 0, prepared.config.replicates);
  return { prepared, block, columns: assembleColumns(prepared, [block]) };
}

describe("a run's columns", () => {
  it.each([
    ["gaussian (theory every generation)", { generations: 4, replicates: 7 }],
    ["categorical (extinctions, samples)", { model: "categorical", generations: 5, replicates: 6, sampleSize: 300 }],
    ["ngram (samples, no theory)", { model: "ngram", generations: 2, replicates: 3 }],
    ["mvn under mix (a real-fraction schedule: no theory)", { model: "mvn", dims: 2, regime: "mix", realFraction: "0..0.5", generations: 3, replicates: 4 }],
  ])("%s: the same document after a transfer, and each summary that of its generation and metric", async (_, o) => {
    const { prepared, block, columns } = runColumns(o);
    const before = JSON.stringify(resultFromColumns(columns));
    const result = resultFromColumns(await sentThroughPort(columns));
    expect(columns.summaries.length).toBe(0); // moved, not copied
    expect(JSON.stringify(result)).toBe(before);
    // Independently of the columns: summarize each (generation, metric) of the block's values.
    expect(result.generations).toHaveLength(prepared.config.generations + 1);
    result.generations.forEach((gen, g) => {
      expect(gen.generation).toBe(g);
      expect(Object.keys(gen.metrics)).toEqual(prepared.metricNames);
      prepared.metricNames.forEach((name, m) => {
        const values = Float64Array.from({ length: prepared.config.replicates }, (_, r) => block.values[m]![g * prepared.config.replicates + r]!);
        expect(gen.metrics[name]).toEqual(summarize(values));
      });
    });
  });
});

describe("resultFromColumns", () => {
  it("keeps −0, NaN and infinities, each generation's theory keys in order, and no theory where there was none", async () => {
    const theory = new TheoryColumnsBuilder();
    // The last has a key whose value is undefined, which JSON.stringify leaves out: so must the columns.
    const theories: (Record<string, number> | undefined)[] = [
      { a: -0, b: Number.NaN },
      undefined,
      { b: Infinity, a: 1 },
      { a: 2, b: 3 },
      { c: -Infinity },
      { a: 5, b: undefined as unknown as number },
    ];
    for (const t of theories) theory.add(t);
    const summaries = new Float64Array(6 * 2 * 6).map((_, i) => [-0, Number.NaN, i / 7, -Infinity][i % 4]!);
    const training = new Float64Array(6 * 3).map((_, i) => (i % 3 === 2 ? -0 : i));
    const columns: ResultColumns = {
      head: { tool: { name: "collapse", version: "x" }, config: {} as never, seed: "s", seed_fit: { ks: 0.5 } },
      extinctions: extinctionColumns([], [], []),
      metricNames: ["x", "y"],
      summaries,
      theory: theory.build(),
      samples: ["s0", "s1", "s2", "s3", "s4", "s5"],
      training,
    };
    const expected = summaries.slice();
    const result = resultFromColumns(await sentThroughPort(columns));
    expect(Object.keys(result)).toEqual(["tool", "config", "seed", "seed_fit", "generations", "extinctions"]);
    result.generations.forEach((gen, g) => {
      const t = theories[g];
      if (t === undefined) expect("theory" in gen).toBe(false);
      else {
        const defined = Object.entries(t).filter(([, v]) => v !== undefined);
        expect(Object.keys(gen.theory!)).toEqual(defined.map(([k]) => k));
        for (const [k, v] of defined) expect(Object.is(gen.theory![k], v)).toBe(true);
      }
      expect(Object.keys(gen)).toEqual(
        t === undefined ? ["generation", "metrics", "sample", "training"] : ["generation", "metrics", "theory", "sample", "training"],
      );
      expect(gen.sample).toBe(`s${g}`);
      ["x", "y"].forEach((name, m) => {
        const values = Object.values(gen.metrics[name]!);
        expect(Object.keys(gen.metrics[name]!)).toEqual(["mean", "sd", "se", "median", "p025", "p975"]);
        values.forEach((v, k) => expect(Object.is(v, expected[(g * 2 + m) * 6 + k])).toBe(true));
      });
      expect(Object.is(gen.training!.real_share, -0)).toBe(true);
      expect(gen.training!.real).toBe(3 * g);
    });
  });

  it("leaves out seed_fit, samples and extinctions a document does not have", () => {
    const result = resultFromColumns({
      head: { tool: { name: "collapse", version: "x" }, config: {} as never, seed: "s" },
      extinctions: null,
      metricNames: ["x"],
      summaries: new Float64Array(6),
      theory: null,
      samples: null,
      training: new Float64Array(3),
    });
    expect(Object.keys(result)).toEqual(["tool", "config", "seed", "generations"]);
    expect(Object.keys(result.generations[0]!)).toEqual(["generation", "metrics", "training"]);
  });
});

describe("resultFromColumnsInSteps", () => {
  it("makes the same document as resultFromColumns, pausing after every GENERATIONS_PER_STEP generations", async () => {
    // 2.5 steps' worth of generations, with theory: the theory values' running index crosses steps.
    const generations = Math.floor(2.5 * GENERATIONS_PER_STEP);
    const { columns } = runColumns({ generations, replicates: 2, sampleSize: 5, theory: true });
    let pauses = 0;
    const stepped = await resultFromColumnsInSteps(columns, async () => pauses++);
    expect(JSON.stringify(stepped)).toBe(JSON.stringify(resultFromColumns(columns)));
    expect(stepped.generations[generations]!.theory).toBeDefined();
    expect(pauses).toBe(Math.floor(generations / GENERATIONS_PER_STEP));
  });

  it("makes the extinction records in steps too, after the generations", async () => {
    // A categorical run whose 2.5 steps' worth of categories mostly die.
    const { columns } = runColumns({ model: "categorical", source: "zipf(0.2,300000)", seedSize: 600_000, sampleSize: 100, generations: 1, replicates: 1 });
    const count = columns.extinctions!.generation.length;
    expect(count).toBeGreaterThan(2 * EXTINCTIONS_PER_STEP);
    let pauses = 0;
    const stepped = await resultFromColumnsInSteps(columns, async () => pauses++);
    expect(JSON.stringify(stepped)).toBe(JSON.stringify(resultFromColumns(columns)));
    expect(stepped.extinctions).toHaveLength(count);
    expect(pauses).toBe(Math.floor(count / EXTINCTIONS_PER_STEP));
  });
});

describe("extinctionColumns", () => {
  it("gives back each record's category, generation and share, over pieces of names (names of every length, empty too)", async () => {
    const names = ["a", "", "ΟΔΟΣ 😀", "b".repeat(70), "c", "d".repeat(2 ** 26), "e", "f".repeat(2 ** 26 + 3), "", "g"];
    const generation = names.map((_, i) => i * 3);
    const share = names.map((_, i) => 1 / (i + 1));
    const columns = extinctionColumns(names, generation, share);
    // A name never cut: the long ones sit in pieces of their own.
    expect(columns.names.length).toBeGreaterThan(2);
    for (const piece of columns.names) expect(piece.length <= 2 ** 26 || names.includes(piece)).toBe(true);
    const result = resultFromColumns(
      await sentThroughPort({
        head: { tool: { name: "collapse", version: "x" }, config: {} as never, seed: "s" },
        extinctions: columns,
        metricNames: [],
        summaries: new Float64Array(0),
        theory: null,
        samples: null,
        training: new Float64Array(3),
      }),
    );
    expect(result.extinctions).toEqual(names.map((category, i) => ({ category, generation: generation[i], replicates: share[i] })));
  });
});
