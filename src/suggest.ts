/**
 * "Did you mean …?" for every closed set a user types a name from: option values, option names in
 * --config files and --grid, metric names. One rule everywhere: the closest name by edit distance
 * (insertions, deletions, substitutions and swaps of two neighbours), if it is close enough to be
 * a typo — at most 2 edits, and fewer than half the typed name's length.
 */

/** The longest typed name that gets a suggestion. */
const MAX_NAME = 100;

/** The closest of `known` to `typed`, or undefined when none is plausibly meant. */
export function closest(typed: string, known: readonly string[]): string | undefined {
  // Names are short: anything longer is not a typo of one (and a 10 MB value must cost nothing).
  if (typed.length > MAX_NAME) return undefined;
  const lower = typed.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.ceil(typed.length / 2));
  for (const k of known) {
    // The distance is at least the difference in length.
    if (Math.abs(k.length - typed.length) >= bestDistance) continue;
    const d = k.toLowerCase() === lower ? 0 : editDistance(lower, k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** " (did you mean X?)" or "", for the end of a message's first clause. */
export function didYouMean(typed: string, known: readonly string[], show: (name: string) => string = (n) => n): string {
  const near = closest(typed, known);
  return near === undefined ? "" : ` (did you mean ${show(near)}?)`;
}

/** Optimal string alignment distance: Levenshtein plus transpositions of adjacent characters. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row[j] = d;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
