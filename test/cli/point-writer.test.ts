/**
 * The sweep's point writer (src/cli/point-writer.ts): points written in the order they were added,
 * each framed as the framer frames it whole, bytes cut into slices; and a failed write kept, thrown
 * by the next add (which stops the pool) and by drain, with nothing written after it.
 */
import { describe, expect, it } from "vitest";
import { PointWriter } from "../../src/cli/point-writer.js";
import type { Sink } from "../../src/output/write.js";
import { SweepFramer } from "../../src/sweep/render.js";

const head = { tool: { name: "collapse", version: "0" }, config: {}, seed: "1", grid: ["sampleSize"] };
const shard = { index: 1, count: 1, points: 3, hash: "h" };

/** A sink that keeps what it is given, and fails at the `failAt`-th write. */
function memorySink(failAt = Number.POSITIVE_INFINITY): Sink & { text: () => string; writes: number } {
  const parts: Buffer[] = [];
  let writes = 0;
  return {
    write(piece) {
      if (++writes === failAt) throw new Error("cannot write out.csv: no space left on device (ENOSPC)");
      parts.push(Buffer.from(piece));
    },
    commit: async () => {},
    abort: () => {},
    text: () => Buffer.concat(parts).toString("utf8"),
    get writes() {
      return writes;
    },
  };
}

describe("PointWriter", () => {
  it("writes points in the order added, framed and hashed as the framer does it whole, text or bytes cut anywhere", async () => {
    for (const format of ["json", "csv"] as const) {
      const bodies = ["a,1\n", "é".repeat(5000), "c,3\n"];
      const whole = new SweepFramer(format, head, shard);
      const expected = whole.opening() + bodies.map((b, i) => whole.point(i, b)).join("") + whole.closing();
      const framer = new SweepFramer(format, head, shard);
      const sink = memorySink();
      // Slices of 7 bytes: "é" is two, so some slices end inside a character.
      const writer = new PointWriter(7);
      sink.write(framer.opening());
      // Point 1 as bytes in two pieces, cut inside a character too.
      const bytes = new TextEncoder().encode(bodies[1]!);
      bodies.forEach((b, i) => writer.add(sink, framer, i, i === 1 ? [bytes.subarray(0, 3), bytes.subarray(3)] : b));
      await writer.drain();
      sink.write(framer.closing());
      expect(sink.text()).toBe(expected);
    }
  });

  it("runs `before` just before a point's first write and `after` just after its last (a bar cleared around rows)", async () => {
    const framer = new SweepFramer("csv", head, null);
    const events: string[] = [];
    const sink: Sink = { write: (piece) => void events.push(`write ${Buffer.from(piece).toString()}`), commit: async () => {}, abort: () => {} };
    const writer = new PointWriter(2);
    const bytes = new TextEncoder().encode("a,1\n");
    for (const i of [0, 1]) writer.add(sink, framer, i, [bytes], { before: () => events.push(`before ${i}`), after: () => events.push(`after ${i}`) });
    await writer.drain();
    expect(events).toEqual(["before 0", "write a,", "write 1\n", "after 0", "before 1", "write a,", "write 1\n", "after 1"]);
  });

  it("keeps a failed write: nothing is written after it, the next add and drain throw it", async () => {
    const framer = new SweepFramer("csv", head, null);
    const sink = memorySink(2);
    const writer = new PointWriter();
    writer.add(sink, framer, 0, "a,1\n");
    writer.add(sink, framer, 1, "b,2\n");
    writer.add(sink, framer, 2, "c,3\n");
    await expect(writer.drain()).rejects.toThrow(/ENOSPC/);
    expect(sink.text()).toBe("a,1\n");
    expect(() => writer.add(sink, framer, 3, "d,4\n")).toThrow(/ENOSPC/);
  });
});
