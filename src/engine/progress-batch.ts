/**
 * A thread's replicate-generations done, reported to the thread that shows progress in batches
 * about INTERVAL_MS apart: a message per generation would cost more than a small generation does.
 * Reading the clock at every generation did too: a million reads of Date.now() were 74 ms of
 * `sim -g 1000 -r 1000`'s 2.5 s. The clock is read every `stride` generations instead, a stride
 * that follows the pace: a sixteenth of the last batch's generations, so that it is still read
 * about 16 times an interval when generations get slower (the accumulate regime's grow with g),
 * and at most MAX_STRIDE, reached only by generations under 0.1 ms: however slow the next ones
 * turn, the clock is read again within MAX_STRIDE of them.
 */
const INTERVAL_MS = 100;
const MAX_STRIDE = 64;

export interface ProgressBatch {
  /** One replicate-generation done. */
  readonly tick: () => void;
  /** Reports what is pending (at the end of a thread's work). */
  readonly flush: () => void;
}

export function progressBatch(report: (generations: number) => void): ProgressBatch {
  let pending = 0;
  let stride = 1;
  let untilClock = 1;
  let last = Date.now();
  const flush = () => {
    if (pending > 0) report(pending);
    pending = 0;
  };
  const tick = () => {
    pending++;
    if (--untilClock > 0) return;
    const now = Date.now();
    if (now - last > INTERVAL_MS) {
      stride = Math.min(MAX_STRIDE, Math.max(1, pending >>> 4));
      flush();
      last = now;
    }
    untilClock = stride;
  };
  return { tick, flush };
}
