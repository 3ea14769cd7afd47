/**
 * How an option is declared: once, with its flag, type, range, default and the words it adds to a
 * run's description. The CLI builds its flags from declarations, `--config` files and library
 * options are checked against them, and resolution validates values by them — so a flag, a config
 * key, an error message, --help and a plot title can never disagree. Options every run has are
 * declared in src/config/spec.ts; a model declares its own in its module.
 */

export type OptionType = "int" | "number" | "string" | "enum" | "numberList" | "boolean";

export interface OptionSpec<K extends string = string> {
  /** camelCase key in the configuration, JSON config files and library options. */
  readonly key: K;
  /** Long flag without dashes, e.g. "sample-size". */
  readonly flag: string;
  readonly short?: string;
  readonly type: OptionType;
  /** Placeholder shown in --help, e.g. "M". */
  readonly arg?: string;
  /** What it does, for --help; the models it applies to and its default are added from the declarations. */
  readonly description: string;
  readonly choices?: readonly string[];
  /**
   * For "number" options: words taken besides numbers, kept as written (kde's --bandwidth takes
   * scott, silverman or a number). Numbers stay numbers, so equal meanings give equal configs and a
   * sweep can range over them; a word is never range-checked.
   */
  readonly words?: readonly string[];
  /** Inclusive range for numbers (and for every element of a list). */
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound, for quantities that must be strictly positive. */
  readonly above?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
  /**
   * For "number" options: a schedule is taken besides a number — a comma list, one value per
   * generation, or a ramp a..b (src/core/schedule.ts) — recorded as its canonical text. Every value
   * is range-checked.
   */
  readonly schedule?: boolean;
  /** For lists: whether an empty list is a value (none), as a results document records it. */
  readonly emptyList?: boolean;
  /** The section of --help the option belongs to. */
  readonly group: "data" | "loop" | "regime" | "sampling" | "model" | "metrics";
  /** The value when the option is not given (a model may override it: Model.defaults). */
  readonly default: unknown;
  /**
   * Its words in a run's one-line description (table header, Markdown, plot subtitle), or null
   * when the value goes without saying (the default of a distortion, say). Absent: never described.
   */
  readonly describe?: (value: never) => string | null;
  /** Set for options that shape a --source draw and that --data decides instead (--dims): the reason. */
  readonly sourceOnly?: string;
  /**
   * The value (a string) names a column of the seed table, by header name or 1-based index, that
   * the model reads besides the --column selection (linreg's --target). The data layer, or the
   * source for a drawn table, puts these columns last, in the order the model declares the
   * options, and leaves them out of the default selection ("every other numeric column"); an
   * unknown column is an error naming the option's flag.
   */
  readonly seedColumn?: boolean;
  /** Set for options that say how a --data file is read (categorical's --count-column): what --data is needed for. */
  readonly dataOnly?: string;
}

/** The largest sample or seed size: beyond it a typed array would not fit in memory. */
export const MAX_SIZE = 100_000_000;
