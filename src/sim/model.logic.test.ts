/** The value model: daily and weekly rhythm, plausible ranges, incident effects. */
import { describe, expect, it } from 'vitest';
import { metricsOf } from '../modules/sensing/classes.js';
import { SENSOR_CLASSES } from '../modules/sensing/types.js';
import { activity, readingTimes, sensorValue, timeContext, trafficDemand, type SensorSpec, type TimeContext } from './model.logic.js';
import { createRng, gaussian } from '../platform/random.js';

// 2026-11-23 is a Monday, 2026-11-28 a Saturday.
const at = (day: number, hour: number): TimeContext => ({ t: Date.UTC(2026, 10, day, hour), hour, dow: (day - 22) % 7 });
const traffic = (metric: string, scale = 1800): SensorSpec => ({ class: 'traffic', metric, min: 0, max: metric === 'flow' ? 10_000 : 200, profile: { seed: 0.3, scale, speedKph: 60, centrality: 0.5 } });

describe('timeContext', () => {
  it('gives the local hour and weekday in the city’s time zone', () => {
    // 07:30 UTC on Monday 23 November 2026 is 08:30 in Andorra (CET, UTC+1)
    const ctx = timeContext(Date.UTC(2026, 10, 23, 7, 30), 'Europe/Andorra');
    expect(ctx.hour).toBeCloseTo(8.5, 5);
    expect(ctx.dow).toBe(1);
    expect(timeContext(Date.UTC(2026, 10, 28, 23, 30), 'Europe/Andorra').dow).toBe(0);
  });
});

describe('daily and weekly rhythm', () => {
  it('has weekday rush hours well above the night', () => {
    const flow = (ctx: TimeContext) => sensorValue(traffic('flow'), ctx, 0);
    expect(flow(at(23, 8))).toBeGreaterThan(4 * flow(at(23, 3)));
    expect(flow(at(23, 18))).toBeGreaterThan(4 * flow(at(23, 3)));
    expect(flow(at(23, 8))).toBeGreaterThan(flow(at(23, 11)));
  });

  it('has lower morning traffic at the weekend than on weekdays', () => {
    expect(trafficDemand(at(28, 8))).toBeLessThan(0.6 * trafficDemand(at(23, 8)));
    expect(sensorValue(traffic('flow'), at(28, 8), 0)).toBeLessThan(sensorValue(traffic('flow'), at(23, 8), 0));
  });

  it('slows traffic at rush hour and keeps crowds for midday and evening', () => {
    expect(sensorValue(traffic('speed'), at(23, 8), 0)).toBeLessThan(sensorValue(traffic('speed'), at(23, 3), 0));
    expect(activity(at(23, 12.5))).toBeGreaterThan(3 * activity(at(23, 4)));
    expect(activity(at(23, 19))).toBeGreaterThan(activity(at(23, 15)));
  });

  it('fills car parks during the working day and draws more power in the evening than at night', () => {
    const park: SensorSpec = { class: 'parking', metric: 'occupancy', min: 0, max: 100, profile: { seed: 0.5, scale: 0.9, centrality: 0.5 } };
    expect(sensorValue(park, at(23, 13), 0)).toBeGreaterThan(sensorValue(park, at(23, 4), 0) + 30);
    const load: SensorSpec = { class: 'energy', metric: 'load', min: 0, max: 500_000, profile: { seed: 0.5, scale: 1000, centrality: 0.5 } };
    expect(sensorValue(load, at(23, 19.5), 0)).toBeGreaterThan(1.5 * sensorValue(load, at(23, 3), 0));
  });

  it('makes the air worse at rush hour and during the night inversion than in the afternoon', () => {
    const pm: SensorSpec = { class: 'air_quality', metric: 'pm25', min: 0, max: 1000, profile: { seed: 0.5, scale: 1, centrality: 0.8 } };
    expect(sensorValue(pm, at(23, 8), 0)).toBeGreaterThan(sensorValue(pm, at(23, 15), 0));
    expect(sensorValue(pm, at(23, 4), 0)).toBeGreaterThan(sensorValue(pm, at(23, 15), 0));
  });

  it('keeps rainfall at zero most of the time', () => {
    const rain: SensorSpec = { class: 'rainfall', metric: 'intensity', min: 0, max: 300, profile: { seed: 0.5, scale: 1, centrality: 0 } };
    let dry = 0;
    for (let h = 0; h < 24 * 14; h++) if (sensorValue(rain, { t: Date.UTC(2026, 10, 1) + h * 3_600_000, hour: h % 24, dow: 0 }, 0) === 0) dry++;
    expect(dry / (24 * 14)).toBeGreaterThan(0.7);
  });
});

describe('plausible ranges', () => {
  it('keeps every class within its metric’s range and within everyday values, with noise', () => {
    const rng = createRng(7);
    const everyday: Record<string, [number, number]> = {
      'traffic/flow': [0, 3000], 'traffic/speed': [0, 130], 'air_quality/pm25': [0, 120], 'air_quality/pm10': [0, 200], 'air_quality/no2': [0, 150],
      'air_quality/o3': [0, 160], 'noise/laeq': [30, 85], 'water_level/level': [0, 3], 'rainfall/intensity': [0, 10], 'pipe/pressure': [150, 500],
      'pipe/flow': [0, 400], 'energy/load': [0, 3000], 'crowd/density': [0, 3], 'parking/occupancy': [0, 100], 'tilt/angle': [-1, 1],
      'smoke/obscuration': [0, 0.2], 'sos/alert': [0, 0],
    };
    for (const c of SENSOR_CLASSES) {
      for (const def of metricsOf(c)) {
        const spec: SensorSpec = { class: c, metric: def.metric, min: def.min, max: def.max, profile: { seed: 0.42, scale: c === 'traffic' ? 2000 : c === 'pipe' ? (def.metric === 'pressure' ? 400 : 150) : c === 'energy' ? 1500 : c === 'water_level' ? 1 : c === 'tilt' ? 0.2 : 1, speedKph: 60, centrality: 0.7 } };
        const [lo, hi] = everyday[`${c}/${def.metric}`]!;
        for (let i = 0; i < 24 * 7 * 4; i++) {
          const t = Date.UTC(2026, 10, 23) + i * 900_000;
          const v = sensorValue(spec, { t, hour: (i / 4) % 24, dow: Math.floor(i / 96) % 7 }, gaussian(rng));
          expect(v, `${c}/${def.metric}`).toBeGreaterThanOrEqual(Math.max(def.min, lo));
          expect(v, `${c}/${def.metric}`).toBeLessThanOrEqual(Math.min(def.max, hi));
        }
      }
    }
  });
});

describe('readingTimes', () => {
  const T = Date.UTC(2026, 10, 23, 8);
  it('gives `rate` distinct instants per second, inside the span', () => {
    expect(readingTimes(T, 1000, 1, 0.25)).toEqual([T - 750]);
    const five = readingTimes(T, 1000, 5, 0.5);
    expect(five).toHaveLength(5);
    expect(new Set(five).size).toBe(5);
    for (const t of five) expect(t > T - 1000 && t <= T).toBe(true);
    expect(readingTimes(T, 1000, 0, 0.5)).toEqual([]);
  });

  it('neither repeats nor misses instants across consecutive ticks, also below one per second', () => {
    for (const rate of [0.5, 1, 3]) {
      const all: number[] = [];
      for (let t = T; t < T + 10_000; t += 250) all.push(...readingTimes(t + 250, 250, rate, 0.37));
      expect(new Set(all).size, `rate ${rate}`).toBe(all.length);
      expect(all.length, `rate ${rate}`).toBe(10 * rate);
    }
  });
});
