/**
 * How a number is written in every text this tool reads (data cells, counts, option values,
 * --source parameters): an optional sign, digits with an optional fraction (or a bare fraction), an
 * optional exponent. Not hex, octal, binary, underscores or bare "Infinity": Number() accepts
 * those, a data file should not.
 */
const LITERAL = String.raw`[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`;

/** A whole string that is a number literal (test it on trimmed text). */
export const NUMBER_LITERAL = new RegExp(`^${LITERAL}$`);

/** A number literal at the start of a string (for parsers that read on after it). */
export const NUMBER_LITERAL_PREFIX = new RegExp(`^${LITERAL}`);
