/** Incidents: request checks, which sensors they hit, and how their effects unfold in simulated time. */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../platform/errors.js';
import type { SensorClass } from '../modules/sensing/types.js';
import { projection } from './geometry.logic.js';
import { elapsedMin, envelope, incidentEffects, isFinished, parseIncidentRequest, planIncident, waterResponse, WATER_LAG_MIN, type FleetSensor } from './incidents.logic.js';
import { sensorValue, type TimeContext } from './model.logic.js';

const proj = projection(42.5);
const s = (id: string, c: SensorClass, metric: string, lon: number, lat: number, extra: Partial<FleetSensor['profile']> = {}, orgPath: string | null = null): FleetSensor => ({
  id, class: c, metric, p: [lon, lat], orgPath, profile: { seed: 0.5, scale: c === 'pipe' ? 400 : c === 'traffic' ? 1800 : 1, centrality: 0.5, speedKph: 60, ...extra },
});
const fleet: FleetSensor[] = [
  s('rain-near', 'rainfall', 'intensity', 1.52, 42.507),
  s('rain-far', 'rainfall', 'intensity', 1.70, 42.60),
  s('gauge-near', 'water_level', 'level', 1.525, 42.508, { scale: 0.8 }, '/c/d1/'),
  s('gauge-far', 'water_level', 'level', 1.70, 42.61, { scale: 0.8 }, '/c/d2/'),
  s('t1-flow', 'traffic', 'flow', 1.530, 42.510, { corridor: 'CG-1' }),
  s('t1-speed', 'traffic', 'speed', 1.530, 42.510, { corridor: 'CG-1' }),
  s('t2-flow', 'traffic', 'flow', 1.545, 42.512, { corridor: 'CG-1' }),
  s('t3-flow', 'traffic', 'flow', 1.545, 42.530, { corridor: 'CG-3' }),
  s('p1-pressure', 'pipe', 'pressure', 1.52, 42.50),
  s('p1-flow', 'pipe', 'flow', 1.52, 42.50),
  s('p2-pressure', 'pipe', 'pressure', 1.523, 42.50),
  s('smoke-1', 'smoke', 'obscuration', 1.53, 42.51),
  s('crowd-1', 'crowd', 'density', 1.531, 42.511),
  s('sos-1', 'sos', 'alert', 1.53, 42.52),
  s('sos-2', 'sos', 'alert', 1.60, 42.56),
];
const ctx = (id = 'inc_1') => ({ id, now: 1_000_000, timeScale: 30, centre: [1.52, 42.507] as [number, number], bbox: [1.4, 42.4, 1.8, 42.7] as [number, number, number, number], proj });
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return `${e.status} ${e.code}`;
    throw e;
  }
  return 'no error';
};

describe('parseIncidentRequest', () => {
  it('fills defaults and keeps what was given', () => {
    expect(parseIncidentRequest({ kind: 'rainstorm' })).toEqual({ kind: 'rainstorm', at: null, area: null, durationMin: 60, intensity: 1 });
    expect(parseIncidentRequest({ kind: 'fire', at: [1.5, 42.5], durationMin: 10, intensity: 2 })).toMatchObject({ at: [1.5, 42.5], durationMin: 10, intensity: 2 });
  });

  it('rejects bad input with a 400 and a clear code, listing the valid kinds', () => {
    expect(codeOf(() => parseIncidentRequest({ kind: 'earthquake' }))).toBe('400 SIM_UNKNOWN_KIND');
    try {
      parseIncidentRequest({ kind: 'earthquake' });
    } catch (e) {
      expect(String((e as Error).message)).toContain('rainstorm, congestion, pipe_burst, fire, sos');
    }
    expect(codeOf(() => parseIncidentRequest({ kind: 'fire', at: [200, 42] }))).toBe('400 BAD_COORDINATES');
    expect(codeOf(() => parseIncidentRequest({ kind: 'fire', at: 'here' }))).toBe('400 BAD_COORDINATES');
    expect(codeOf(() => parseIncidentRequest({ kind: 'fire', durationMin: 0 }))).toBe('400 SIM_BAD_PARAMETER');
    expect(codeOf(() => parseIncidentRequest({ kind: 'fire', intensity: Number.NaN }))).toBe('400 SIM_BAD_PARAMETER');
    expect(codeOf(() => parseIncidentRequest({ kind: 'fire', area: 42 }))).toBe('400 SIM_BAD_AREA');
  });
});

describe('planIncident', () => {
  it('rains on the gauges near the storm, not on the far ones', () => {
    const inc = planIncident(parseIncidentRequest({ kind: 'rainstorm', at: [1.52, 42.507] }), fleet, ctx());
    const hit = inc.affected.map((a) => fleet[a.index]!.id);
    expect(hit).toContain('rain-near');
    expect(hit).toContain('gauge-near');
    expect(hit).not.toContain('rain-far');
    expect(hit).not.toContain('gauge-far');
  });

  it('covers exactly the sensors of an org unit when given an area', () => {
    const inc = planIncident(parseIncidentRequest({ kind: 'rainstorm', area: 'd2' }), fleet, { ...ctx(), areaCentre: [1.7, 42.61] });
    expect(inc.affected.map((a) => fleet[a.index]!.id)).toEqual(['gauge-far']);
    expect(inc.at).toEqual([1.7, 42.61]);
  });

  it('jams a road corridor, bursts the nearest main, alarms the nearest wearable', () => {
    const jam = planIncident(parseIncidentRequest({ kind: 'congestion', at: [1.531, 42.5101] }), fleet, ctx());
    const ids = jam.affected.map((a) => fleet[a.index]!.id);
    expect(ids).toEqual(expect.arrayContaining(['t1-flow', 't1-speed', 't2-flow']));
    expect(ids).not.toContain('t3-flow');
    const burst = planIncident(parseIncidentRequest({ kind: 'pipe_burst', at: [1.5201, 42.5001] }), fleet, ctx());
    expect(burst.affected.find((a) => fleet[a.index]!.id === 'p1-pressure')!.weight).toBe(1);
    expect(burst.affected.find((a) => fleet[a.index]!.id === 'p2-pressure')!.weight).toBeLessThan(1);
    const sos = planIncident(parseIncidentRequest({ kind: 'sos', at: [1.601, 42.561] }), fleet, ctx());
    expect(sos.affected.map((a) => fleet[a.index]!.id)).toEqual(['sos-2']);
  });

  it('refuses places outside the city and places without such sensors nearby', () => {
    expect(codeOf(() => planIncident(parseIncidentRequest({ kind: 'fire', at: [2.35, 48.85] }), fleet, ctx()))).toBe('400 SIM_OUTSIDE_CITY');
    expect(codeOf(() => planIncident(parseIncidentRequest({ kind: 'fire', at: [1.75, 42.65] }), fleet, ctx()))).toBe('400 SIM_NO_SENSOR_NEAR');
  });
});

describe('incident effects over simulated time', () => {
  const inc = planIncident(parseIncidentRequest({ kind: 'rainstorm', at: [1.52, 42.507], durationMin: 60 }), fleet, ctx());
  const rainIdx = fleet.findIndex((f) => f.id === 'rain-near');
  const gaugeIdx = fleet.findIndex((f) => f.id === 'gauge-near');
  const at = (tau: number) => incidentEffects([{ inc, tau }], fleet);
  const time: TimeContext = { t: Date.UTC(2026, 10, 23, 14), hour: 14, dow: 1 };
  const level = (tau: number) => sensorValue({ class: 'water_level', metric: 'level', min: -10, max: 50, profile: fleet[gaugeIdx]!.profile }, time, 0, at(tau).get(gaugeIdx));

  it('raises rainfall first, then the water level with a lag, then lets it recede', () => {
    expect(at(10).get(rainIdx)!.rainMmH).toBeGreaterThan(30);
    expect(at(5).get(gaugeIdx)!.waterRiseM!).toBeLessThan(0.05);
    const rise = (tau: number) => at(tau).get(gaugeIdx)!.waterRiseM!;
    expect(rise(WATER_LAG_MIN + 10)).toBeGreaterThan(0.5);
    expect(rise(65)).toBeGreaterThan(rise(30));
    expect(rise(200)).toBeLessThan(0.1 * rise(70));
    expect(level(70)).toBeGreaterThan(level(0) + 1.5);
    expect(at(90).get(rainIdx)!.rainMmH).toBe(0);
  });

  it('peaks the water response after the rain has stopped and finishes once it has receded', () => {
    let peakTau = 0;
    for (let t = 0, best = -1; t < 250; t++) {
      const w = waterResponse(inc, t);
      if (w > best) [best, peakTau] = [w, t];
    }
    expect(peakTau).toBeGreaterThan(55);
    expect(peakTau).toBeLessThan(90);
    expect(isFinished(inc, 100)).toBe(false);
    expect(isFinished(inc, 60 + 161)).toBe(true);
  });

  it('runs simulated time faster than the clock by the time scale', () => {
    expect(elapsedMin(inc, inc.startedAt + 60_000)).toBe(30);
  });

  it('shapes other incidents with ramps', () => {
    expect(envelope(0, 30, 5, 10)).toBe(0);
    expect(envelope(2.5, 30, 5, 10)).toBe(0.5);
    expect(envelope(20, 30, 5, 10)).toBe(1);
    expect(envelope(35, 30, 5, 10)).toBe(0.5);
    expect(envelope(45, 30, 5, 10)).toBe(0);
    const fire = planIncident(parseIncidentRequest({ kind: 'fire', at: [1.53, 42.51] }), fleet, ctx());
    const fx = incidentEffects([{ inc: fire, tau: 10 }], fleet);
    expect(fx.get(fleet.findIndex((f) => f.id === 'smoke-1'))!.smoke).toBeGreaterThan(10);
    expect(fx.get(fleet.findIndex((f) => f.id === 'crowd-1'))!.crowd).toBeGreaterThan(0.5);
  });
});
