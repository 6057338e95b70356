/**
 * The classifier as pure functions: train a model from labelled reports,
 * classify a text with a prepared model and explain the decision.
 *
 * Category: TF-IDF over words, character n-grams and thesaurus concepts +
 * softmax regression. Urgency: a separate binary logistic model over the
 * same features plus two category-prior features. Urgency is separate
 * because what makes a report urgent (smell of gas, sparking, someone
 * fallen, water rising in an underpass) cuts across categories; a joint
 * category×urgency softmax would split the few urgent examples 48 ways. The
 * prior features let it learn that an urgent-prone category (short
 * urgentHours in the taxonomy, many urgent reports in the corpus) needs
 * less evidence than, say, GARBAGE.
 */
import { badRequest } from '../../../platform/errors.js';
import { CONCEPTS } from './concepts.js';
import { binaryScore, softmaxScores, trainBinary, trainSoftmax, type AdamOptions } from './optimise.logic.js';
import { dequantise, quantise } from './quantise.logic.js';
import { MODEL_FORMAT, modelVersion } from './serialise.logic.js';
import { buildVocabulary, indexOf, vectorize, type SparseVector } from './tfidf.logic.js';
import { compileConcepts, DEFAULT_FEATURES, displayToken, TOKEN_KINDS, tokenize, type CompiledConcepts } from './tokenize.logic.js';
import type { CategoryInfo, Classification, ClassifierModel, FeatureOptions, LabelledReport, TrainOptions } from './types.js';

/** Chosen by 5-fold cross-validation on the train split (bench/classify.ts --cv). */
export const DEFAULT_TRAIN: TrainOptions = {
  epochs: 30,
  batchSize: 32,
  learningRate: 0.02,
  l2: 3e-5,
  urgentL2: 1e-4,
  urgentBalance: 1,
  urgentThreshold: 0.3,
  urgentFeatures: 'all',
  seed: 12345,
};

/** Pseudo-count pulling a category's urgency rate towards the corpus rate. */
const PRIOR_STRENGTH = 4;
const EXPLANATION_TOKENS = 6;
const DECIMALS = 1e4;

export interface TrainInput {
  examples: readonly LabelledReport[];
  categories: readonly CategoryInfo[];
  features?: Partial<FeatureOptions>;
  train?: Partial<TrainOptions>;
  /** The concept thesaurus; the shipped one by default. Stored in the model. */
  concepts?: Readonly<Record<string, readonly string[]>>;
}

/** Trains both models. Deterministic: the same input always gives the same model and version. */
export function trainClassifier(input: TrainInput): ClassifierModel {
  const features: FeatureOptions = { ...DEFAULT_FEATURES, ...input.features };
  const train: TrainOptions = { ...DEFAULT_TRAIN, ...input.train };
  const categories = input.categories.map((c) => c.code);
  const catIndex = indexOf(categories);
  if (input.examples.length === 0) throw badRequest('NO_TRAINING_DATA', 'Give at least one labelled report to train on');
  const labels = input.examples.map((e, i) => {
    const k = catIndex.get(e.category);
    if (k === undefined) throw badRequest('UNKNOWN_CATEGORY', `Example ${i} (${e.id}): category "${e.category}" is not in the taxonomy`);
    return k;
  });
  const concepts: Record<string, string[]> =
    features.conceptWeight > 0 ? Object.fromEntries(Object.entries(input.concepts ?? CONCEPTS).map(([c, forms]) => [c, [...forms]])) : {};
  const compiled = compileConcepts(concepts);
  const tokens = input.examples.map((e) => tokenize(e.text, features, compiled));
  const vocab = buildVocabulary(tokens, features.minDf);
  const scale = featureScale(vocab.terms, features);
  const X = tokens.map((t) => vectorize(t, vocab.index, vocab.idf, scale));
  const v = vocab.terms.length;
  const k = categories.length;
  const adam: AdamOptions = { epochs: train.epochs, batchSize: train.batchSize, learningRate: train.learningRate, l2: train.l2, seed: train.seed };
  const cat = trainSoftmax(X, labels, v, k, adam);

  const urgentFlags = input.examples.map((e) => e.urgent);
  const logOdds = categoryLogOdds(labels, urgentFlags, k);
  const hoursPrior = input.categories.map((c) => hoursPriorOf(c));
  const keep = urgentMask(vocab.terms, train);
  const Xu = X.map((x, i) => withPriors(masked(x, keep), v, logOdds[labels[i] ?? 0] ?? 0, hoursPrior[labels[i] ?? 0] ?? 0));
  const positives = urgentFlags.filter(Boolean).length;
  const ratio = positives > 0 ? (urgentFlags.length - positives) / positives : 1;
  const urgent = trainBinary(Xu, urgentFlags, v + 2, { ...adam, l2: train.urgentL2, seed: train.seed + 1 }, ratio ** train.urgentBalance);

  const body: Omit<ClassifierModel, 'version'> = {
    format: MODEL_FORMAT,
    features,
    train: { ...train, examples: input.examples.length },
    concepts,
    categories,
    vocab: vocab.terms,
    idf: vocab.idf.map(round),
    weights: quantise(cat.weights, k, 8),
    bias: Array.from(cat.bias, round),
    urgency: {
      weights: quantise(urgent.weights.subarray(0, v), v, 16),
      bias: round(urgent.bias),
      priorWeights: [round(urgent.weights[v] ?? 0), round(urgent.weights[v + 1] ?? 0)],
      categoryLogOdds: logOdds.map(round),
      categoryHoursPrior: hoursPrior.map(round),
      threshold: train.urgentThreshold,
    },
  };
  return { ...body, version: modelVersion(body) };
}

function round(x: number): number {
  return Math.round(x * DECIMALS) / DECIMALS;
}

function featureScale(terms: readonly string[], features: FeatureOptions): Float64Array {
  return Float64Array.from(terms, (t) => (t.startsWith(TOKEN_KINDS.concept) ? features.conceptWeight : 1));
}

/** Smoothed log-odds that a report of each category is urgent. */
export function categoryLogOdds(labels: readonly number[], urgent: readonly boolean[], k: number): number[] {
  const n = new Array<number>(k).fill(0);
  const u = new Array<number>(k).fill(0);
  labels.forEach((c, i) => {
    n[c] = (n[c] ?? 0) + 1;
    if (urgent[i]) u[c] = (u[c] ?? 0) + 1;
  });
  const rate = (urgent.filter(Boolean).length + 1) / (labels.length + 2);
  return n.map((nc, c) => {
    const p = ((u[c] ?? 0) + PRIOR_STRENGTH * rate) / (nc + PRIOR_STRENGTH);
    return Math.log(p / (1 - p));
  });
}

/** 1 for a category whose urgent limit is one hour, 0 for a day, negative beyond. */
export function hoursPriorOf(c: CategoryInfo): number {
  return Math.log(24 / Math.max(c.urgentHours, 0.5)) / Math.log(24);
}

/** 1 for features the urgency model may use. */
function urgentMask(terms: readonly string[], train: TrainOptions): Uint8Array {
  if (train.urgentFeatures === 'all') return new Uint8Array(terms.length).fill(1);
  return Uint8Array.from(terms, (t) => (t.startsWith(TOKEN_KINDS.concept) || t.startsWith(TOKEN_KINDS.cue) ? 1 : 0));
}

function masked(x: SparseVector, keep: Uint8Array): SparseVector {
  const idx: number[] = [];
  const val: number[] = [];
  x.idx.forEach((j, n) => {
    if (keep[j]) {
      idx.push(j);
      val.push(x.val[n] ?? 0);
    }
  });
  return { idx, val };
}

function withPriors(x: SparseVector, v: number, logOdds: number, hours: number): SparseVector {
  return { idx: [...x.idx, v, v + 1], val: [...x.val, logOdds, hours] };
}

/** A model made ready for fast prediction (feature index, compiled thesaurus, decoded weights). */
export interface PreparedModel {
  model: ClassifierModel;
  index: Map<string, number>;
  concepts: CompiledConcepts;
  scale: Float64Array;
  weights: Float64Array;
  bias: Float64Array;
  urgentWeights: Float64Array;
  /** Per feature, its mean weight over the classes (explanations centre on it; computed once, not per report). */
  meanWeights: Float64Array;
}

export function prepareModel(model: ClassifierModel): PreparedModel {
  const weights = dequantise(model.weights);
  return {
    model,
    index: indexOf(model.vocab),
    concepts: compileConcepts(model.concepts),
    scale: featureScale(model.vocab, model.features),
    weights,
    bias: Float64Array.from(model.bias),
    urgentWeights: dequantise(model.urgency.weights),
    meanWeights: meanWeights(weights, model.categories.length),
  };
}

/** Mean of each feature's row of class weights, summed in class order (the same arithmetic explain() did per report). */
function meanWeights(weights: Float64Array, k: number): Float64Array {
  const rows = k ? Math.floor(weights.length / k) : 0;
  const out = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    let mean = 0;
    for (let q = 0; q < k; q++) mean += weights[j * k + q] ?? 0;
    out[j] = mean / k;
  }
  return out;
}

/** Classifies one report text. Empty or featureless text still answers (the biases decide, with low confidence). */
export function classify(pm: PreparedModel, text: string): Classification {
  const { model } = pm;
  const x = vectorize(tokenize(text, model.features, pm.concepts), pm.index, model.idf, pm.scale);
  const k = model.categories.length;
  const p = softmaxScores(x, pm.weights, pm.bias, new Float64Array(k));
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => (p[b] ?? 0) - (p[a] ?? 0) || a - b);
  const best = order[0] ?? 0;
  const u = model.urgency;
  let expectedOdds = 0;
  let expectedHours = 0;
  for (let c = 0; c < k; c++) {
    expectedOdds += (p[c] ?? 0) * (u.categoryLogOdds[c] ?? 0);
    expectedHours += (p[c] ?? 0) * (u.categoryHoursPrior[c] ?? 0);
  }
  const urgentProbability = binaryScore(x, pm.urgentWeights, u.bias + u.priorWeights[0] * expectedOdds + u.priorWeights[1] * expectedHours);
  return {
    category: model.categories[best] ?? '',
    urgent: urgentProbability >= u.threshold,
    confidence: p[best] ?? 0,
    urgentProbability,
    top3: order.slice(0, 3).map((c) => ({ category: model.categories[c] ?? '', p: p[c] ?? 0 })),
    explanation: explain(pm, x, best),
    modelVersion: model.version,
  };
}

/**
 * The tokens that pushed most towards class c: value × (weight for c − mean
 * weight over classes). Softmax ignores a shift common to all classes, so
 * the centred weight is the part that actually favours c.
 */
function explain(pm: PreparedModel, x: SparseVector, c: number): string[] {
  const k = pm.model.categories.length;
  const byDisplay = new Map<string, number>();
  for (let n = 0; n < x.idx.length; n++) {
    const j = x.idx[n] ?? 0;
    const mean = pm.meanWeights[j] ?? 0;
    const contribution = (x.val[n] ?? 0) * ((pm.weights[j * k + c] ?? 0) - mean);
    if (contribution <= 0) continue;
    const shown = displayToken(pm.model.vocab[j] ?? '');
    byDisplay.set(shown, (byDisplay.get(shown) ?? 0) + contribution);
  }
  return [...byDisplay.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, EXPLANATION_TOKENS)
    .map(([t]) => t);
}
