/**
 * seedrandom's xor4096 generator on its own (the package's index also loads node:crypto, for
 * seeds drawn from the system, which this tool never uses). Typed by @types/seedrandom's member.
 */
declare module "seedrandom/lib/xor4096.js" {
  import type seedrandom from "seedrandom";

  const xor4096: seedrandom["xor4096"];
  export = xor4096;
}
