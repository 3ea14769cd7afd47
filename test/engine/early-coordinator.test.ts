/**
 * The coordinator started early (src/lib/session.ts openSession): a run that will likely go to a
 * coordinator thread, judged from its config and its --data file's size before the file is read,
 * starts that thread first, so that it loads its script while this thread reads the data. Whether
 * it was started early must change nothing but when the work begins, and a coordinator the run
 * turns out not to need must not be left running.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { loadSeedSync, loadSessionSeed, seedFileBytes } from "../../src/data/seed-file.js";
import { startSession } from "../../src/engine/session.js";
import { estimateWork, fitsInThread, likelyOffThread } from "../../src/engine/work.js";
import { liveWorkers } from "../../src/engine/workers.js";
import { openSession } from "../../src/lib/session.js";
import { getModel } from "../../src/models/index.js";
import { tempDir } from "../cli/cli.js";
import { flags } from "../helpers.js";
import { redirect, resetRedirect } from "./redirected-workers.js";

vi.mock("../../src/builtins.js", async (original) => (await import("./redirected-workers.js")).redirectedBuiltins(original));

afterEach(resetRedirect);

/** The result of `config` through openSession, and through startSession with no coordinator started early. */
async function bothWays(config: ReturnType<typeof resolveSimConfig>) {
  const opening = openSession(config, 2);
  // Threads made before the seed data is read: openSession reaches its first wait (the reading)
  // before it returns.
  const early = redirect.made.length;
  const session = await opening;
  const viaOpen = JSON.stringify(await session.run());
  redirect.made = [];
  const plain = await startSession(config, loadSeedSync(getModel(config.model), config), 2);
  const viaStart = JSON.stringify(await plain.run());
  return { early, viaOpen, viaStart, stayed: fitsInThread(estimateWork(config, loadSeedSync(getModel(config.model), config).input).total) };
}

/**
 * A file of 60,000 of `words` in a fixed order: about 0.3 MB, over the in-thread limit for an
 * n-gram run of 3 generations.
 */
function wordsFile(words: readonly string[]): string {
  const file = join(tempDir(), "text.txt");
  writeFileSync(file, Array.from({ length: 60_000 }, (_, i) => words[(i * 7 + (i >> 3)) % words.length]).join(" "));
  return file;
}

describe("a coordinator started while the seed data is read", () => {
  it("runs a long text run, the same bytes as one started after the reading", { timeout: 30_000 }, async () => {
    const file = wordsFile(["the", "tower", "of", "a", "church", "rose", "over", "old", "stone", "bells"]);
    const config = resolveSimConfig(flags({ model: "ngram", data: file, generations: "10", replicates: "4", seed: "early" }));
    expect(likelyOffThread(config, seedFileBytes(config))).toBe(true);
    const run = await bothWays(config);
    expect(run.stayed).toBe(false);
    // The coordinator, made before the reading; and no second one after it.
    expect(run.early).toBe(1);
    expect(redirect.made).toHaveLength(1);
    expect(run.viaOpen).toBe(run.viaStart);
    expect(liveWorkers()).toHaveLength(0);
  });

  it("is let go when the data turn out small: the run stays in this thread, with the same bytes", { timeout: 30_000 }, async () => {
    // 2,000 values padded to 200 bytes each: by its size the file would hold 50,000 of them.
    const file = join(tempDir(), "padded.txt");
    writeFileSync(file, Array.from({ length: 2000 }, (_, i) => `${(Math.sin(i) * 3).toFixed(30).padStart(199, " ")}\n`).join(""));
    const config = resolveSimConfig(flags({ data: file, generations: "9", replicates: "200", seed: "early" }));
    expect(likelyOffThread(config, seedFileBytes(config))).toBe(true);
    const run = await bothWays(config);
    expect(run.stayed).toBe(true);
    expect(run.early).toBe(1);
    expect(redirect.made).toHaveLength(0);
    expect(run.viaOpen).toBe(run.viaStart);
    expect(liveWorkers()).toHaveLength(0);
  });

  it("is let go when the data cannot be read, and the reading's error is the one reported", { timeout: 30_000 }, async () => {
    const file = join(tempDir(), "bad.txt");
    writeFileSync(file, `${"1.5\n".repeat(100_000)}oops\n`);
    const config = resolveSimConfig(flags({ data: file, generations: "9", replicates: "200" }));
    expect(likelyOffThread(config, seedFileBytes(config))).toBe(true);
    await expect(openSession(config, 2)).rejects.toThrow(/oops/);
    expect(redirect.made).toHaveLength(1);
    expect(liveWorkers()).toHaveLength(0);
  });
});

describe("likelyOffThread", () => {
  const config = (o: Record<string, unknown>) => resolveSimConfig(flags(o));

  it("for a drawn seed, is the estimate's own decision: no for the default run, yes for a large one", () => {
    for (const [o, off] of [
      [{}, false],
      [{ generations: "9", replicates: "200", sampleSize: "100000" }, true],
    ] as const) {
      const c = config(o);
      expect(fitsInThread(estimateWork(c, null).total)).toBe(!off);
      expect(likelyOffThread(c, null)).toBe(off);
    }
  });

  it("for a file, takes its rows as most files have them (a character a byte of text, a number every 8 bytes) and wants twice the limit; without a size, no", () => {
    const text = config({ model: "ngram", data: "any.txt", generations: "3", replicates: "2" });
    expect(likelyOffThread(text, 1_000)).toBe(false);
    expect(likelyOffThread(text, 5_000_000)).toBe(true);
    expect(likelyOffThread(text, null)).toBe(false);
    const numbers = config({ data: "any.txt", generations: "9", replicates: "200" });
    expect(likelyOffThread(numbers, 2_000)).toBe(false);
    expect(likelyOffThread(numbers, 2_000_000)).toBe(true);
    // A file whose rows put the run just over the limit is left to the old path: its run might
    // stay in this thread after all, where a coordinator started for nothing costs time.
    const justOver = 8 * 9_000;
    expect(fitsInThread(estimateWork(config({ seedSize: String(justOver / 8), generations: "9", replicates: "200" }), null).total)).toBe(false);
    expect(likelyOffThread(numbers, justOver)).toBe(false);
    // A label file's size tells its rows, not its categories (which cost): no coordinator is
    // started for it however large, unless the run itself is long.
    const labels = config({ model: "categorical", data: "any.txt", generations: "9", replicates: "1" });
    expect(likelyOffThread(labels, 100_000_000)).toBe(false);
    expect(likelyOffThread({ ...labels, generations: 100_000, replicates: 100 }, 10_000)).toBe(true);
  });

  it("sizes regular files only: not standard input, a missing path or a directory", () => {
    expect(seedFileBytes(config({ data: "-" }))).toBeNull();
    expect(seedFileBytes(config({ data: join(tempDir(), "missing.txt") }))).toBeNull();
    expect(seedFileBytes(config({ data: tempDir() }))).toBeNull();
    const file = join(tempDir(), "five.txt");
    writeFileSync(file, "1\n2\n3");
    expect(seedFileBytes(config({ data: file }))).toBe(5);
  });
});

describe("a text on its way to the coordinator", () => {
  it("moves there as its bytes, decoded there: this thread keeps no copy, and the run gives the decoded text's bytes", { timeout: 30_000 }, async () => {
    // Non-ASCII words: the text is two bytes a character as a string, its bytes fewer.
    const file = wordsFile(["the", "tower’s", "of", "a", "château", "rose", "over", "old", "stone", "bells"]);
    const config = resolveSimConfig(flags({ model: "ngram", data: file, generations: "10", replicates: "4", seed: "bytes" }));
    const seed = await loadSessionSeed(getModel("ngram"), config);
    if (seed.input.kind !== "utf8") throw new Error("expected the text as bytes");
    const bytes = seed.input.bytes;
    expect(bytes.byteLength).toBeGreaterThan(0);
    const session = await startSession(config, seed, 2);
    // Moved, not copied: the buffer here is detached.
    expect(bytes.byteLength).toBe(0);
    const viaBytes = JSON.stringify(await session.run());
    const viaText = JSON.stringify(await (await startSession(config, loadSeedSync(getModel("ngram"), config), 2)).run());
    expect(viaBytes).toBe(viaText);
    expect(liveWorkers()).toHaveLength(0);
  });

  it("is decoded in this thread for a run that stays here", async () => {
    const file = join(tempDir(), "short.txt");
    writeFileSync(file, "the old tower’s bells rang over the château and the stone rose. ".repeat(20));
    const config = resolveSimConfig(flags({ model: "ngram", data: file, generations: "2", replicates: "2" }));
    const seed = await loadSessionSeed(getModel("ngram"), config);
    expect(fitsInThread(estimateWork(config, seed.input).total)).toBe(true);
    const viaBytes = JSON.stringify(await (await startSession(config, seed, 2)).run());
    expect(redirect.made).toHaveLength(0);
    expect(viaBytes).toBe(JSON.stringify(await (await startSession(config, loadSeedSync(getModel("ngram"), config), 2)).run()));
  });
});
