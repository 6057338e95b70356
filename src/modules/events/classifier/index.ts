/**
 * The event classifier as the rest of CityOps uses it: load the committed
 * model once, then classify report texts. Built in main.ts and handed to
 * the events service; `cityops classify` uses the same loader so the CLI
 * answers exactly as the server would.
 */
import { DEFAULT_MODEL_FILE, readModel } from './corpus.js';
import { classify, prepareModel } from './model.logic.js';
import type { Classification, ClassifierModel } from './types.js';

export type { Classification, ClassifierModel, LabelledReport, ScoredCategory } from './types.js';
export { retrainClassifier, type RetrainOptions, type RetrainResult } from './train.js';

export interface EventClassifier {
  /** The model version, to record with every decision it makes. */
  readonly version: string;
  readonly categories: readonly string[];
  classify(text: string): Classification;
}

export function createClassifier(model: ClassifierModel): EventClassifier {
  const prepared = prepareModel(model);
  return {
    version: model.version,
    categories: model.categories,
    classify: (text) => classify(prepared, text),
  };
}

/** The classifier from a model file (the committed model by default). */
export async function loadClassifier(file = DEFAULT_MODEL_FILE): Promise<EventClassifier> {
  return createClassifier(await readModel(file));
}
