/** The only thing the kernels need of a random generator (the core's `Rng` implements it). */
export interface UniformSource {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform double in [0, 1). */
  random(): number;
}
