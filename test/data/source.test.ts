/** The --source parser: nesting and size of hostile specs. */
import { describe, expect, it } from "vitest";
import { MAX_SOURCE_DEPTH, parseSource } from "../../src/data/source.js";
import { UsageError } from "../../src/errors.js";

function usageError(text: string): string {
  try {
    parseSource(text);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error("expected a UsageError");
}

const nested = (n: number) => "mixture(1*".repeat(n) + "normal(0,1)" + ")".repeat(n);

describe("--source specs", () => {
  it("reads mixtures nested up to the limit", () => {
    expect(parseSource(nested(MAX_SOURCE_DEPTH)).kind).toBe("mixture");
    expect(parseSource("mixture(0.5*mixture(1*normal(0,1),1*normal(2,1)),0.5*normal(5,1))").kind).toBe("mixture");
  });

  it("refuses mixtures nested deeper, 10,000 levels too, on one short line", () => {
    expect(usageError(nested(MAX_SOURCE_DEPTH + 1))).toMatch(/mixtures nested deeper than 32 levels at character 321/);
    const message = usageError(nested(10_000));
    expect(message).toMatch(/^--source "mixture\(1\*.*…\)+": mixtures nested deeper than 32 levels/);
    expect(message.length).toBeLessThan(400);
  });

  it("quotes at most a short excerpt of a long spec or name", () => {
    expect(usageError("normal(" + "1,".repeat(50_000) + "1)").length).toBeLessThan(400);
    expect(usageError("x".repeat(100_000) + "(1)").length).toBeLessThan(400);
  });
});

describe("--source specs on arbitrary text (property)", () => {
  it("parse or throw UsageError with one short line, never anything else", async () => {
    const fc = (await import("fast-check")).default;
    const specish = fc
      .array(fc.constantFrom("mixture(", "normal(", "0.5*", "1", ",", ")", "zipf(", "t(", "1e400", " ", "-"), { maxLength: 400 })
      .map((p) => p.join(""));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), specish), (text) => {
        try {
          parseSource(text);
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
          expect((e as Error).message).not.toContain("\n");
          expect((e as Error).message.length).toBeLessThan(500);
        }
      }),
      { numRuns: 500, seed: 10 },
    );
  });
});
