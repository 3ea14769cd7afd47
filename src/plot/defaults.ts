/** Plot defaults shared by the command's help (loaded at start-up) and the spec builder (loaded on use). */

/** How many panels the headline default draws. */
export const DEFAULT_PANELS = 4;
/** More series than this hide their bands by default: overlapping bands turn into a grey wash. */
export const MAX_BANDS = 3;
