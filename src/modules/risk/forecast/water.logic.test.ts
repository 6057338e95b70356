import { describe, expect, it } from 'vitest';
import { forecastWater, newWater, observeLevel, observeRain, steadyGain, waterPath } from './water.logic.js';
import { rainInputs, restoreModel, serialiseModel } from './model.logic.js';

const MIN = 60_000;
/** A catchment: level = 1 m + 0.05 m per mm/h of rain through a 20-minute lag (a gamma(2) unit hydrograph). */
function catchment() {
  let a = 0;
  let b = 0;
  return (rain: number, dtMin: number) => {
    const k = 1 - Math.exp(-dtMin / 10);
    a += k * (rain - a);
    b += k * (a - b);
    return 1 + 0.05 * b;
  };
}
const storm = (m: number, start: number, len: number, mmH: number) => (m >= start && m < start + len ? mmH : 0);

function train(minutes: number, stormAt: number[]) {
  const s = newWater();
  const c = catchment();
  for (let m = 0; m < minutes; m++) {
    const rain = stormAt.reduce((acc, st) => acc + storm(m, st, 60, 40), 0);
    observeRain(s, m * MIN, [rain, 0]);
    observeLevel(s, m * MIN, c(rain, 1));
  }
  return { s, c };
}

describe('water-level forecaster', () => {
  it('learns the rain → level gain from the stream', () => {
    const { s } = train(1440, [120, 600]);
    expect(steadyGain(s)).toBeGreaterThan(0.035);
    expect(steadyGain(s)).toBeLessThan(0.065);
  });

  it('forecasts a rise from rain that has only just started, before the water moves', () => {
    const { s, c } = train(1440, [120, 600]);
    let level = 1;
    for (let m = 1440; m < 1445; m++) {
      observeRain(s, m * MIN, [40, 0]);
      level = c(40, 1);
      observeLevel(s, m * MIN, level);
    }
    expect(level).toBeLessThan(1.3);
    const pts = forecastWater(s);
    expect(pts.map((p) => p.horizonMin)).toEqual([15, 30, 60, 120, 180]);
    const peak = Math.max(...pts.map((p) => p.value));
    expect(peak).toBeGreaterThan(1.8);
    for (const p of pts) expect(p.upper - p.lower).toBeGreaterThan(0);
    const path = waterPath(s, [5, 10, 20]);
    expect(path[2]!).toBeGreaterThan(path[0]!);
  });

  it('stays flat in dry weather and never learns a negative response into its forecasts', () => {
    const s = newWater();
    for (let m = 0; m < 600; m++) {
      // Rain that does nothing here, then a rise the gauges never saw.
      observeRain(s, m * MIN, [m % 200 < 30 ? 20 : 0, 0]);
      observeLevel(s, m * MIN, m > 400 && m < 460 ? 1.5 : 1);
    }
    observeRain(s, 600 * MIN, [30, 0]);
    observeLevel(s, 600 * MIN, 1);
    for (const p of forecastWater(s)) expect(p.value).toBeGreaterThan(0.9);
  });

  it('round-trips through JSON and picks rain gauges near and upstream', () => {
    const { s } = train(400, [100]);
    const back = restoreModel(serialiseModel(s));
    expect(back?.kind).toBe('water');
    expect(forecastWater(back as typeof s)[2]!.value).toBeCloseTo(forecastWater(s)[2]!.value, 3);
    const gauges = [
      { id: 'near', lon: 1.5, lat: 42.5 }, { id: 'ring', lon: 1.55, lat: 42.5 }, { id: 'far', lon: 1.7, lat: 42.5 },
    ];
    expect(rainInputs({ lon: 1.501, lat: 42.5 }, gauges, 3000, 3)).toEqual([['near'], ['ring']]);
  });
});
