/**
 * The buffer pool (src/stats/buffer-pool.ts): arrays come zero-filled and of the length asked,
 * whether on a new buffer or a handed-back one; a handed-back buffer serves the next array that
 * fits it without wasting most of it, and is let go at the recycle after.
 */
import { describe, expect, it } from "vitest";
import { pooled, recycle, takeDoubles, takeInts } from "../../src/stats/buffer-pool.js";

describe("the buffer pool", () => {
  it("gives zero-filled arrays of the length asked, on a handed-back buffer when one fits", () => {
    recycle([]);
    const a = takeInts(100_000);
    expect(a.length).toBe(100_000);
    a.fill(7);
    const buffer = a.buffer;
    recycle([a]);
    expect(pooled().buffers).toBe(1);
    // A little longer still fits the room a new buffer is given.
    const b = takeInts(101_000);
    expect(b.buffer).toBe(buffer);
    expect(b.length).toBe(101_000);
    expect(b.every((x) => x === 0)).toBe(true);
    recycle([b]);
    const d = takeDoubles(50_000);
    expect(d.buffer).toBe(buffer);
    expect(d.length).toBe(50_000);
    expect(d.every((x) => x === 0)).toBe(true);
    expect(pooled().buffers).toBe(0);
  });

  it("keeps a large buffer for a large array, and lets go what the next recycle finds untaken", () => {
    recycle([takeInts(1_000_000)]);
    const small = takeInts(100_000);
    expect(pooled().buffers).toBe(1);
    expect(small.buffer.byteLength).toBeLessThan(1_000_000);
    recycle([small]);
    expect(pooled()).toEqual({ buffers: 1, bytes: small.buffer.byteLength });
  });

  it("pools neither small buffers nor shared memory, and a buffer under two arrays once", () => {
    const shared = new Int32Array(new SharedArrayBuffer(1 << 20));
    const tiny = takeInts(100);
    const whole = new Float64Array(1 << 16);
    recycle([shared, tiny, whole, new Int32Array(whole.buffer)]);
    expect(pooled()).toEqual({ buffers: 1, bytes: whole.byteLength });
    recycle([]);
    expect(pooled().buffers).toBe(0);
  });
});
