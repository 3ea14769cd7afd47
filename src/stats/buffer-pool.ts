/**
 * This thread's buffers for arrays that a model makes and drops once a generation (the n-gram
 * model's counts and sampler: tens of arrays of 0.1–30 MB each), handed back when the loop is done
 * with a generation's parameters and taken again by the next one, instead of being freed and
 * allocated anew. Freed, their memory stayed with the allocator: with two threads at work, glibc's
 * per-thread heaps grew generation after generation (the char 5-gram on a 1.2 MB text ended at
 * 224–249 MB, and at 217–224 MB with MALLOC_ARENA_MAX=1, which a program cannot set for itself;
 * with the pool, at 224–231 MB).
 *
 * `takeInts` and `takeDoubles` give a zero-filled array of exactly the length asked: a view on the
 * smallest pooled buffer that holds it, else a new buffer with room to spare (HEADROOM), so that
 * the next generation's slightly larger array fits too. `recycle` hands buffers back; those
 * handed back before and not taken since are let go then, so that the pool holds at most one
 * generation's arrays.
 */

/** A new buffer's room over the length asked. */
const HEADROOM = 1.125;

/** A pooled buffer serves an array of at least this share of its size (a large one is kept for a large array). */
const MIN_FILL = 2 / 3;

/** Buffers smaller than this are not pooled: the allocator serves them well. */
const MIN_POOLED_BYTES = 1 << 16;

/** Buffers handed back at the last recycle and not taken since. */
let free: ArrayBuffer[] = [];

/** Removes and returns the smallest pooled buffer that holds `bytes` without wasting most of it, or null. */
function takeBuffer(bytes: number): ArrayBuffer | null {
  let best = -1;
  for (let i = 0; i < free.length; i++) {
    const size = free[i]!.byteLength;
    if (size >= bytes && bytes >= MIN_FILL * size && (best < 0 || size < free[best]!.byteLength)) best = i;
  }
  return best < 0 ? null : free.splice(best, 1)[0]!;
}

function buffer(bytes: number): { buffer: ArrayBuffer; reused: boolean } {
  if (bytes < MIN_POOLED_BYTES) return { buffer: new ArrayBuffer(bytes), reused: false };
  const pooled = takeBuffer(bytes);
  if (pooled !== null) return { buffer: pooled, reused: true };
  return { buffer: new ArrayBuffer(8 * Math.ceil((HEADROOM * bytes) / 8)), reused: false };
}

/** A zero-filled Int32Array of `length`, on a pooled buffer when one fits. */
export function takeInts(length: number): Int32Array<ArrayBuffer> {
  const { buffer: b, reused } = buffer(4 * length);
  const a = new Int32Array(b, 0, length);
  if (reused) a.fill(0);
  return a;
}

/** A zero-filled Float64Array of `length`, on a pooled buffer when one fits. */
export function takeDoubles(length: number): Float64Array<ArrayBuffer> {
  const { buffer: b, reused } = buffer(8 * length);
  const a = new Float64Array(b, 0, length);
  if (reused) a.fill(0);
  return a;
}

/**
 * Hands back the buffers of `arrays`, which nothing may use any more (a buffer under several of
 * them is handed back once). Shared memory is never pooled: another thread may hold it.
 */
export function recycle(arrays: readonly ArrayBufferView[]): void {
  const seen = new Set<ArrayBufferLike>();
  free = [];
  for (const a of arrays) {
    const b = a.buffer;
    if (seen.has(b) || !(b instanceof ArrayBuffer) || b.byteLength < MIN_POOLED_BYTES) continue;
    seen.add(b);
    free.push(b);
  }
}

/** How many buffers and bytes the pool holds (for tests). */
export function pooled(): { buffers: number; bytes: number } {
  return { buffers: free.length, bytes: free.reduce((sum, b) => sum + b.byteLength, 0) };
}
