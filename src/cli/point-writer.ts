/**
 * A sweep's points written to their outputs in point order, each framed, hashed and written a
 * slice at a time with a turn of the event loop between, while the workers go on: a point can be
 * 160 MB (50,000 generations of JSON), which framed and written in one go held the main thread for
 * 2 s, and a signal waited that long. A failed write is kept: the next point's add() throws it
 * (which stops the pool, as a failed write did when points were written as they came), and so
 * does drain().
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Sink } from "../output/write.js";
import { runStepsAsync } from "../steps.js";
import type { SweepFramer } from "../sweep/render.js";

/** Bytes of a point hashed or written between two turns. */
const SLICE_BYTES = 8 << 20;

export class PointWriter {
  private chain: Promise<void> = Promise.resolve();
  private failure: { readonly error: unknown } | null = null;

  /** `sliceBytes`: tests make it small. */
  constructor(private readonly sliceBytes = SLICE_BYTES) {}

  /**
   * Queues point `index`'s body (text, or its UTF-8 bytes in pieces), framed by `framer`, for
   * `sink`; `around` runs just before its first byte is written and just after its last (a
   * progress bar cleared and redrawn around rows written to the same terminal).
   */
  add(sink: Sink, framer: SweepFramer, index: number, body: string | readonly Uint8Array[], around: Around = {}): void {
    if (this.failure !== null) throw this.failure.error;
    this.chain = this.chain
      .then(() => (this.failure === null ? writePoint(sink, framer, index, body, this.sliceBytes, around) : undefined))
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
  }

  /** Resolves once every queued point is written; rejects with the first failed write. */
  async drain(): Promise<void> {
    await this.chain;
    if (this.failure !== null) throw this.failure.error;
  }
}

/** What runs around a point's writing. */
export interface Around {
  readonly before?: () => void;
  readonly after?: () => void;
}

async function writePoint(
  sink: Sink,
  framer: SweepFramer,
  index: number,
  body: string | readonly Uint8Array[],
  sliceBytes: number,
  around: Around,
): Promise<void> {
  const slices: (string | Uint8Array)[] = [];
  if (typeof body === "string") slices.push(body);
  else for (const piece of body) for (let at = 0; at < piece.length; at += sliceBytes) slices.push(piece.subarray(at, at + sliceBytes));
  const framed = await runStepsAsync(framer.framePieces(index, slices), nextTurn);
  around.before?.();
  for (const [k, piece] of framed.entries()) {
    if (piece.length > 0) sink.write(piece);
    // No turn after the last piece: `after` follows it at once.
    if (k < framed.length - 1) await nextTurn();
  }
  around.after?.();
}
