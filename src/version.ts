/**
 * The package version, as a constant: the core records it in every document without reading a
 * file. test/architecture/layers.test.ts checks that it equals package.json's.
 */
export const VERSION = "0.1.0";

export const TOOL = { name: "collapse", version: VERSION } as const;
