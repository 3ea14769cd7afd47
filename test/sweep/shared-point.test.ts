/**
 * A shared sweep point (src/sweep/shared-point.ts), with its helper in the same thread: the helper
 * runs inside the owner's announcement, limited to the first replicates of the queue (a handle
 * whose end is earlier; the cursor is the same), so which side ran which replicates is known
 * rather than left to the scheduler, as it is in the pool's tests (test/sweep/pool.test.ts).
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { assemble } from "../../src/core/run.js";
import { helpWithPoint, runSharedPoint, type SharedPoint } from "../../src/sweep/shared-point.js";
import { flags } from "../helpers.js";
import { prepare, simulate } from "../run.js";

// Categorical, so that extinctions (the store's deaths) go through the store too.
const config = resolveSimConfig(flags({ model: "categorical", generations: "6", replicates: "12", sampleSize: "40" }));

/** The point run by its owner, a helper having taken replicates [1, helperTo) first. */
function sharedRun(helperTo: number) {
  const { prepared } = prepare(config);
  let helped = 0;
  const block = runSharedPoint(prepared, 2, (shared: SharedPoint) => {
    const before = Atomics.load(new Int32Array(shared.done), 0);
    helpWithPoint(prepared, { ...shared, queue: { ...shared.queue, to: helperTo } });
    helped = Atomics.load(new Int32Array(shared.done), 0) - before;
  });
  return { helped, result: assemble(prepared, [block]) };
}

describe("a shared point's replicates, whoever ran them, assemble to the one-thread result", () => {
  const alone = JSON.stringify(simulate(config).result);

  it("a helper ran replicates 1 to 4 and the owner the rest", () => {
    const { helped, result } = sharedRun(5);
    expect(helped).toBe(4);
    expect(result.extinctions?.length).toBeGreaterThan(0);
    expect(JSON.stringify(result)).toBe(alone);
  });

  it("a helper ran every replicate but the owner's first", () => {
    const { helped, result } = sharedRun(12);
    expect(helped).toBe(11);
    expect(JSON.stringify(result)).toBe(alone);
  });
});
