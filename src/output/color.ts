/**
 * Whether to colour a stream, by the conventions users expect: --no-color and NO_COLOR switch
 * colour off, FORCE_COLOR=0 too; FORCE_COLOR=1..3 forces it on; otherwise only on a TTY.
 */
export function useColor(flag: boolean, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === "0" || force === "false") return false;
    return true;
  }
  return stream.isTTY === true;
}

/** The width to lay tables out for: the terminal's, or COLUMNS, or 80. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const cols = Number(env.COLUMNS);
  return Number.isInteger(cols) && cols >= 40 ? cols : 80;
}
