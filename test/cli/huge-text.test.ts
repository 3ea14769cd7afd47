/**
 * Text files of 512 MiB or more, under the 1 GiB input limit but more than one string holds (V8
 * caps a string at 2²⁹ − 24 UTF-16 units). The files are sparse (holes read as NUL bytes, valid
 * UTF-8), so a 540 MiB input costs this machine no disk and little time. Before, each of these
 * runs stopped with an internal error (exit 70) and a stack trace.
 */
import { closeSync, existsSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collapseAsync, tempDir } from "./cli.js";

const MiB = 2 ** 20;

/** A sparse file of `mib` MiB holding `line` at each offset of `at` (in MiB), NUL bytes elsewhere. */
function sparseFile(name: string, mib: number, line = "", at: number[] = []): string {
  const path = join(tempDir(), name);
  const fd = openSync(path, "w");
  try {
    const bytes = Buffer.from(line);
    for (const offset of at) writeSync(fd, bytes, 0, bytes.length, offset * MiB);
    ftruncateSync(fd, mib * MiB);
  } finally {
    closeSync(fd);
  }
  return path;
}

describe("a text of more than 512 Mi characters", () => {
  it("ngram: is read in pieces, and its words are the model's seed", async () => {
    // Four lines of words far apart in 540 MiB of NUL bytes, which are no word characters.
    const text = sparseFile("huge.txt", 540, "the cat sat on the mat\n", [0, 200, 400, 539]);
    const r = await collapseAsync(["sim", "--model", "ngram", "--data", text, "-g", "1", "-r", "1", "--format", "csv"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // 4 × 6 tokens, 2 of them held out (the default 10%, rounded); the 5 word types.
    expect(r.stdout).toMatch(/^0,vocab,5,0,0,5,5,5,,22,0,1$/m);
  });

  it("ngram: a run with no space or line break longer than a string is one line and exit 2", async () => {
    const text = sparseFile("run.txt", 540);
    const r = await collapseAsync(["sim", "--model", "ngram", "--data", text, "-g", "1", "-r", "1"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `collapse: ${text}: a run of more than 536870888 characters with no space or line break, more than one string can hold; the word tokenizer needs breaks (or use --tokens char)\n`,
    );
  });

  it("plot: refused with one line, exit 2, and no chart file", async () => {
    const rows = sparseFile("rows.csv", 540);
    const chart = join(tempDir(), "chart.svg");
    const r = await collapseAsync(["plot", rows, "-o", chart]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `collapse: ${rows} is 540 MiB of text, more than this command can read as one text (512 Mi characters); plot fewer rows (a shorter run, or every tenth generation)\n`,
    );
    expect(existsSync(chart)).toBe(false);
  });
});
