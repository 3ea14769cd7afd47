/**
 * progressBatch: every generation reported exactly once, in batches about 100 ms apart, the clock
 * read only every `stride` generations; a slowdown after a fast stretch still reports promptly.
 * The clock is vitest's fake one, moved by hand.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { progressBatch } from "../../src/engine/progress-batch.js";

/** The fake clock's time, kept here so that moving it reads no clock. */
let clock = 0;

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
  vi.setSystemTime(clock);
});
afterEach(() => vi.useRealTimers());

/** Ticks `count` generations of `ms` each. */
function run(batch: ReturnType<typeof progressBatch>, count: number, ms: number): void {
  for (let i = 0; i < count; i++) {
    clock += ms;
    vi.setSystemTime(clock);
    batch.tick();
  }
}

describe("progressBatch", () => {
  it("reports every generation once, in batches more than 100 ms apart", () => {
    const reports: { at: number; generations: number }[] = [];
    const batch = progressBatch((generations) => reports.push({ at: clock, generations }));
    run(batch, 50_000, 0.01);
    run(batch, 3_000, 0.5);
    batch.flush();
    expect(reports.reduce((s, r) => s + r.generations, 0)).toBe(53_000);
    for (let i = 1; i < reports.length - 1; i++) expect(reports[i]!.at - reports[i - 1]!.at).toBeGreaterThan(100);
    // 0.5 + 1.5 s of ticks: about 20 reports, none missing for long.
    expect(reports.length).toBeGreaterThanOrEqual(15);
  });

  it("reads the clock rarely while generations are fast", () => {
    const batch = progressBatch(() => {});
    const now = vi.spyOn(Date, "now");
    // 2 s of 1 µs generations: every one reads the clock until the first report (100 ms), then one
    // in 64 (a read per generation would be 2 million).
    run(batch, 2_000_000, 0.001);
    expect(now.mock.calls.length).toBeLessThan(100_000 + 1_900_000 / 60);
    now.mockRestore();
  });

  it("reports within 64 generations of the interval when generations turn slow", () => {
    const reports: number[] = [];
    const batch = progressBatch(() => reports.push(clock));
    // Fast: 0.001 ms a generation, so the stride grows to its largest.
    run(batch, 300_000, 0.001);
    const before = reports.length;
    const start = clock;
    // Then 50 ms a generation: the next report within 100 ms plus one stride of them.
    run(batch, 200, 50);
    expect(reports.length).toBeGreaterThan(before);
    expect(reports[before]! - start).toBeLessThanOrEqual(100 + 64 * 50);
  });
});
