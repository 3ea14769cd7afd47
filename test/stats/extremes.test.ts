import { describe, expect, it } from "vitest";
import { ratioOfSquares, short } from "../../src/stats/limits.js";
import { mean, standardDeviation, variance } from "../../src/stats/moments.js";

describe("moments at the edges of a double", () => {
  it("the mean of values whose sum overflows", () => {
    expect(mean(Float64Array.of(1.7e308, 1.7e308))).toBe(1.7e308);
  });
  it("standard deviations of 1e300, 1e-300 and past the range of x − mean", () => {
    expect(standardDeviation(Float64Array.of(1e300, -1e300), 0, 0)).toBeCloseTo(1e300, -290);
    expect(standardDeviation(Float64Array.of(1e-300, -1e-300), 0, 0) / 1e-300).toBeCloseTo(1, 12);
    const x = Float64Array.of(1.7e308, 1.7e308, -1.7e308);
    const sd = standardDeviation(x, mean(x), 0);
    expect(sd / 1.7e308).toBeCloseTo(Math.sqrt(8 / 9), 12);
  });
  it("is exactly √variance on ordinary data, and 0 on equal values", () => {
    const x = Float64Array.of(0.1, 0.2, 0.3, 0.7);
    const mu = mean(x);
    expect(standardDeviation(x, mu, 1)).toBe(Math.sqrt(variance(x, mu, 1)));
    const eq = new Float64Array(30).fill(4.2);
    expect(standardDeviation(eq, mean(eq), 0)).toBe(0);
  });
  it("ratios of squares stay finite where the squares do not", () => {
    expect(ratioOfSquares(3, 2)).toBe(9 / 4);
    expect(ratioOfSquares(2e200, 1e200)).toBe(4);
    expect(ratioOfSquares(2e-200, 1e-200)).toBe(4);
    expect(ratioOfSquares(0, 1e-200)).toBe(0);
  });
  it("short numbers for messages", () => {
    expect(short(1.7976931348623157e308)).toBe("1.79769e308");
    expect(short(0.5)).toBe("0.5");
  });
});
