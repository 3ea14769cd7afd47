/** The numeric kernels: pure functions on typed arrays, importing nothing else of ours. */
export type { UniformSource } from "./uniform.js";
export { mean, variance, standardDeviation } from "./moments.js";
export { selectInPlace, selectRanks, quantilesInPlace, quantiles, quantileSorted } from "./select.js";
export { orderStatisticsByBuckets } from "./select-buckets.js";
export { normalPdf, normalCdf, normalSf, normalQuantile, normalTwoSidedTail } from "./normal.js";
export { normal, fillNormal, fillTruncatedNormal } from "./ziggurat.js";
export { digamma, logGamma } from "./special.js";
export { AliasTable } from "./alias.js";
export { binomial, multinomialCounts } from "./binomial.js";
