/**
 * Our own optimiser for the two linear models: multinomial logistic
 * regression (softmax) for the category and binary logistic regression for
 * urgency. Mini-batch Adam with L2 on the weights (not the biases), a
 * linearly decaying step size and a seeded shuffle, so the same data and
 * seed always give bit-identical weights.
 */
import { createRng, shuffled } from '../../../platform/random.js';
import type { SparseVector } from './tfidf.logic.js';

export interface AdamOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export interface SoftmaxFit {
  /** Row-major [feature][class]. */
  weights: Float64Array;
  bias: Float64Array;
  /** Mean training loss (cross-entropy + L2) after each epoch. */
  losses: number[];
}

export interface BinaryFit {
  weights: Float64Array;
  bias: number;
  losses: number[];
}

/** Seeded PRNG and Fisher–Yates shuffle: the platform's, re-exported for the trainer. */
export { createRng as seededRandom, shuffled };

/** Softmax probabilities of one example, written into `out` (length K). */
export function softmaxScores(x: SparseVector, weights: ArrayLike<number>, bias: ArrayLike<number>, out: Float64Array): Float64Array {
  const k = out.length;
  for (let c = 0; c < k; c++) out[c] = bias[c] ?? 0;
  for (let n = 0; n < x.idx.length; n++) {
    const row = (x.idx[n] ?? 0) * k;
    const v = x.val[n] ?? 0;
    for (let c = 0; c < k; c++) out[c] = (out[c] ?? 0) + v * (weights[row + c] ?? 0);
  }
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, out[c] ?? 0);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((out[c] ?? 0) - max);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) out[c] = (out[c] ?? 0) / sum;
  return out;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function binaryScore(x: SparseVector, weights: ArrayLike<number>, bias: number): number {
  let z = bias;
  for (let n = 0; n < x.idx.length; n++) z += (x.val[n] ?? 0) * (weights[x.idx[n] ?? 0] ?? 0);
  return sigmoid(z);
}

/** Mean cross-entropy plus (l2 / 2)·‖W‖² of a softmax model over a data set. */
export function softmaxLoss(X: readonly SparseVector[], y: readonly number[], weights: Float64Array, bias: Float64Array, l2: number): number {
  const p = new Float64Array(bias.length);
  let loss = 0;
  X.forEach((x, i) => {
    softmaxScores(x, weights, bias, p);
    loss -= Math.log(Math.max(p[y[i] ?? 0] ?? 0, 1e-12));
  });
  return loss / Math.max(1, X.length) + (l2 / 2) * sumSquares(weights);
}

export function binaryLoss(X: readonly SparseVector[], y: readonly boolean[], weights: Float64Array, bias: number, l2: number): number {
  let loss = 0;
  X.forEach((x, i) => {
    const p = binaryScore(x, weights, bias);
    loss -= Math.log(Math.max(y[i] ? p : 1 - p, 1e-12));
  });
  return loss / Math.max(1, X.length) + (l2 / 2) * sumSquares(weights);
}

function sumSquares(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (a[i] ?? 0);
  return s;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/** Adam state for one parameter block, updated in place. */
class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  constructor(size: number) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }
  step(params: Float64Array, grad: Float64Array, lr: number, t: number): void {
    const c1 = 1 - BETA1 ** t;
    const c2 = 1 - BETA2 ** t;
    const { m, v } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i] ?? 0;
      const mi = BETA1 * (m[i] ?? 0) + (1 - BETA1) * g;
      const vi = BETA2 * (v[i] ?? 0) + (1 - BETA2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = (params[i] ?? 0) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + EPS);
    }
  }
}

function batches(n: number, opts: AdamOptions): { order: number[][]; steps: number } {
  const random = createRng(opts.seed);
  const order: number[][] = [];
  const all = Array.from({ length: n }, (_, i) => i);
  const size = Math.max(1, opts.batchSize);
  for (let e = 0; e < opts.epochs; e++) {
    const perm = shuffled(all, random);
    for (let s = 0; s < n; s += size) order.push(perm.slice(s, s + size));
  }
  return { order, steps: order.length };
}

/** Linear decay to a tenth of the initial step: large steps early, a settled end. */
function stepSize(opts: AdamOptions, t: number, steps: number): number {
  return opts.learningRate * (1 - 0.9 * ((t - 1) / Math.max(1, steps)));
}

/** Fits a softmax model over `features` sparse features and `classes` classes. */
export function trainSoftmax(X: readonly SparseVector[], y: readonly number[], features: number, classes: number, opts: AdamOptions): SoftmaxFit {
  const k = classes;
  const weights = new Float64Array(features * k);
  const bias = new Float64Array(k);
  const gW = new Float64Array(features * k);
  const gB = new Float64Array(k);
  const adamW = new Adam(weights.length);
  const adamB = new Adam(k);
  const p = new Float64Array(k);
  const losses: number[] = [];
  const { order, steps } = batches(X.length, opts);
  const perEpoch = Math.ceil(X.length / Math.max(1, opts.batchSize));
  let epochLoss = 0;
  order.forEach((batch, s) => {
    gW.fill(0);
    gB.fill(0);
    for (const i of batch) {
      const x = X[i] as SparseVector;
      const yi = y[i] ?? 0;
      softmaxScores(x, weights, bias, p);
      epochLoss -= Math.log(Math.max(p[yi] ?? 0, 1e-12));
      p[yi] = (p[yi] ?? 0) - 1;
      for (let n = 0; n < x.idx.length; n++) {
        const row = (x.idx[n] ?? 0) * k;
        const v = x.val[n] ?? 0;
        for (let c = 0; c < k; c++) gW[row + c] = (gW[row + c] ?? 0) + v * (p[c] ?? 0);
      }
      for (let c = 0; c < k; c++) gB[c] = (gB[c] ?? 0) + (p[c] ?? 0);
    }
    const inv = 1 / batch.length;
    for (let j = 0; j < gW.length; j++) gW[j] = (gW[j] ?? 0) * inv + opts.l2 * (weights[j] ?? 0);
    for (let c = 0; c < k; c++) gB[c] = (gB[c] ?? 0) * inv;
    const lr = stepSize(opts, s + 1, steps);
    adamW.step(weights, gW, lr, s + 1);
    adamB.step(bias, gB, lr, s + 1);
    if ((s + 1) % perEpoch === 0) {
      losses.push(epochLoss / X.length + (opts.l2 / 2) * sumSquares(weights));
      epochLoss = 0;
    }
  });
  return { weights, bias, losses };
}

/** Fits a binary logistic model; `positiveWeight` scales the loss of positive examples (class imbalance). */
export function trainBinary(
  X: readonly SparseVector[],
  y: readonly boolean[],
  features: number,
  opts: AdamOptions,
  positiveWeight = 1,
): BinaryFit {
  const weights = new Float64Array(features);
  const b = new Float64Array(1);
  const gW = new Float64Array(features);
  const gB = new Float64Array(1);
  const adamW = new Adam(features);
  const adamB = new Adam(1);
  const losses: number[] = [];
  const { order, steps } = batches(X.length, opts);
  const perEpoch = Math.ceil(X.length / Math.max(1, opts.batchSize));
  let epochLoss = 0;
  order.forEach((batch, s) => {
    gW.fill(0);
    gB[0] = 0;
    for (const i of batch) {
      const x = X[i] as SparseVector;
      const target = y[i] ? 1 : 0;
      const w = y[i] ? positiveWeight : 1;
      const pr = binaryScore(x, weights, b[0] ?? 0);
      epochLoss -= w * Math.log(Math.max(target ? pr : 1 - pr, 1e-12));
      const g = w * (pr - target);
      for (let n = 0; n < x.idx.length; n++) {
        const j = x.idx[n] ?? 0;
        gW[j] = (gW[j] ?? 0) + g * (x.val[n] ?? 0);
      }
      gB[0] = (gB[0] ?? 0) + g;
    }
    const inv = 1 / batch.length;
    for (let j = 0; j < features; j++) gW[j] = (gW[j] ?? 0) * inv + opts.l2 * (weights[j] ?? 0);
    gB[0] = (gB[0] ?? 0) * inv;
    const lr = stepSize(opts, s + 1, steps);
    adamW.step(weights, gW, lr, s + 1);
    adamB.step(b, gB, lr, s + 1);
    if ((s + 1) % perEpoch === 0) {
      losses.push(epochLoss / X.length + (opts.l2 / 2) * sumSquares(weights));
      epochLoss = 0;
    }
  });
  return { weights, bias: b[0] ?? 0, losses };
}
