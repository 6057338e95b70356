// Unit tests of the NAB scorer against small hand-computed cases.
import { describe, expect, it } from 'vitest';
import { PROFILES, labelRows, optimiseThreshold, probationLength, scaledSigmoid, scoreFile } from './nab-score.logic.js';
import type { NabFile } from './types.js';

const std = PROFILES.standard;
const f = scaledSigmoid;
/** 100 rows at t = 0..99; one window covering rows 40..49 (w = 10). Probation = 15 rows. */
const file: NabFile = { name: 'f', timestamps: Array.from({ length: 100 }, (_, i) => i), windows: [[40, 49]] };
const at = (...rows: number[]) => {
  const s = new Array<number>(100).fill(0);
  for (const r of rows) s[r] = 1;
  return s;
};

describe('NAB scorer', () => {
  it('has the published sigmoid shape and probation length', () => {
    expect(f(-1)).toBeCloseTo(2 / (1 + Math.exp(-5)) - 1, 12);
    expect(f(0)).toBe(0);
    expect(f(3.5)).toBe(-1);
    expect(probationLength(100)).toBe(15);
    expect(probationLength(100_000)).toBe(750);
  });

  it('scores an early detection higher than a late one, and only the earliest counts', () => {
    const early = scoreFile(file, at(40), 0.5, std).score;
    const late = scoreFile(file, at(49), 0.5, std).score;
    expect(early).toBeCloseTo(1, 12); // y = −1 at the window's first row
    expect(late).toBeCloseTo(f(-0.1) / f(-1), 12);
    expect(early).toBeGreaterThan(late);
    expect(scoreFile(file, at(40, 45, 49), 0.5, std).score).toBeCloseTo(early, 12);
  });

  it('charges a missed window −FN', () => {
    expect(scoreFile(file, at(), 0.5, std)).toMatchObject({ score: -1, fn: 1, tp: 0 });
    expect(scoreFile(file, at(), 0.5, PROFILES.reward_low_FN).score).toBe(-2);
  });

  it('weights a false positive by its distance after the preceding window', () => {
    // Before any window: −FP.
    expect(scoreFile(file, at(20, 40), 0.5, std).score).toBeCloseTo(1 - 0.11, 12);
    // Just after the window (row 50, r′ = 49, w′ = 10): y = 1/9, cheap.
    expect(scoreFile(file, at(40, 50), 0.5, std).score).toBeCloseTo(1 + 0.11 * f(1 / 9), 12);
    // Far after (y > 3): the full −FP.
    expect(scoreFile(file, at(40, 90), 0.5, std).score).toBeCloseTo(1 - 0.11, 12);
    expect(scoreFile(file, at(40, 90), 0.5, PROFILES.reward_low_FP).score).toBeCloseTo(1 - 0.22, 12);
    expect(labelRows(file)[50]).toEqual({ win: -1, y: 1 / 9 });
  });

  it('ignores detections in the probation period', () => {
    expect(scoreFile(file, at(3, 40), 0.5, std).score).toBeCloseTo(1, 12);
  });

  it('picks one corpus threshold that maximises the total and normalises against null and perfect', () => {
    const scores = new Array<number>(100).fill(0.1);
    scores[20] = 0.9; // a false positive with the highest score
    scores[42] = 0.8; // the true detection
    const r = optimiseThreshold([{ file, scores }], std);
    expect(r.threshold).toBe(0.8);
    expect(r.nullScore).toBe(-1);
    expect(r.perfect).toBe(1);
    const expected = f(-0.8) / f(-1) - 0.11;
    expect(r.score).toBeCloseTo(expected, 12);
    expect(r.normalised).toBeCloseTo((100 * (expected + 1)) / 2, 9);
    // A detector that never fires is the null detector: 0.
    expect(optimiseThreshold([{ file, scores: new Array<number>(100).fill(0) }], std).normalised).toBeCloseTo(0, 9);
  });
});
