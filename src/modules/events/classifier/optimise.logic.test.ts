// The optimiser: it lowers the loss, separates a toy set, and is deterministic for a seed.
import { describe, expect, it } from 'vitest';
import { binaryLoss, seededRandom, shuffled, softmaxLoss, trainBinary, trainSoftmax } from './optimise.logic.js';
import type { SparseVector } from './tfidf.logic.js';

// Three classes, each marked by its own feature plus a shared noisy one.
const X: SparseVector[] = [];
const y: number[] = [];
for (let i = 0; i < 30; i++) {
  const c = i % 3;
  X.push({ idx: [c, 3], val: [0.9, 0.3 + 0.01 * i] });
  y.push(c);
}
const opts = { epochs: 20, batchSize: 4, learningRate: 0.1, l2: 1e-3, seed: 7 };

describe('trainSoftmax', () => {
  it('reduces the loss from ln K and classifies the toy set', () => {
    const fit = trainSoftmax(X, y, 4, 3, opts);
    const before = softmaxLoss(X, y, new Float64Array(12), new Float64Array(3), opts.l2);
    expect(before).toBeCloseTo(Math.log(3));
    const after = softmaxLoss(X, y, fit.weights, fit.bias, opts.l2);
    expect(after).toBeLessThan(before / 3);
    expect(fit.losses.at(-1)).toBeLessThan(fit.losses[0] ?? 0);
    for (let c = 0; c < 3; c++) {
      const row = [0, 1, 2].map((k) => fit.weights[c * 3 + k] ?? 0);
      expect(row.indexOf(Math.max(...row))).toBe(c);
    }
  });

  it('gives identical weights for the same seed and different ones for another', () => {
    const a = trainSoftmax(X, y, 4, 3, opts);
    const b = trainSoftmax(X, y, 4, 3, opts);
    const c = trainSoftmax(X, y, 4, 3, { ...opts, seed: 8 });
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
    expect(Array.from(c.weights)).not.toEqual(Array.from(a.weights));
  });
});

describe('trainBinary', () => {
  it('reduces the loss and weighs positives when asked', () => {
    const yb = y.map((c) => c === 0);
    const fit = trainBinary(X, yb, 4, opts);
    expect(binaryLoss(X, yb, fit.weights, fit.bias, opts.l2)).toBeLessThan(binaryLoss(X, yb, new Float64Array(4), 0, opts.l2) / 2);
    expect(fit.weights[0]).toBeGreaterThan(0);
    const weighted = trainBinary(X, yb, 4, opts, 5);
    expect(weighted.bias).toBeGreaterThan(fit.bias);
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and shuffles reproducibly', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(shuffled([1, 2, 3, 4, 5, 6], seededRandom(3))).toEqual(shuffled([1, 2, 3, 4, 5, 6], seededRandom(3)));
    expect([...shuffled([1, 2, 3, 4, 5, 6], seededRandom(3))].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
