/**
 * The retraining use case behind `cityops train classifier` (and, later, the
 * nightly job): train on the corpus's train split plus any extra labelled
 * examples, judge the candidate and the current model on the held-out
 * split, and write the candidate only if it is no worse.
 */
import { loadCategories, loadCorpus, readModel, writeModel, CORPUS_DIR, DEFAULT_MODEL_FILE, TAXONOMY_FILE } from './corpus.js';
import { evaluate } from './evaluate.logic.js';
import { classify, prepareModel, trainClassifier } from './model.logic.js';
import { mergeTrainingSets, scoreOf, shouldAdopt, type ModelScore } from './retrain.logic.js';
import type { ClassifierModel, LabelledReport } from './types.js';

export interface RetrainOptions {
  /**
   * Labelled examples beyond the corpus, e.g. dispatchers' corrections of a
   * category ({id, text, category, urgent}). This is the learning loop's hook.
   */
  extraExamples?: readonly LabelledReport[];
  modelFile?: string;
  corpusDir?: string;
  taxonomyFile?: string;
  /** Evaluate and report, but never write the model. */
  dryRun?: boolean;
}

export interface RetrainResult {
  current: ModelScore | undefined;
  /** Why there is no current score (missing or unreadable model file). */
  currentProblem?: string;
  candidate: ModelScore;
  adopted: boolean;
  written: boolean;
  examples: number;
  model: ClassifierModel;
}

export async function retrainClassifier(opts: RetrainOptions = {}): Promise<RetrainResult> {
  const corpusDir = opts.corpusDir ?? CORPUS_DIR;
  const modelFile = opts.modelFile ?? DEFAULT_MODEL_FILE;
  const categories = await loadCategories(opts.taxonomyFile ?? TAXONOMY_FILE);
  const codes = categories.map((c) => c.code);
  const [train, heldout] = await Promise.all([loadCorpus('train', corpusDir), loadCorpus('heldout', corpusDir)]);
  const examples = mergeTrainingSets(train, opts.extraExamples ?? [], heldout);

  const model = trainClassifier({ examples, categories });
  const judge = (m: ClassifierModel) => {
    const pm = prepareModel(m);
    return scoreOf(m.version, evaluate(heldout, heldout.map((r) => classify(pm, r.text)), codes));
  };
  const candidate = judge(model);
  let current: ModelScore | undefined;
  let currentProblem: string | undefined;
  try {
    current = judge(await readModel(modelFile));
  } catch (err) {
    currentProblem = (err as Error).message;
  }
  const adopted = shouldAdopt(candidate, current);
  const written = adopted && !opts.dryRun && candidate.version !== current?.version;
  if (written) await writeModel(model, modelFile);
  return { current, currentProblem, candidate, adopted, written, examples: examples.length, model };
}
