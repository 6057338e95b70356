/** Recurrence (3 in 30 days within 100 m) and grid-cell hotspots with their histograms. */
import { describe, expect, it } from 'vitest';
import { hotspots, recurrence } from './places.logic.js';
import type { PlacedReport } from './types.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 23, 8); // a Monday, 08:00 UTC
// 10 m inside a 250 m cell, so the small cluster does not straddle a cell edge.
const P: [number, number] = [1.52, (Math.floor((42.51 * 111_320) / 250) * 250 + 10) / 111_320];
const north = (m: number): [number, number] => [P[0], P[1] + m / 111_320];
const rep = (id: string, at: number, point = P, category = 'GARBAGE'): PlacedReport => ({ id, category, point, at });

describe('recurrence', () => {
  it('flags the third report of a category at one place within 30 days, not the second', () => {
    const a = rep('a', T0 - 20 * DAY);
    const b = rep('b', T0 - 5 * DAY, north(60));
    expect(recurrence(b, [a]).recurring).toBe(false);
    expect(recurrence(rep('c', T0), [a, b])).toEqual({ recurring: true, related: ['a', 'b'] });
  });
  it('ignores other categories, places further than 100 m and reports older than 30 days', () => {
    const others = [rep('x', T0 - DAY, P, 'NOISE'), rep('y', T0 - DAY, north(150)), rep('z', T0 - 31 * DAY), rep('w', T0 - DAY)];
    expect(recurrence(rep('c', T0), others)).toEqual({ recurring: false, related: ['w'] });
    expect(recurrence(rep('c', T0), others, { minCount: 2, windowMs: 30 * DAY, radiusM: 100 }).recurring).toBe(true);
  });
});

describe('hotspots', () => {
  it('groups reports into cells with counts, top categories and hour/weekday histograms', () => {
    const reports = [
      rep('1', T0), rep('2', T0 + 3_600_000, north(20)), rep('3', T0 + DAY, north(40), 'NOISE'),
      rep('4', T0, north(5000)), rep('5', T0 + 2 * DAY, north(5010)), rep('lone', T0, north(20_000)),
    ];
    const out = hotspots(reports);
    expect(out.map((h) => h.count)).toEqual([3, 2]);
    const first = out[0]!;
    expect(first.topCategories).toEqual([{ category: 'GARBAGE', count: 2 }, { category: 'NOISE', count: 1 }]);
    expect(first.byHour[8]).toBe(2);
    expect(first.byHour[9]).toBe(1);
    expect(first.byWeekday.slice(0, 2)).toEqual([2, 1]);
    expect(first.centre[1]).toBeCloseTo(P[1] + 20 / 111_320, 6);
    expect(out[1]!.byWeekday).toEqual([1, 0, 1, 0, 0, 0, 0]);
    const local = hotspots(reports, { cellM: 250, minCount: 2, utcOffsetMin: 480, limit: 1 });
    expect(local).toHaveLength(1);
    expect(local[0]!.byHour[16]).toBe(2);
    expect(hotspots([])).toEqual([]);
  });
});
