// Metrics and folds.
import { describe, expect, it } from 'vitest';
import { crossValidate, evaluate, stratifiedFolds } from './evaluate.logic.js';
import type { Classification, LabelledReport } from './types.js';

const cats = ['A', 'B', 'C'];
const r = (id: string, category: string, urgent = false): LabelledReport => ({ id, text: id, category, urgent });
const p = (category: string, urgent: boolean, second = 'C'): Classification => ({
  category,
  urgent,
  confidence: 0.6,
  urgentProbability: urgent ? 0.9 : 0.1,
  top3: [{ category, p: 0.6 }, { category: second, p: 0.3 }, { category: 'B', p: 0.1 }],
  explanation: [],
  modelVersion: 'v',
});

describe('evaluate', () => {
  it('computes accuracy, top-3, recall, confusion and urgency precision/recall', () => {
    const ex = [r('1', 'A', true), r('2', 'A'), r('3', 'B', true), r('4', 'C')];
    const preds = [p('A', true), p('B', true, 'A'), p('A', false, 'B'), p('C', false)];
    const ev = evaluate(ex, preds, cats);
    expect(ev.accuracy).toBe(0.5);
    expect(ev.top3).toBe(1);
    expect(ev.recall.A).toEqual({ correct: 1, total: 2, recall: 0.5 });
    expect(ev.confusion).toEqual([
      [1, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(ev.urgent).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(ev.errors.map((e) => e.id)).toEqual(['2', '3']);
  });
});

describe('stratifiedFolds', () => {
  it('deals every report once, spreading each category over the folds, reproducibly', () => {
    const ex = Array.from({ length: 30 }, (_, i) => r(String(i), cats[i % 3] ?? 'A'));
    const folds = stratifiedFolds(ex, 5, 1);
    expect(folds.flat().map((e) => e.id).sort()).toEqual(ex.map((e) => e.id).sort());
    for (const f of folds) for (const c of cats) expect(f.filter((e) => e.category === c)).toHaveLength(2);
    expect(stratifiedFolds(ex, 5, 1)).toEqual(folds);
  });
});

describe('crossValidate', () => {
  it('never predicts a report with a model that saw it', () => {
    const ex = Array.from({ length: 12 }, (_, i) => r(`t${i}`, cats[i % 3] ?? 'A'));
    const cv = crossValidate(ex, cats, 3, 1, (train) => {
      const seen = new Set(train.map((e) => e.text));
      return (text) => {
        expect(seen.has(text)).toBe(false);
        return p('A', false);
      };
    });
    expect(cv.accuracy).toBeCloseTo(1 / 3);
  });
});
