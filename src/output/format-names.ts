/** The output format names, apart from the formatters so that option parsing loads nothing heavy. */
export const FORMATS = ["table", "json", "csv", "ndjson", "markdown"] as const;
export type Format = (typeof FORMATS)[number];
