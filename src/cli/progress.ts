/**
 * A progress bar on stderr, drawn only when stderr is a terminal and the run is long enough to
 * need one (it appears after half a second); redrawn at most ten times a second.
 */
export class Progress {
  private done_ = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;
  private readonly enabled: boolean;

  constructor(
    private readonly total: number,
    wanted: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly label = "generations",
  ) {
    this.enabled = wanted && stream.isTTY === true && total > 0;
  }

  tick(count = 1): void {
    this.done_ += count;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.started < 500 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw(now);
  }

  private draw(now: number): void {
    const share = Math.min(1, this.done_ / this.total);
    // A pseudo-terminal without a size reports 0 columns: treat it as 80.
    const columns = this.stream.columns || 80;
    const width = Math.max(10, Math.min(40, columns - 50));
    const filled = Math.round(share * width);
    const elapsed = (now - this.started) / 1000;
    const eta = share > 0 ? elapsed / share - elapsed : 0;
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    const line = `${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${this.done_}/${this.total} ${this.label}  ETA ${formatSeconds(eta)} `;
    // A line longer than the terminal wraps, and "\r" would then redraw only its last part.
    this.stream.write(`\r${line.length < columns ? line : line.slice(0, columns - 1)}`);
    this.drawn = true;
  }

  /** Clears the bar so that the results print on a clean line. */
  done(): void {
    if (this.drawn) this.stream.write("\r\x1b[2K");
    this.drawn = false;
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
