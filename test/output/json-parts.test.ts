/**
 * The JSON document in pieces (src/output/json-parts.ts) must join to exactly
 * JSON.stringify(result, null, 2) and a newline: for every model's document (theory, samples,
 * extinctions, a seed fit), across the boundaries of its pieces, and when a string of the config
 * spells the very text the pieces are cut at.
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import type { SimResult } from "../../src/core/result.js";
import { jsonParts } from "../../src/output/json-parts.js";
import { flags } from "../helpers.js";
import { simulate } from "../run.js";

const whole = (r: SimResult) => `${JSON.stringify(r, null, 2)}\n`;
const run = (o: Record<string, unknown>) => simulate(resolveSimConfig(flags({ replicates: 3, ...o }))).result;

describe("jsonParts", () => {
  it.each([
    ["gaussian, 130 generations (three pieces of 64)", { generations: 130 }],
    ["gaussian, 63 generations (one piece, at the boundary)", { generations: 63 }],
    ["gaussian, 0 generations", { generations: 0 }],
    ["categorical (extinctions)", { model: "categorical", generations: 70, sampleSize: 200 }],
    ["ngram (samples, a seed fit)", { model: "ngram", generations: 2 }],
    ["mvn", { model: "mvn", dims: 2, generations: 3 }],
  ])("%s: the pieces join to JSON.stringify's text", (_, o) => {
    const r = run(o);
    const parts = [...jsonParts(r)];
    expect(parts.join("")).toBe(whole(r));
    // More than one piece once there are generations: the text is never made whole.
    if (r.generations.length > 64) expect(parts.length).toBeGreaterThan(3);
  });

  it("a categorical run with 5,000 lost categories: its extinctions too are in pieces, no piece of them over 2,048 records", () => {
    const r = run({ model: "categorical", source: "zipf(0.3,6000)", seedSize: 30000, sampleSize: 50, generations: 3 });
    expect(r.extinctions!.length).toBeGreaterThan(4096);
    const parts = [...jsonParts(r)];
    expect(parts.join("")).toBe(whole(r));
    for (const part of parts) expect(part.split('"category"').length - 1).toBeLessThanOrEqual(2048);
    // A document with no extinctions (none died) keeps its empty list.
    const none = { ...r, extinctions: [] };
    expect([...jsonParts(none)].join("")).toBe(whole(none));
  });

  it("a seed that spells the cut, quotes and line breaks in it, is written as JSON.stringify writes it", () => {
    const seed = 'x\n  "extinctions": []\n  "generations": []\n"\\';
    const r = run({ model: "categorical", generations: 5, seed });
    expect([...jsonParts(r)].join("")).toBe(whole(r));
  });

  it("a seed that spells the cut, quotes and line breaks in it, is written as JSON.stringify writes it (gaussian)", () => {
    const seed = 'x\n  "generations": []\n"\\';
    const r = run({ generations: 5, seed });
    expect(r.seed).toBe(seed);
    expect([...jsonParts(r)].join("")).toBe(whole(r));
  });

  it("a document without generations, or with undefined values, as JSON.stringify writes it", () => {
    const r = run({ generations: 2 });
    const empty = { ...r, generations: [] };
    expect([...jsonParts(empty)].join("")).toBe(whole(empty));
    const holes = { ...r, generations: r.generations.map((g) => ({ ...g, sample: undefined })) } as SimResult;
    expect([...jsonParts(holes)].join("")).toBe(whole(holes));
  });

  it("makes each piece when it is asked for", () => {
    const r = run({ generations: 200 });
    let reads = 0;
    const counted = {
      ...r,
      generations: r.generations.map((g) => ({
        ...g,
        get generation() {
          reads++;
          return g.generation;
        },
      })),
    } as SimResult;
    const pieces = jsonParts(counted);
    pieces.next(); // the document's head
    pieces.next(); // the first 64 generations
    // The head is made from a copy with no generations; JSON.stringify read 64 generations, not 201.
    expect(reads).toBe(64);
  });
});
