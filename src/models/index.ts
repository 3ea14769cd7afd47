/**
 * The registry: every model by the name --model takes. A new model is one module declaring itself
 * (see Model in model.ts) and one line here; options, --help, validation and descriptions follow.
 */
import { categorical } from "./categorical.js";
import { gaussian } from "./gaussian.js";
import { gmm } from "./gmm.js";
import { kde } from "./kde.js";
import { linreg } from "./linreg.js";
import type { AnyModel, OptionsOf } from "./model.js";
import { mvn } from "./mvn.js";
import { ngram } from "./ngram.js";

const REGISTRY = {
  gaussian,
  mvn,
  gmm,
  categorical,
  ngram,
  kde,
  linreg,
} as const satisfies Record<string, AnyModel>;

export type ModelName = keyof typeof REGISTRY;

/** Model names in registry order (--help, messages, document order of their options). */
export const MODEL_NAMES = Object.keys(REGISTRY) as ModelName[];

export const MODELS: readonly AnyModel[] = Object.values(REGISTRY);

export function getModel(name: ModelName): AnyModel {
  return REGISTRY[name];
}

/** Every model's own options, as one object type (the configuration holds them all). */
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
export type AllModelOptions = UnionToIntersection<OptionsOf<(typeof REGISTRY)[ModelName]>>;
