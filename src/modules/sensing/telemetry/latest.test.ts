/** Unit tests of the in-memory latest values and the ISO formatter used to serve them. */
import { describe, expect, it } from 'vitest';
import { IsoFormatter, LatestStore } from './latest.js';

describe('LatestStore', () => {
  it('keeps the newest reading per sensor, also for keys far beyond its arrays', () => {
    const l = new LatestStore();
    l.offer(3, 100, 1);
    l.offer(3, 90, 2); // older: ignored
    l.offer(3, 100, 5); // same time: the stored one stays
    l.offer(5000, 7, 8);
    l.offer(1 << 23, 7, 9);
    l.offer(1 << 23, 8, 10);
    expect(l.get(3)).toEqual({ ts: 100, value: 1 });
    expect(l.get(5000)).toEqual({ ts: 7, value: 8 });
    expect(l.get(1 << 23)).toEqual({ ts: 8, value: 10 });
    expect([l.tsAt(3), l.valueAt(3)]).toEqual([100, 1]);
    expect(l.get(4)).toBeUndefined();
    expect(l.tsAt(999_999)).toBeNaN();
    expect(l.size()).toBe(3);
  });
});

describe('IsoFormatter', () => {
  it('formats like Date.prototype.toISOString', () => {
    const f = new IsoFormatter();
    const base = Date.UTC(2026, 10, 22, 8, 0, 59);
    for (const ts of [base, base + 1, base + 9, base + 10, base + 99, base + 100, base + 999, base + 1000, base + 7, 0, -1, -1500, base + 0.5]) {
      expect(f.format(ts), String(ts)).toBe(new Date(ts).toISOString());
    }
  });
});
