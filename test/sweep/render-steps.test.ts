/**
 * A json point's text made in pieces (jsonPointSteps), as collapse merge and the sweep's workers
 * make it, against the one call it stands in for (jsonPoint), for any JSON value, with arrays long
 * enough to be cut at every element; and a body framed in any pieces (SweepFramer.framePieces) as
 * it is framed whole: the same text, point hashes and shard checksum. (The framing's own bytes are
 * checked against the shard format in test/sweep/integrity.test.ts and merge.test.ts.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runSteps } from "../../src/steps.js";
import { jsonPoint, jsonPointSteps, type SweepFormat, SweepFramer } from "../../src/sweep/render.js";

const head = { tool: { name: "collapse", version: "0" }, config: { model: "gaussian" }, seed: "1", grid: ["sampleSize"] };
const shard = { index: 1, count: 2, points: 4, hash: "h" };

/** A point read from JSON: objects and arrays (some long) of anything JSON holds. */
const point = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.jsonValue({ maxDepth: 1 }), tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 9 }),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "1", "0", "a\nb")), tie("value"), { maxKeys: 5 }),
})).value;

/** The pieces of jsonPointSteps and how many pauses it made. */
function stepped(value: unknown, each: number): { text: string; pieces: string[]; pauses: number } {
  const pieces: string[] = [];
  const steps = jsonPointSteps(value, pieces, each);
  let pauses = 0;
  while (!steps.next().done) pauses++;
  return { text: pieces.join(""), pieces, pauses };
}

describe("jsonPointSteps", () => {
  it("joins to jsonPoint's text for any JSON value, cut after any number of elements", () => {
    fc.assert(
      fc.property(point, fc.integer({ min: 1, max: 4 }), (value, each) => {
        expect(stepped(value, each).text).toBe(jsonPoint(value));
      }),
      { numRuns: 500 },
    );
  });

  it("pauses once per run of elements of a long array, and holds a point's generations in pieces of that many", () => {
    const generations = Array.from({ length: 2500 }, (_, g) => ({ generation: g, metrics: { mean: { mean: g / 7, sd: 0 } } }));
    const value = { params: { sampleSize: 10 }, config: { tailK: [2, 3] }, generations };
    const { text, pieces, pauses } = stepped(value, 1000);
    expect(text).toBe(jsonPoint(value));
    expect(pauses).toBe(2);
    expect(pieces.length).toBe(3);
    expect(stepped(value, 5000).pauses).toBe(0);
  });
});

describe("SweepFramer.framePieces", () => {
  it("frames, hashes and checksums a body in pieces as it does the body whole", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<SweepFormat>("json", "csv", "ndjson"),
        fc.boolean(),
        fc.array(fc.array(fc.string(), { maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        (format, sharded, bodies) => {
          const whole = new SweepFramer(format, head, sharded ? shard : null);
          const pieces = new SweepFramer(format, head, sharded ? shard : null);
          expect(pieces.opening()).toBe(whole.opening());
          for (const [p, body] of bodies.entries()) {
            expect(runSteps(pieces.framePieces(p, body)).join("")).toBe(whole.point(p, body.join("")));
            expect(pieces.lastPointHash()).toBe(whole.lastPointHash());
          }
          if (sharded) expect(pieces.checksum()).toBe(whole.checksum());
          expect(pieces.closing()).toBe(whole.closing());
        },
      ),
      { numRuns: 200 },
    );
  });
});
