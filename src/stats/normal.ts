/**
 * The standard normal distribution: density, distribution function, upper tail and quantile,
 * all to (near) full double precision, including far in the tails where tail-mass metrics live.
 */

const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)
const SQRT_32 = 5.656854249492381;

/**
 * exp(−y²/2) without the rounding error of y²: y = a + b with a = ⌊16y⌋/16, so a² is exact and
 * y² = a² + (y − a)(y + a). A plain exp(−y*y/2) has relative error ≈ y²·2⁻⁵³ (≈1e-13 at y = 37).
 * exp(−a²/2) is read from a table for 0 ≤ a < 40 (past it the product underflows), made by the
 * same expression, so the result is the same bits with one exp instead of two: the kernel density's
 * tail masses call this four times a kept value per generation (1.4 s of `sim --model kde -g 600`).
 */
function expHalfSquare(y: number): number {
  const k = Math.trunc(y * 16);
  const a = k / 16;
  const del = (y - a) * (y + a);
  const head = k >= 0 && k < EXP_HALF_SQUARE_STEPS ? EXP_HALF_SQUARE[k]! : Math.exp(-a * a * 0.5);
  return head * Math.exp(-del * 0.5);
}

/** exp(−a²/2) for a = k/16, k = 0 … 639, as expHalfSquare computed it. */
const EXP_HALF_SQUARE_STEPS = 40 * 16;
const EXP_HALF_SQUARE = Float64Array.from({ length: EXP_HALF_SQUARE_STEPS }, (_, k) => {
  const a = k / 16;
  return Math.exp(-a * a * 0.5);
});

/**
 * φ(z) = exp(−z²/2)/√(2π), the standard normal density. Relative error ≈ 1e-16 for all z
 * (z² is split to avoid its rounding error). NaN gives NaN.
 *
 * @example normalPdf(0) // 0.3989422804014327
 */
export function normalPdf(z: number): number {
  return INV_SQRT_2PI * expHalfSquare(Math.abs(z));
}

/*
 * Coefficients of W. J. Cody's near-minimax rational approximations ("Rational Chebyshev
 * approximations for the error function", Math. Comp. 23 (1969) 631–637), in the form of his
 * ANORM routine (SPECFUN, ACM TOMS Algorithm 715), which R's pnorm also uses: about 18
 * significant digits in exact arithmetic, so rounding dominates.
 */
// |z| ≤ 0.66291: Φ(z) − 1/2 = z·A(z²)/B(z²).
const A0 = 2.2352520354606839287,
  A1 = 161.02823106855587881,
  A2 = 1067.6894854603709582;
const A3 = 18154.981253343561249,
  A4 = 0.065682337918207449113;
const B0 = 47.20258190468824187,
  B1 = 976.09855173777669322,
  B2 = 10260.932208618978205;
const B3 = 45507.789335026729956;
// 0.66291 < y ≤ √32: Q(y) = exp(−y²/2)·C(y)/D(y).
const C0 = 0.39894151208813466764,
  C1 = 8.8831497943883759412,
  C2 = 93.506656132177855979;
const C3 = 597.27027639480026226,
  C4 = 2494.5375852903726711,
  C5 = 6848.1904505362823326;
const C6 = 11602.651437647350124,
  C7 = 9842.7148383839780218,
  C8 = 1.0765576773720192317e-8;
const D0 = 22.266688044328115691,
  D1 = 235.38790178262499861,
  D2 = 1519.377599407554805;
const D3 = 6485.558298266760755,
  D4 = 18615.571640885098091,
  D5 = 34900.952721145977266;
const D6 = 38912.003286093271411,
  D7 = 19685.429676859990727;
// y > √32: Q(y) = exp(−y²/2)·(1/√(2π) − y⁻²·P(y⁻²)/Q(y⁻²))/y (asymptotic form).
const P0 = 0.21589853405795699,
  P1 = 0.1274011611602473639,
  P2 = 0.022235277870649807;
const P3 = 0.001421619193227893466,
  P4 = 2.9112874951168792e-5,
  P5 = 0.02307344176494017303;
const Q0 = 1.28426009614491121,
  Q1 = 0.468238212480865118,
  Q2 = 0.0659881378689285515;
const Q3 = 0.00378239633202758244,
  Q4 = 7.29751555083966205e-5;

/** Φ(z) − 1/2 for |z| ≤ 0.66291. */
function centralPart(z: number): number {
  const s = z * z;
  const num = (((A4 * s + A0) * s + A1) * s + A2) * s + A3;
  const den = (((s + B0) * s + B1) * s + B2) * s + B3;
  return (z * num) / den;
}

/** Q(y) = 1 − Φ(y) for y > 0.66291, with full relative precision down to underflow. */
function upperTail(y: number): number {
  let r: number;
  if (y <= SQRT_32) {
    const num = (((((((C8 * y + C0) * y + C1) * y + C2) * y + C3) * y + C4) * y + C5) * y + C6) * y + C7;
    const den = (((((((y + D0) * y + D1) * y + D2) * y + D3) * y + D4) * y + D5) * y + D6) * y + D7;
    r = num / den;
  } else if (y < 40) {
    // Q(40) ≈ 4e-350 is below the smallest subnormal.
    const s = 1 / (y * y);
    const num = ((((P5 * s + P0) * s + P1) * s + P2) * s + P3) * s + P4;
    const den = ((((s + Q0) * s + Q1) * s + Q2) * s + Q3) * s + Q4;
    r = (INV_SQRT_2PI - (s * num) / den) / y;
  } else {
    return 0;
  }
  return expHalfSquare(y) * r;
}

/**
 * Φ(z) = P(Z ≤ z) for Z ~ N(0, 1), by Cody's rational approximations (see the coefficients
 * above). Relative error ≈ 1e-15 for z < 0 down to underflow (z ≈ −38.5), e.g.
 * Φ(−8) = 6.22096057427178e-16; absolute error ≈ 1e-16 for z > 0 (use `normalSf` for upper
 * tails). NaN gives NaN; ±Infinity give 0 and 1.
 *
 * @example normalCdf(1.959963984540054) // 0.975
 */
export function normalCdf(z: number): number {
  const y = Math.abs(z);
  if (y <= 0.66291) return 0.5 + centralPart(z);
  if (!(y === y)) return z; // NaN
  const q = upperTail(y);
  return z < 0 ? q : 1 - q;
}

/**
 * Q(z) = 1 − Φ(z) = P(Z > z), the upper tail, computed directly (no 1 − Φ cancellation):
 * relative error ≈ 1e-15 for z > 0 up to underflow (z ≈ 38.5), e.g. Q(8) = 6.22096057427178e-16.
 * Q(z) = Φ(−z). NaN gives NaN.
 *
 * @example normalSf(3) // 0.0013498980316301
 */
export function normalSf(z: number): number {
  const y = Math.abs(z);
  if (y <= 0.66291) return 0.5 - centralPart(z);
  if (!(y === y)) return z; // NaN
  const q = upperTail(y);
  return z > 0 ? q : 1 - q;
}

/*
 * Coefficients of M. J. Wichura, "Algorithm AS 241: The percentage points of the normal
 * distribution", Applied Statistics 37 (1988) 477–484, routine PPND16 (about 1 part in 1e16).
 */
// |p − 1/2| ≤ 0.425: z = q·A(r)/B(r), r = 0.180625 − q².
const WA = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853,
  33430.575583588128105, 2509.0809287301226727,
] as const;
const WB = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674,
  5226.495278852854561,
] as const;
// r = √(−ln min(p, 1 − p)) ≤ 5: z = C(r − 1.6)/D(r − 1.6).
const WC = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177,
  0.0227238449892691845833, 7.7454501427834140764e-4,
] as const;
const WD = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4,
  1.05075007164441684324e-9,
] as const;
// r > 5: z = E(r − 5)/F(r − 5).
const WE = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386,
  2.71155556874348757815e-5, 2.01033439929228813265e-7,
] as const;
const WF = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7,
  2.04426310338993978564e-15,
] as const;

/** Degree-7 polynomial c[0] + c[1]x + … + c[7]x⁷ by Horner's rule. */
function poly7(c: readonly [number, number, number, number, number, number, number, number], x: number): number {
  return ((((((c[7] * x + c[6]) * x + c[5]) * x + c[4]) * x + c[3]) * x + c[2]) * x + c[1]) * x + c[0];
}

/**
 * Φ⁻¹(p), the standard normal quantile, by Wichura's AS 241 (PPND16): relative error ≈ 1e-16
 * over the whole range, down to p = 5e-324 (z ≈ −38.47).
 *
 * p = 0 gives −Infinity, p = 1 gives +Infinity. Throws RangeError for p outside [0, 1] or NaN.
 *
 * @example normalQuantile(0.975) // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly7(WA, r)) / poly7(WB, r);
  }
  // 1 − p is exact for p ≥ 1/2 (Sterbenz), so the upper tail loses nothing here.
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z = poly7(WC, r) / poly7(WD, r);
  } else {
    r -= 5;
    z = poly7(WE, r) / poly7(WF, r);
  }
  return q < 0 ? -z : z;
}

/**
 * P(|X − center| > halfWidth) for X ~ N(mu, sigma²): the mass outside the interval
 * [center − halfWidth, center + halfWidth],
 *
 *   Q((center + halfWidth − mu)/sigma) + Q((mu − center + halfWidth)/sigma),  Q = normalSf,
 *
 * both sides as upper tails, so a tiny tail mass keeps its relative precision (1 − Φ(a) + Φ(b)
 * would cancel to 0 beyond ≈8σ). sigma = 0 is a point mass at mu: 1 if |mu − center| >
 * halfWidth, else 0.
 *
 * Preconditions: sigma ≥ 0, halfWidth ≥ 0 (Infinity allowed: gives 0), center and mu finite.
 * Throws RangeError otherwise.
 *
 * @example normalTwoSidedTail(0, 1.959963984540054, 0, 1) // 0.05
 */
export function normalTwoSidedTail(center: number, halfWidth: number, mu: number, sigma: number): number {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`normalTwoSidedTail: sigma must be finite and ≥ 0, got ${sigma}`);
  }
  if (!(halfWidth >= 0)) throw new RangeError(`normalTwoSidedTail: halfWidth must be ≥ 0, got ${halfWidth}`);
  if (!Number.isFinite(center) || !Number.isFinite(mu)) {
    throw new RangeError(`normalTwoSidedTail: center and mu must be finite, got ${center}, ${mu}`);
  }
  if (sigma === 0) return Math.abs(mu - center) > halfWidth ? 1 : 0;
  const upper = (center + halfWidth - mu) / sigma;
  const lower = (mu - center + halfWidth) / sigma;
  // A band centred on the mean (the centred tail masses, each generation) mostly has both ends at
  // the very same distance: one tail, doubled, which is the same bits (x + x is 2x exactly).
  return upper === lower ? 2 * normalSf(upper) : normalSf(upper) + normalSf(lower);
}

/**
 * Each branch of Φ and its upper tail taken at load (see the warm-up in ziggurat.ts): a metric's
 * first |z| beyond √32 (a tail mass far out, a collapsing variance) would otherwise throw away the
 * optimised code of the functions that call them, in the middle of a run. Twenty rounds, as what a
 * function sees is recorded only once it has run a while; no whole numbers, which V8 records as
 * small integers, to be thrown away again at the first fraction.
 */
for (let round = 0; round < 20; round++) {
  for (const z of [0.25, -0.25, 2.5, -2.5, 7.5, -7.5, 50.5, -50.5]) {
    normalCdf(z);
    normalSf(z);
  }
}
