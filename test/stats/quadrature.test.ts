import { describe, expect, it } from "vitest";
import { gaussHermite, solveGaussHermite } from "../../src/stats/quadrature.js";

describe("gaussHermite", () => {
  it("integrates the normal moments E Z^{2j} = (2j−1)!! exactly up to degree 2n − 1 (checked to degree 21)", () => {
    // Beyond degree ~20 a node's rounding error is raised to the 2j-th power and the check would
    // test floating point rather than the rule.
    for (const n of [5, 16, 32]) {
      const { nodes, weights } = gaussHermite(n);
      let doubleFactorial = 1;
      for (let j = 0; 2 * j <= Math.min(2 * n - 1, 21); j++) {
        if (j > 0) doubleFactorial *= 2 * j - 1;
        let s = 0;
        for (let i = 0; i < n; i++) s += weights[i]! * nodes[i]! ** (2 * j);
        // Rounding grows with the size of the moment: compare relatively.
        expect(Math.abs(s - doubleFactorial) / doubleFactorial).toBeLessThan(1e-10);
        let odd = 0;
        for (let i = 0; i < n; i++) odd += weights[i]! * nodes[i]! ** (2 * j + 1);
        expect(Math.abs(odd)).toBeLessThan(1e-9 * doubleFactorial * (2 * j + 1));
      }
    }
  });
});

describe("gaussHermite's table of 64 nodes", () => {
  it("is the solver's rule bit for bit (scripts/gauss-hermite-table.mjs regenerates it), and other sizes are solved", () => {
    for (const n of [64, 24, 5]) {
      const rule = gaussHermite(n);
      const solved = solveGaussHermite(n);
      expect(Buffer.from(rule.nodes.buffer).equals(Buffer.from(solved.nodes.buffer)), `nodes, n = ${n}`).toBe(true);
      expect(Buffer.from(rule.weights.buffer).equals(Buffer.from(solved.weights.buffer)), `weights, n = ${n}`).toBe(true);
    }
  });

  it("hands out a copy: a caller that writes into it changes no later rule", () => {
    gaussHermite(64).nodes[0] = 0;
    expect(gaussHermite(64).nodes[0]).toBe(solveGaussHermite(64).nodes[0]);
  });
});
