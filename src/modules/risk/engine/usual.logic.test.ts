import { describe, expect, it } from 'vitest';
import { newUsual, observeUsual, usualLevel, USUAL_MIN_READINGS } from './usual.logic.js';

const MIN = 60_000;

describe('usual level', () => {
  it('is a plain mean at first, trusted after a few readings', () => {
    const u = newUsual(30 * MIN);
    const xs = [50, 54, 46, 52];
    xs.forEach((v, i) => observeUsual(u, i * 1000, v));
    expect(usualLevel(u)).toBeNull();
    observeUsual(u, 5000, 48);
    expect(USUAL_MIN_READINGS).toBe(5);
    expect(usualLevel(u)).toBeCloseTo(50, 6);
  });

  it('follows a lasting change with its time constant, and a drop far below it ten times slower', () => {
    const follow = newUsual(30 * MIN);
    const drop = newUsual(30 * MIN);
    for (let m = 0; m < 600; m++) {
      observeUsual(follow, m * MIN, 50);
      observeUsual(drop, m * MIN, 50);
    }
    for (let m = 600; m < 630; m++) {
      observeUsual(follow, m * MIN, 40); // 80 %: ordinary change
      observeUsual(drop, m * MIN, 10); // 20 %: a jam
    }
    // 30 min at time constant 30 min: 63 % of the way
    expect(usualLevel(follow)).toBeCloseTo(50 - 10 * (1 - Math.exp(-30 / 30)), 0);
    const d = usualLevel(drop)!;
    expect(d).toBeGreaterThan(44);
    expect(d).toBeLessThan(50);
  });

  it('ignores late readings and non-numbers; a level at or below zero is not usable', () => {
    const u = newUsual(MIN);
    for (let i = 0; i < 6; i++) observeUsual(u, 10_000 + i, 0);
    observeUsual(u, 0, 100);
    observeUsual(u, 20_000, Number.NaN);
    expect(u.mean).toBe(0);
    expect(usualLevel(u)).toBeNull();
  });
});
