import type { ModelName } from "../config/spec.js";
import type { AnyModel } from "../core/model.js";
import { UsageError } from "../errors.js";
import { categorical } from "./categorical.js";
import { gaussian } from "./gaussian.js";
import { gmm } from "./gmm.js";
import { mvn } from "./mvn.js";
import { ngram } from "./ngram.js";

const MODELS: Partial<Record<ModelName, AnyModel>> = {
  gaussian,
  mvn,
  gmm,
  categorical,
  ngram,
};

export function getModel(name: ModelName): AnyModel {
  const model = MODELS[name];
  if (!model) throw new UsageError(`--model ${name} is not available in this version; use gaussian`);
  return model;
}
