import type { ModelName } from "../config/spec.js";
import { categorical } from "./categorical.js";
import { gaussian } from "./gaussian.js";
import { gmm } from "./gmm.js";
import type { AnyModel } from "./model.js";
import { mvn } from "./mvn.js";
import { ngram } from "./ngram.js";

/** The registry: every name --model accepts (spec.ts) has its model, which the type checks. */
const MODELS: Record<ModelName, AnyModel> = {
  gaussian,
  mvn,
  gmm,
  categorical,
  ngram,
};

export function getModel(name: ModelName): AnyModel {
  return MODELS[name];
}
