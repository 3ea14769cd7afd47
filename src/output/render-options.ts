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
}
