/** The options of `check` (src/lib/check.ts), for sim and sweep baselines alike. */
import type { Tolerance } from "../check/tolerance.js";
import type { RunSettings } from "./run-settings.js";

export interface CheckOptions extends RunSettings {
  /** How far a mean may move (default: statistical, z = 4; see `collapse check --help`). */
  readonly tolerance?: Partial<Tolerance>;
  /** Compare only these metrics, as a comma list (default: all the baseline has). */
  readonly metrics?: string;
  /** Assertions over the re-run, e.g. "var_ratio[9] < 0.95". */
  readonly assert?: readonly string[];
  /** Read the seed data from this file instead of the baseline's config.data. */
  readonly data?: string;
  /** Called with each warning the CLI prints (an older baseline, a changed config, new metrics). */
  readonly onWarning?: (message: string) => void;
}
