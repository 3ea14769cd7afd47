/**
 * How a formatter renders a result, apart from the formatters (format.ts) so that the table and
 * markdown renderers can name it without importing the module that imports them.
 */
export interface RenderOptions {
  /** Terminal colours (table only). */
  readonly color: boolean;
  /** Terminal width in columns (table only). */
  readonly width: number;
  /** Print the per-generation text samples (ngram). */
  readonly showSamples: boolean;
  /**
   * The run's wall time in seconds, printed as the table's last line ("elapsed 1.4 s"); only the
   * table shows it (machine formats and Markdown stay the same bytes for the same options and seed).
   * Absent: no such line. The renderer takes it as a number and never reads a clock.
   */
  readonly elapsedSeconds?: number;
}
