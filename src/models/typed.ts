/**
 * Growing and joining typed arrays, for the DataOps of models whose data is one flat typed array
 * (numeric rows: Float64Array; token sequences: Int32Array).
 */

type Flat = Float64Array | Int32Array;

/**
 * Where a model's sample is drawn: `spare`, the previous sample the loop offers back under
 * `replace` (Model.sample), when it holds exactly `length` values; else a new array. One buffer
 * per replicate instead of one per generation awaiting the garbage collector.
 */
export function drawInto<T extends Flat>(spare: T | undefined, length: number, make: (length: number) => T): T {
  return spare !== undefined && spare.length === length ? spare : make(length);
}

/** A new array of the same type holding `parts` one after another. */
export function concatTyped<T extends Flat>(parts: readonly T[], make: (length: number) => T): T {
  const out = make(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Append-only storage for the accumulate regime, with doubling capacity: each element is copied
 * O(1) times on average, and view() is a window onto the buffer, not a copy.
 */
export function appendOnlyPool<T extends Flat>(initial: T, make: (length: number) => T): { add(x: T): void; view(): T } {
  let buffer = make(Math.max(16, initial.length * 2));
  buffer.set(initial);
  let length = initial.length;
  return {
    add(x: T) {
      if (length + x.length > buffer.length) {
        const grown = make(Math.max(buffer.length * 2, length + x.length));
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      buffer.set(x, length);
      length += x.length;
    },
    view: () => buffer.subarray(0, length) as T,
  };
}
