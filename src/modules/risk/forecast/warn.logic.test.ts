import { describe, expect, it } from 'vitest';
import { predictCrossing } from './warn.logic.js';
import { intervalAround, newHorizonErrors, queueForecast, resolveDue } from './interval.logic.js';

const MIN = 60_000;
const path = (values: number[]) => values.map((value, i) => ({ at: (i + 1) * 10 * MIN, value }));

describe('forecast threshold crossing', () => {
  it('finds the first crossing and interpolates its time', () => {
    const c = predictCrossing({ at: 0, value: 1 }, path([1.5, 2.5, 3]), { op: '>', value: 2 }, false);
    expect(c).toEqual({ expectedAt: 15 * MIN, peak: 3 });
    expect(predictCrossing({ at: 0, value: 1 }, path([1.5, 1.9]), { op: '>', value: 2 }, false)).toBeNull();
    expect(predictCrossing({ at: 0, value: 40 }, path([30, 10]), { op: '<', value: 20 }, false)?.peak).toBe(10);
  });

  it('raises nothing new once the reading is already across (the rule alarms then)', () => {
    expect(predictCrossing({ at: 0, value: 2.5 }, path([3]), { op: '>', value: 2 }, false)).toBeNull();
    expect(predictCrossing({ at: 0, value: 2.5 }, path([3]), { op: '>', value: 2 }, true)?.expectedAt).toBe(0);
  });

  it('keeps an active warning while the forecast hovers just under the line (hysteresis)', () => {
    expect(predictCrossing({ at: 0, value: 1 }, path([1.99]), { op: '>', value: 2 }, true)).not.toBeNull();
    expect(predictCrossing({ at: 0, value: 1 }, path([1.9]), { op: '>', value: 2 }, true)).toBeNull();
  });
});

describe('learned prediction intervals', () => {
  it('resolves forecasts when their time comes and learns the spread of the errors', () => {
    const h = newHorizonErrors(15);
    let x = 7;
    const rnd = () => ((x = (x * 48271) % 2147483647) / 2147483647) - 0.5;
    for (let m = 0; m < 3000; m++) {
      resolveDue(h, m * MIN, 10 + 4 * rnd());
      queueForecast(h, m * MIN, 10, 0);
    }
    expect(h.pending.length).toBeLessThanOrEqual(12);
    expect(h.n).toBeGreaterThan(1000);
    const iv = intervalAround(h, 10, 100);
    // Uniform ±2: the 10 % and 90 % points are ∓1.6.
    expect(iv.lower).toBeGreaterThan(8);
    expect(iv.lower).toBeLessThan(8.8);
    expect(iv.upper).toBeGreaterThan(11.2);
    expect(iv.upper).toBeLessThan(12);
  });

  it('uses the fallback width until enough errors are known, and drops forecasts stranded by a gap', () => {
    const h = newHorizonErrors(30);
    queueForecast(h, 0, 5, 0);
    expect(intervalAround(h, 5, 2)).toEqual({ lower: 3, upper: 7 });
    expect(resolveDue(h, 10 * 60 * MIN, 6)).toEqual([]);
    expect(h.n).toBe(0);
  });
});
