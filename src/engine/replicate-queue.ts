/**
 * The replicates of one run, taken by whichever thread is free: the coordinator thread and its
 * replicate workers share one counter in shared memory, so no thread waits on another to be handed
 * work, and every thread finishes at about the same time however fast each one runs (a worker
 * starts late, having to start and prepare; some replicates take twice as long as others). Which
 * thread runs a replicate does not change its result: each draws from its own stream.
 */

/** What a worker is sent to take from the same queue (a SharedArrayBuffer is shared, not copied). */
export interface QueueHandle {
  readonly cursor: SharedArrayBuffer;
  readonly to: number;
  readonly threads: number;
}

export class ReplicateQueue {
  private readonly next: Int32Array;

  /** Replicates [from, to) for `threads` threads; or the queue another thread made, from its handle. */
  constructor(
    readonly handle: QueueHandle,
    from?: number,
  ) {
    this.next = new Int32Array(handle.cursor);
    if (from !== undefined) Atomics.store(this.next, 0, from);
  }

  static create(from: number, to: number, threads: number): ReplicateQueue {
    return new ReplicateQueue({ cursor: new SharedArrayBuffer(4), to, threads }, from);
  }

  /** How many replicates are left to take. */
  left(): number {
    return Math.max(0, this.handle.to - Atomics.load(this.next, 0));
  }

  /** The next replicate, or null when none is left. */
  takeOne(): number | null {
    const range = this.take(() => 1);
    return range === null ? null : range[0];
  }

  /**
   * The next replicates for a worker: a share of what is left (guided self-scheduling), large while
   * much is left, so that messages stay few, and down to one at the end, so that no thread waits
   * long for the last. Null when none is left.
   */
  takeChunk(): [number, number] | null {
    return this.take((left) => Math.ceil(left / (2 * this.handle.threads)));
  }

  private take(size: (left: number) => number): [number, number] | null {
    for (;;) {
      const from = Atomics.load(this.next, 0);
      const left = this.handle.to - from;
      if (left <= 0) return null;
      const to = from + Math.min(left, Math.max(1, size(left)));
      // Another thread may have taken some meanwhile: then try again from where it left off.
      if (Atomics.compareExchange(this.next, 0, from, to) === from) return [from, to];
    }
  }
}
