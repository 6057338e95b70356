/** Unit tests of rollup arithmetic: buckets, merging partial aggregates, coarsening, resolution choice, retention cut-offs. */
import { describe, expect, it } from 'vitest';
import { BucketAccumulator, bucketStart, chooseRollup, chooseStep, coarsen, mergeByStart, retentionCutoffs, toPoints } from './rollup.logic.js';
import type { Bucket } from './types.js';

const H = 3_600_000;
const b = (sensorKey: number, start: number, values: number[]): Bucket => ({
  sensorKey, start, min: Math.min(...values), max: Math.max(...values), sum: values.reduce((s, v) => s + v, 0), count: values.length,
});

describe('buckets', () => {
  it('align to UTC step boundaries, also before 1970', () => {
    expect(bucketStart(Date.UTC(2026, 0, 1, 10, 17, 42, 5), 60_000)).toBe(Date.UTC(2026, 0, 1, 10, 17));
    expect(bucketStart(Date.UTC(2026, 0, 1, 10, 17), H)).toBe(Date.UTC(2026, 0, 1, 10));
    expect(bucketStart(-1, 60_000)).toBe(-60_000);
  });
});

describe('merging partial aggregates', () => {
  it('gives the same result however the readings were split (late data, re-runs)', () => {
    const all = [3, 9, -2, 4, 4, 7.5];
    const acc = new BucketAccumulator();
    acc.add(b(1, 0, all.slice(0, 2)));
    acc.add(b(1, 0, all.slice(2, 3)));
    acc.add(b(1, 0, all.slice(3)));
    acc.add(b(2, 0, [100]));
    expect(acc.values()).toEqual([b(1, 0, all), b(2, 0, [100])]);
  });

  it('does not alter the buckets it was given', () => {
    const first = b(1, 0, [1]);
    const acc = new BucketAccumulator();
    acc.add(first);
    acc.add(b(1, 0, [5]));
    expect(first).toEqual(b(1, 0, [1]));
  });

  it('coarsens minutes into hours and hours into days per sensor', () => {
    const minutes = [b(1, 0, [1, 2]), b(1, 60_000, [10]), b(1, H, [5]), b(2, 120_000, [7])];
    const hours = coarsen(minutes, H);
    expect(hours).toEqual([b(1, 0, [1, 2, 10]), b(1, H, [5]), b(2, 0, [7])]);
    expect(coarsen(hours, 24 * H)).toEqual([b(1, 0, [1, 2, 10, 5]), b(2, 0, [7])]);
  });

  it('merges stored rollups with fresh readings by bucket start, in time order', () => {
    const stored = [b(0, 60_000, [1, 2]), b(0, 0, [4])];
    const fresh = [b(0, 60_000, [9]), b(0, 120_000, [3])];
    const merged = mergeByStart(stored, fresh);
    expect(merged.map((x) => x.start)).toEqual([0, 60_000, 120_000]);
    expect(toPoints(merged)).toEqual([
      { ts: 0, min: 4, max: 4, avg: 4, count: 1 },
      { ts: 60_000, min: 1, max: 9, avg: 4, count: 3 },
      { ts: 120_000, min: 3, max: 3, avg: 3, count: 1 },
    ]);
  });
});

describe('choosing a resolution', () => {
  const opts = { maxPoints: 1000, maxRawRangeMs: 24 * H };
  it('uses raw readings while they are few enough', () => {
    expect(chooseStep(H, 600, opts)).toBe('raw');
    expect(chooseStep(H, 3600, opts)).toBe('1m');
  });
  it('picks the finest rollup with at most maxPoints buckets', () => {
    expect(chooseStep(16 * H, 1e6, opts)).toBe('1m');
    expect(chooseStep(17 * H, 1e6, opts)).toBe('1h');
    expect(chooseStep(41 * 24 * H, undefined, opts)).toBe('1h');
    expect(chooseStep(42 * 24 * H, undefined, opts)).toBe('1d');
    expect(chooseStep(100 * 365 * 24 * H, undefined, opts)).toBe('1d');
    expect(chooseRollup(H, 1000)).toBe('1m');
  });
  it('never picks raw beyond the raw range limit', () => {
    expect(chooseStep(25 * H, 10, opts)).toBe('1h');
  });
});

describe('retention cut-offs', () => {
  it('are now minus the days kept per resolution', () => {
    const now = Date.UTC(2026, 5, 1);
    expect(retentionCutoffs(now, { rawDays: 30, minuteDays: 90, hourDays: 730, dayDays: 3650 })).toEqual({
      raw: now - 30 * 24 * H, '1m': now - 90 * 24 * H, '1h': now - 730 * 24 * H, '1d': now - 3650 * 24 * H,
    });
  });
});
