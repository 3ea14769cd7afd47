#!/usr/bin/env node
// Writes src/stats/gauss-hermite-64.ts: the 64-node Gauss–Hermite rule as src/stats/quadrature.ts
// solves for it (solveGaussHermite) (run `npm run build` first; it reads dist/). Each number is written in the shortest
// form that reads back to the same double, so the table is the computation, bit for bit —
// test/stats/quadrature.test.ts checks that it still is.
import { writeFileSync } from "node:fs";
import { solveGaussHermite } from "../dist/stats/quadrature.js";

const { nodes, weights } = solveGaussHermite(64);
const list = (a) => Array.from(a, (x) => `  ${String(x)},`).join("\n");
writeFileSync(
  new URL("../src/stats/gauss-hermite-64.ts", import.meta.url),
  `/**
 * solveGaussHermite(64) (quadrature.ts), written out by scripts/gauss-hermite-table.mjs: computing it
 * (a 64 × 64 eigenproblem) takes 40 ms in a thread that has not run it before, and every thread
 * that fits a one-dimensional mixture needs it once. test/stats/quadrature.test.ts checks the
 * table against the computation, bit for bit.
 */
export const NODES_64: readonly number[] = [
${list(nodes)}
];

export const WEIGHTS_64: readonly number[] = [
${list(weights)}
];
`,
);
