/**
 * Measuring a classifier: accuracy, top-3 accuracy, per-category recall, a
 * confusion matrix, urgency precision/recall/F1, and stratified k-fold
 * cross-validation over the training split (used to choose features and
 * regularisation without ever looking at the held-out split).
 */
import { seededRandom, shuffled } from './optimise.logic.js';
import type { Classification, LabelledReport } from './types.js';

export interface Evaluation {
  n: number;
  accuracy: number;
  top3: number;
  /** Per category: [correct, total] of reports whose true category it is. */
  recall: Record<string, { correct: number; total: number; recall: number }>;
  /** confusion[true][predicted] = count, over categories in the given order. */
  confusion: number[][];
  categories: string[];
  urgent: { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number };
  /** The misclassified reports, for reading. */
  errors: Array<{ id: string; text: string; expected: string; got: string; confidence: number }>;
}

/** Scores predictions against labels; `predictions[i]` belongs to `examples[i]`. */
export function evaluate(examples: readonly LabelledReport[], predictions: readonly Classification[], categories: readonly string[]): Evaluation {
  const ci = new Map(categories.map((c, i) => [c, i]));
  const confusion = categories.map(() => categories.map(() => 0));
  const recall: Evaluation['recall'] = {};
  for (const c of categories) recall[c] = { correct: 0, total: 0, recall: 0 };
  let correct = 0;
  let top3 = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const errors: Evaluation['errors'] = [];
  examples.forEach((e, i) => {
    const p = predictions[i];
    if (!p) return;
    const r = recall[e.category];
    if (r) r.total++;
    if (p.category === e.category) {
      correct++;
      if (r) r.correct++;
    } else {
      errors.push({ id: e.id, text: e.text, expected: e.category, got: p.category, confidence: p.confidence });
    }
    if (p.top3.some((s) => s.category === e.category)) top3++;
    const row = confusion[ci.get(e.category) ?? -1];
    const col = ci.get(p.category);
    if (row && col !== undefined) row[col] = (row[col] ?? 0) + 1;
    if (p.urgent && e.urgent) tp++;
    else if (p.urgent) fp++;
    else if (e.urgent) fn++;
  });
  for (const r of Object.values(recall)) r.recall = r.total ? r.correct / r.total : 0;
  const n = examples.length;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const urgentRecall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + urgentRecall ? (2 * precision * urgentRecall) / (precision + urgentRecall) : 0;
  return {
    n,
    accuracy: n ? correct / n : 0,
    top3: n ? top3 / n : 0,
    recall,
    confusion,
    categories: [...categories],
    urgent: { tp, fp, fn, precision, recall: urgentRecall, f1 },
    errors,
  };
}

/** Stratified k folds: each category's reports are shuffled (seeded) and dealt round-robin. */
export function stratifiedFolds<T extends { category: string }>(examples: readonly T[], k: number, seed: number): T[][] {
  const folds: T[][] = Array.from({ length: k }, () => []);
  const byCat = new Map<string, T[]>();
  for (const e of examples) byCat.set(e.category, [...(byCat.get(e.category) ?? []), e]);
  const random = seededRandom(seed);
  let next = 0;
  for (const cat of [...byCat.keys()].sort()) {
    for (const e of shuffled(byCat.get(cat) ?? [], random)) {
      folds[next % k]?.push(e);
      next++;
    }
  }
  return folds;
}

export interface CrossValidation {
  accuracy: number;
  top3: number;
  urgentF1: number;
  folds: number;
}

/**
 * k-fold cross-validation: trains on k−1 folds, predicts the remaining one,
 * and pools the predictions. `fit` returns a predictor for a training set.
 */
export function crossValidate(
  examples: readonly LabelledReport[],
  categories: readonly string[],
  k: number,
  seed: number,
  fit: (train: LabelledReport[]) => (text: string) => Classification,
): CrossValidation {
  const folds = stratifiedFolds(examples, k, seed);
  const pooledExamples: LabelledReport[] = [];
  const pooledPredictions: Classification[] = [];
  folds.forEach((test, f) => {
    const predict = fit(folds.filter((_, g) => g !== f).flat());
    for (const e of test) {
      pooledExamples.push(e);
      pooledPredictions.push(predict(e.text));
    }
  });
  const ev = evaluate(pooledExamples, pooledPredictions, categories);
  return { accuracy: ev.accuracy, top3: ev.top3, urgentF1: ev.urgent.f1, folds: k };
}
