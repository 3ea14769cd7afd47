/**
 * Progress on stderr, in one of two shapes:
 * - on a terminal, a bar redrawn in place, only for runs long enough to need one (it appears
 *   after half a second), at most ten times a second, cleared before the results print;
 * - elsewhere (a log under Slurm, nohup or CI), nothing unless `--progress` asks for plain lines:
 *   at most one every two seconds, each with the percentage, the elapsed time and an ETA, and a
 *   final line when the run is done.
 * `--quiet` silences both (it wins over `--progress`).
 *
 * What is counted: sweeps count points. Simulations count replicate-generations underneath (a
 * chain reports each generation it finishes), but show generations per chain, averaged over the
 * replicates: `-g 9 -r 200` goes from 0/9 to 9/9 generations, not to 1800.
 */
import { formatDuration } from "../output/numbers.js";

/** The little of a stream that progress needs (a TTY has `isTTY` and `columns`). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** False under `--quiet`: nothing is ever written. */
  readonly wanted: boolean;
  /** `--progress`: plain lines when the stream is not a terminal. */
  readonly plain?: boolean;
  /** Default: process.stderr. */
  readonly stream?: ProgressStream;
  /** The unit shown: "generations" (default) or "points". */
  readonly label?: string;
  /**
   * Ticks per shown unit: a simulation ticks once per replicate-generation and passes its
   * replicates here, so that the count shown is generations per chain (their mean over chains).
   */
  readonly replicates?: number;
  /** Milliseconds; default Date.now (tests inject their own). */
  readonly clock?: () => number;
}

/** The bar waits this long before its first draw, and redraws at most this often. */
const BAR_DELAY_MS = 500;
const BAR_EVERY_MS = 100;
/** Plain lines: at most one every two seconds (the first after two seconds). */
const LINE_EVERY_MS = 2000;

export class Progress {
  private done_ = 0;
  private readonly started: number;
  private lastDraw = 0;
  private drawn = false;
  private finished = false;
  private readonly mode: "bar" | "lines" | "off";
  private readonly stream: ProgressStream;
  private readonly label: string;
  private readonly per: number;
  private readonly clock: () => number;

  /** `total` ticks make a whole run (replicate-generations for a simulation, points for a sweep). */
  constructor(
    private readonly total: number,
    options: ProgressOptions,
  ) {
    this.stream = options.stream ?? process.stderr;
    this.label = options.label ?? "generations";
    this.per = Math.max(1, options.replicates ?? 1);
    this.clock = options.clock ?? Date.now;
    this.started = this.clock();
    this.lastDraw = this.started;
    const tty = this.stream.isTTY === true;
    this.mode = !options.wanted || !(total > 0) ? "off" : tty ? "bar" : options.plain === true ? "lines" : "off";
  }

  tick(count = 1): void {
    this.done_ += count;
    if (this.mode === "off" || this.finished) return;
    const now = this.clock();
    if (this.mode === "bar") {
      if (now - this.started < BAR_DELAY_MS || now - this.lastDraw < BAR_EVERY_MS) return;
      this.lastDraw = now;
      this.drawBar(now);
    } else {
      if (now - this.lastDraw < LINE_EVERY_MS) return;
      this.lastDraw = now;
      const eta = this.eta(now);
      this.stream.write(`collapse: ${this.line(now)}${eta === null ? "" : ` · ETA ${formatDuration(eta)}`}\n`);
    }
  }

  /** The run succeeded: the bar is cleared for good, and plain lines end with a final line. */
  finish(): void {
    if (this.mode === "lines" && !this.finished) this.stream.write(`collapse: ${this.line(this.clock(), true)} · done\n`);
    this.finished = true;
    this.done();
  }

  /**
   * Clears the bar so that what follows (results, a sweep's rows on the same terminal, or an
   * error) starts on a clean line; a later tick may draw it again.
   */
  done(): void {
    if (this.drawn) this.stream.write("\r\x1b[2K");
    this.drawn = false;
  }

  private share(): number {
    return Math.min(1, this.done_ / this.total);
  }

  /** Seconds left at the pace so far; null before anything is done. */
  private eta(now: number): number | null {
    const share = this.share();
    if (share <= 0) return null;
    const elapsed = (now - this.started) / 1000;
    return Math.max(0, elapsed / share - elapsed);
  }

  /** "4.1/9 generations (mean over 200 replicates)", or "3/12 points". */
  private count(end = false): string {
    const shown = (ticks: number) => {
      const v = ticks / this.per;
      return Number.isInteger(v) ? String(v) : v.toFixed(1);
    };
    const done = end ? this.total : Math.min(this.done_, this.total);
    const mean = this.per > 1 ? ` (mean over ${this.per} replicates)` : "";
    return `${shown(done)}/${shown(this.total)} ${this.label}${mean}`;
  }

  /** A plain line without its ETA: "45% · 4.1/9 generations (…) · elapsed 12 s". */
  private line(now: number, end = false): string {
    const percent = end ? 100 : Math.floor(this.share() * 100);
    return `${percent}% · ${this.count(end)} · elapsed ${formatDuration((now - this.started) / 1000)}`;
  }

  private drawBar(now: number): void {
    const share = this.share();
    // A pseudo-terminal without a size reports 0 columns: treat it as 80.
    const columns = this.stream.columns || 80;
    const eta = this.eta(now);
    const text = ` ${(share * 100).toFixed(0).padStart(3)}%  ${this.count()}  ETA ${eta === null ? "–" : formatDuration(eta)} `;
    const width = Math.max(10, Math.min(40, columns - text.length - 1));
    const filled = Math.round(share * width);
    const line = "█".repeat(filled) + "░".repeat(width - filled) + text;
    // A line longer than the terminal wraps, and "\r" would then redraw only its last part.
    this.stream.write(`\r${line.length < columns ? line : line.slice(0, columns - 1)}`);
    this.drawn = true;
  }
}
