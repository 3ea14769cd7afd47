/**
 * The lines of a text held in pieces, one at a time: what text.split("\n") gives for the whole
 * text, without the whole text as one string. A file of 512 MiB or more is more text than one
 * string holds, so such a text is decoded in pieces (read.ts decodePieces), cut anywhere.
 */

/** Where a line starts: its piece, and its offset in that piece. */
export interface PiecePosition {
  readonly piece: number;
  readonly at: number;
}

export class PieceLines {
  private piece = 0;
  private at = 0;
  private ended = false;
  /** Where the line `next` returned last starts. */
  start: PiecePosition = { piece: 0, at: 0 };

  constructor(private readonly pieces: readonly string[]) {}

  /**
   * The next line (without its "\n"), or null after the last one; the last is what follows the
   * text's last "\n", "" when the text ends with one (as split gives it).
   */
  next(): string | null {
    if (this.ended) return null;
    this.start = { piece: this.piece, at: this.at };
    // The part of a line that began in earlier pieces.
    let head = "";
    for (;;) {
      const piece = this.pieces[this.piece];
      if (piece === undefined) {
        this.ended = true;
        return head;
      }
      const nl = piece.indexOf("\n", this.at);
      if (nl >= 0) {
        const line = head + piece.slice(this.at, nl);
        this.at = nl + 1;
        return line;
      }
      head += piece.slice(this.at);
      this.piece++;
      this.at = 0;
    }
  }

  /** Whether the line `next` returned last was the text's last. */
  get done(): boolean {
    return this.ended;
  }

  /**
   * The text before `end` in pieces of about `size` UTF-16 units or less, each cut after a "\n"
   * where there is one (a cut inside a surrogate pair would change what the pieces hash to).
   */
  *before(end: PiecePosition, size: number): Generator<string> {
    for (let p = 0; p <= end.piece && p < this.pieces.length; p++) {
      const piece = this.pieces[p]!;
      const stop = p === end.piece ? end.at : piece.length;
      for (let at = 0; at < stop; ) {
        const cut = at + size >= stop ? stop : Math.min(stop, piece.indexOf("\n", at + size) + 1 || stop);
        yield piece.slice(at, cut);
        at = cut;
      }
    }
  }
}
