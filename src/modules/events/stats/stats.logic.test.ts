/** Unit tests of the statistics helpers: rates, means, district folding. */
import { describe, expect, it } from 'vitest';
import { countsOf, districtOf, foldDistricts, mean, rate, ratesOf } from './stats.logic.js';

describe('stats helpers', () => {
  it('gives null, not 0, when there is nothing to divide by', () => {
    expect(rate(0, 0)).toBeNull();
    expect(mean(0, 0)).toBeNull();
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 2)).toBe(1);
    expect(mean(13, 3)).toBe(4.3);
  });

  it('finds the district as the second path segment', () => {
    expect(districtOf('/ad/d1/s1/g1/')).toBe('d1');
    expect(districtOf('/ad/')).toBe('none');
    expect(districtOf(null)).toBe('none');
    expect(foldDistricts([{ key: '/c/d1/s1/', n: 2 }, { key: '/c/d1/s2/g/', n: 3 }, { key: '/c/d2/', n: 1 }, { key: null, n: 4 }]))
      .toEqual({ d1: 5, d2: 1, none: 4 });
    expect(countsOf([{ key: 'a', n: 1 }, { key: null, n: 2 }])).toEqual({ a: 1, none: 2 });
  });

  it('turns sums into rates', () => {
    const r = ratesOf({ total: 10, timed: 4, onTime: 3, handled: 2, handlingMsSum: 3 * 3_600_000, rated: 3, ratingSum: 11, satisfied: 2, repeats: 1, everClosed: 4, reopened: 1 });
    expect(r).toEqual({ onTimeRate: 0.75, avgHandlingHours: 1.5, satisfaction: { meanRating: 3.7, satisfiedShare: 0.6667, rated: 3 }, repeatRate: 0.1, reopenRate: 0.25 });
    expect(ratesOf({ total: 0, timed: 0, onTime: 0, handled: 0, handlingMsSum: 0, rated: 0, ratingSum: 0, satisfied: 0, repeats: 0, everClosed: 0, reopened: 0 }).onTimeRate).toBeNull();
  });
});
