import { describe, expect, it } from 'vitest';
import { forecastSeasonal, newSeasonal, observeSeasonal, profileAt, SEASONAL_DEFAULTS } from './seasonal.logic.js';
import { restoreModel, serialiseModel } from './model.logic.js';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 16);
/** A daily rhythm: a morning peak of 100 over a base of 20. */
const daily = (t: number) => 20 + 100 * Math.exp(-0.5 * (((t % DAY) / 3_600_000 - 8) / 1) ** 2);

function feed(days: number, f: (t: number) => number, stepMin = 1) {
  const s = newSeasonal();
  for (let t = T0; t < T0 + days * DAY; t += stepMin * MIN) observeSeasonal(s, t, f(t));
  return s;
}

describe('seasonal forecaster', () => {
  it('learns the daily profile and forecasts the morning peak before it comes', () => {
    const s = feed(4, daily);
    expect(Math.abs(profileAt(s, T0 + 8 * 3_600_000) - 120)).toBeLessThan(8);
    // At 07:15 the 45-minute forecast should see the 08:00 peak coming.
    for (let t = T0 + 4 * DAY; t <= T0 + 4 * DAY + 7.25 * 3_600_000; t += MIN) observeSeasonal(s, t, daily(t));
    const pts = forecastSeasonal(s);
    expect(pts.map((p) => p.horizonMin)).toEqual([15, 30, 45]);
    const at45 = pts[2]!;
    expect(Math.abs(at45.value - daily(at45.at))).toBeLessThan(10);
    expect(at45.value).toBeGreaterThan(daily(T0 + 4 * DAY + 7.25 * 3_600_000) + 15);
  });

  it('lets a deviation from the profile decay toward it, at a learned rate', () => {
    // A series at its profile, then shifted up by 40 for an hour at a time, fading over ~20 minutes.
    const shifted = (t: number) => {
      const inHour = ((t - T0) % (5 * 3_600_000)) / MIN;
      return daily(t) + (inHour < 60 ? 40 : 40 * Math.exp(-(inHour - 60) / 20)) * (inHour < 180 ? 1 : 0);
    };
    const s = feed(6, shifted);
    const pts = forecastSeasonal(s);
    for (const p of pts) {
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.upper).toBeGreaterThanOrEqual(p.value);
    }
  });

  it('gives intervals that cover about 80 % of what comes', () => {
    let x = 1;
    const rnd = () => ((x = (x * 48271) % 2147483647) / 2147483647) - 0.5;
    const noisy = (t: number) => daily(t) + 10 * rnd();
    const s = feed(5, noisy);
    let inside = 0;
    let n = 0;
    const pending: Array<{ at: number; lower: number; upper: number }> = [];
    for (let t = T0 + 5 * DAY; t < T0 + 7 * DAY; t += MIN) {
      const v = noisy(t);
      for (const p of pending.filter((q) => q.at === t)) [n, inside] = [n + 1, inside + (v >= p.lower && v <= p.upper ? 1 : 0)];
      observeSeasonal(s, t, v);
      if ((t / MIN) % 10 === 0) pending.push(...forecastSeasonal(s).filter((p) => p.horizonMin === 30));
    }
    expect(n).toBeGreaterThan(200);
    expect(inside / n).toBeGreaterThan(0.65);
    expect(inside / n).toBeLessThan(0.95);
  });

  it('ignores readings out of order and non-numbers, and round-trips through JSON', () => {
    const s = feed(1, daily, 5);
    const before = forecastSeasonal(s)[0]!.value;
    observeSeasonal(s, s.lastTs - MIN, 1e6);
    observeSeasonal(s, s.lastTs + MIN, NaN);
    expect(forecastSeasonal(s)[0]!.value).toBeCloseTo(before, 6);
    const back = restoreModel(serialiseModel(s));
    expect(back?.kind).toBe('seasonal');
    expect(forecastSeasonal(back as typeof s)[1]!.value).toBeCloseTo(forecastSeasonal(s)[1]!.value, 3);
    expect(restoreModel('{"kind":"seasonal","day":[1]}')).toBeNull();
    expect(restoreModel('not json')).toBeNull();
    expect(SEASONAL_DEFAULTS.horizonsMin).toEqual([15, 30, 45]);
  });
});
