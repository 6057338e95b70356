// Learning-loop rules: corrections join the train split (never the held-out one); adoption only when no worse.
import { describe, expect, it } from 'vitest';
import { mergeTrainingSets, shouldAdopt } from './retrain.logic.js';

const r = (id: string, text: string, category: string) => ({ id, text, category, urgent: false });

describe('mergeTrainingSets', () => {
  it('adds corrections, lets a correction override the same text, and never trains on held-out texts', () => {
    const corpus = [r('1', '路灯不亮', 'STREETLIGHT'), r('2', '井盖没了', 'MANHOLE')];
    const extra = [r('c1', '井盖没了', 'ROAD_DAMAGE'), r('c2', '新的一条', 'GARBAGE'), r('c3', 'Held out text', 'NOISE')];
    const heldout = [r('h', 'held out text', 'NOISE')];
    const merged = mergeTrainingSets(corpus, extra, heldout);
    expect(merged.map((x) => [x.id, x.category])).toEqual([
      ['1', 'STREETLIGHT'],
      ['c1', 'ROAD_DAMAGE'],
      ['c2', 'GARBAGE'],
    ]);
  });
});

describe('shouldAdopt', () => {
  const s = (accuracy: number) => ({ version: 'v', accuracy, top3: 1, urgentF1: 1 });
  it('adopts when no worse, or when there is no current model', () => {
    expect(shouldAdopt(s(0.8), s(0.8))).toBe(true);
    expect(shouldAdopt(s(0.81), s(0.8))).toBe(true);
    expect(shouldAdopt(s(0.79), s(0.8))).toBe(false);
    expect(shouldAdopt(s(0.1), undefined)).toBe(true);
  });
});
