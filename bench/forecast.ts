/**
 * Forecast benchmark (`npm run bench:forecast [-- --days 10] [--data <nab dir>]`):
 * mean absolute error of the CityOps forecasters at each horizon against a
 * seasonal-naive baseline (the value one season — a day — earlier) and plain
 * persistence (the value now), run in the same process on
 *  (a) the demo city: a few simulated days of readings from the simulator's
 *      value model (src/sim/model.logic.ts) for traffic flow/speed and for
 *      water-level gauges with rain gauges nearby, with rainstorms and
 *      congestion injected through src/sim/incidents.logic.ts — deterministic;
 *  (b) NAB's realKnownCause series (period: a day).
 * Ratios below 1 beat the baseline. Last line: one JSON object.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseNabCsv } from '../src/modules/risk/detectors/csv.logic.js';
import { forecastModel, MODEL_DEFAULTS, newModel, rainInputs, type ModelOptions } from '../src/modules/risk/forecast/model.logic.js';
import { newSeasonal, observeSeasonal, SEASONAL_DEFAULTS } from '../src/modules/risk/forecast/seasonal.logic.js';
import { observeLevel, observeRain } from '../src/modules/risk/forecast/water.logic.js';
import { createRng, gaussian, unitHash } from '../src/platform/random.js';
import { projection } from '../src/sim/geometry.logic.js';
import { incidentEffects, planIncident, type FleetSensor } from '../src/sim/incidents.logic.js';
import { sensorValue, timeContext, type SensorSpec } from '../src/sim/model.logic.js';
import type { Incident } from '../src/sim/types.js';
import type { SensorClass } from '../src/modules/sensing/types.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values: a } = parseArgs({
  options: {
    days: { type: 'string', default: '10' },
    data: { type: 'string', default: path.resolve(ROOT, '../shared/data/nab') },
    opt: { type: 'string', default: '{}' },
  },
});
const MIN = 60_000;
const DAY = 86_400_000;
const log = (s: string) => process.stdout.write(s + '\n');
const opt = JSON.parse(a.opt) as { water?: Partial<ModelOptions['water']>; seasonal?: Partial<ModelOptions['seasonal']> };
const models: ModelOptions = { seasonal: { ...MODEL_DEFAULTS.seasonal, ...opt.seasonal }, water: { ...MODEL_DEFAULTS.water, ...opt.water } };

/** MAE accumulators per horizon for the model and both baselines. */
class Scores {
  readonly rows = new Map<number, { n: number; mine: number; naive: number; persist: number }>();
  add(h: number, actual: number, mine: number, naive: number, persist: number) {
    const r = this.rows.get(h) ?? { n: 0, mine: 0, naive: 0, persist: 0 };
    r.n++;
    r.mine += Math.abs(actual - mine);
    r.naive += Math.abs(actual - naive);
    r.persist += Math.abs(actual - persist);
    this.rows.set(h, r);
  }
  table(title: string): Record<string, number> {
    log(`\n${title}\n horizon      n        MAE   seasonal-naive  ratio   persistence  ratio`);
    const ratios: Record<string, number> = {};
    for (const [h, r] of [...this.rows].sort((x, y) => x[0] - y[0])) {
      const [m, nv, p] = [r.mine / r.n, r.naive / r.n, r.persist / r.n];
      ratios[String(h)] = Math.round((m / nv) * 1000) / 1000;
      log(` ${String(h).padStart(4)} min ${String(r.n).padStart(7)} ${m.toPrecision(4).padStart(10)} ${nv.toPrecision(4).padStart(12)} ${(m / nv).toFixed(3).padStart(9)} ${p.toPrecision(4).padStart(12)} ${(m / p).toFixed(3).padStart(7)}`);
    }
    return ratios;
  }
}

// ───────────── (a) the demo city ─────────────

type Sim = FleetSensor & SensorSpec;
function demoFleet(): Sim[] {
  const fleet: Sim[] = [];
  const base: [number, number] = [1.52, 42.51];
  const rng = createRng(7);
  const add = (id: string, cls: SensorClass, metric: string, p: [number, number], extra: Partial<Sim['profile']>, min: number, max: number) => {
    fleet.push({ id, class: cls, metric, p, orgPath: null, min, max, profile: { seed: unitHash(id), scale: 1, centrality: 0.5, ...extra } });
  };
  for (let i = 0; i < 20; i++) {
    const id = `s-traffic-${String(i + 1).padStart(6, '0')}`;
    const p: [number, number] = [base[0] + (rng() - 0.5) * 0.08, base[1] + (rng() - 0.5) * 0.06];
    const cap = Math.round(700 + 2300 * unitHash(`${id}#scale`));
    add(`${id}-flow`, 'traffic', 'flow', p, { scale: cap, corridor: `r${i % 5}` }, 0, 20000);
    add(`${id}-speed`, 'traffic', 'speed', p, { scale: cap, speedKph: 40 + 10 * (i % 5), corridor: `r${i % 5}` }, 0, 250);
  }
  // Catchments: a rain gauge and three water gauges around it, a few hundred metres apart.
  for (let c = 0; c < 6; c++) {
    const centre: [number, number] = [base[0] + (c % 3 - 1) * 0.06, base[1] + (c < 3 ? -0.03 : 0.03)];
    add(`s-rain-${String(c + 1).padStart(6, '0')}`, 'rainfall', 'intensity', centre, {}, 0, 500);
    for (let k = 0; k < 3; k++) {
      const id = `s-water-${String(c * 3 + k + 1).padStart(6, '0')}`;
      const p: [number, number] = [centre[0] + (rng() - 0.5) * 0.012, centre[1] + (rng() - 0.5) * 0.008];
      add(id, 'water_level', 'level', p, { scale: Math.round((0.3 + 1.2 * unitHash(`${id}#scale`)) * 100) / 100 }, -10, 50);
    }
  }
  return fleet;
}

function simulateCity(days: number) {
  const fleet = demoFleet();
  const proj = projection(42.51);
  const rng = createRng(20260101);
  const start = Date.UTC(2026, 10, 16); // a Monday
  const steps = days * 1440;
  const values = fleet.map(() => new Float64Array(steps));
  const wet = fleet.map(() => new Uint8Array(steps));
  // Storms roughly every 20 h and jams roughly daily, at seeded places, times and strengths.
  const incidents: Incident[] = [];
  const plan = (kind: 'rainstorm' | 'congestion', at: [number, number], t: number, durationMin: number, intensity: number) =>
    incidents.push(planIncident({ kind, at, area: null, durationMin, intensity }, fleet, {
      id: `inc-${incidents.length}`, now: t, timeScale: 1, centre: at, bbox: [1.4, 42.4, 1.7, 42.7], proj,
    }));
  const gauges = fleet.filter((f) => f.class === 'rainfall');
  const roads = fleet.filter((f) => f.metric === 'flow');
  for (let t = start + 6 * 3_600_000; t < start + days * DAY; t += (8 + 32 * rng()) * 3_600_000) {
    plan('rainstorm', gauges[Math.floor(rng() * gauges.length)]!.p, t, Math.round(30 + 90 * rng()), 0.5 + rng());
  }
  for (let t = start + 9 * 3_600_000; t < start + days * DAY; t += (18 + 12 * rng()) * 3_600_000) {
    plan('congestion', roads[Math.floor(rng() * roads.length)]!.p, t, Math.round(20 + 40 * rng()), 1);
  }
  for (let k = 0; k < steps; k++) {
    const t = start + k * MIN;
    const ctx = timeContext(t, 'Europe/Andorra');
    const live = incidents.map((inc) => ({ inc, tau: (t - inc.startedAt) / MIN })).filter((x) => x.tau >= 0 && x.tau < x.inc.durationMin + 200);
    const fx = incidentEffects(live, fleet);
    for (let i = 0; i < fleet.length; i++) {
      const e = fx.get(i);
      values[i]![k] = sensorValue(fleet[i]!, ctx, gaussian(rng), e);
      if ((e?.waterRiseM ?? 0) > 0.02 || (e?.rainMmH ?? 0) > 0.5) wet[i]![k] = 1;
    }
  }
  return { fleet, values, wet, start, steps, storms: incidents.filter((i) => i.kind === 'rainstorm').length, jams: incidents.filter((i) => i.kind === 'congestion').length };
}

function benchCity(days: number) {
  const city = simulateCity(days);
  const { fleet, values, wet, start, steps } = city;
  const scores = { flow: new Scores(), speed: new Scores(), water: new Scores(), waterWet: new Scores() };
  const index = new Map(fleet.map((f, i) => [f.id, i]));
  const gauges = fleet.filter((f) => f.class === 'rainfall').map((f) => ({ id: f.id, lon: f.p[0], lat: f.p[1] }));
  // The same choice of rain gauges as the service makes.
  const rainOf = (i: number) => rainInputs({ lon: fleet[i]!.p[0], lat: fleet[i]!.p[1] }, gauges, 4000, 3).map((ids) => ids.map((id) => index.get(id)!));
  let updates = 0;
  const t0 = process.hrtime.bigint();
  fleet.forEach((f, i) => {
    if (f.class !== 'traffic' && f.class !== 'water_level') return;
    const s = newModel(f.class === "traffic" ? "seasonal" : "water", models);
    const rain = f.class === 'water_level' ? rainOf(i) : [];
    const v = values[i]!;
    for (let k = 0; k < steps; k++) {
      const t = start + k * MIN;
      if (s.kind === 'seasonal') observeSeasonal(s, t, v[k]!, models.seasonal);
      else {
        observeRain(s, t, rain.map((js) => (js.length ? js.reduce((acc, j) => acc + values[j]![k]!, 0) / js.length : 0)), models.water);
        observeLevel(s, t, v[k]!, models.water);
      }
      updates++;
      // Forecast every 5 minutes, scored once a day of history exists for the baseline.
      if (k % 5 !== 0) continue;
      const pts = forecastModel(s, f, models);
      if (k < 1440) continue;
      for (const p of pts) {
        const kk = k + p.horizonMin;
        if (kk >= steps) continue;
        const target = v[kk]!;
        const naive = v[kk - 1440]!;
        const board = f.class === 'water_level' ? scores.water : f.metric === 'flow' ? scores.flow : scores.speed;
        board.add(p.horizonMin, target, p.value, naive, v[k]!);
        if (f.class === 'water_level' && wet[i]![k]) {
          scores.waterWet.add(p.horizonMin, target, p.value, naive, v[k]!);
        }
      }
    }
  });
  const us = Number(process.hrtime.bigint() - t0) / 1000 / updates;
  log(`demo city: ${days} simulated days at 1-minute readings, ${fleet.length} sensors, ${city.storms} rainstorms, ${city.jams} congestion incidents`);
  return {
    flow: scores.flow.table('demo city — traffic flow (veh/h)'),
    speed: scores.speed.table('demo city — traffic speed (km/h)'),
    water: scores.water.table('demo city — water level (m), all times'),
    waterWet: scores.waterWet.table('demo city — water level (m), forecasts made during a rainstorm or its run-off'),
    us,
  };
}

// ───────────── (b) NAB realKnownCause ─────────────

function benchNab(dir: string) {
  const groupDir = path.join(dir, 'data', 'realKnownCause');
  if (!fs.existsSync(groupDir)) {
    log(`\nNAB: no data at ${groupDir}; pass --data <dir>`);
    return null;
  }
  const horizons = [15, 30, 60, 120];
  const o: ModelOptions = { ...models, seasonal: { ...SEASONAL_DEFAULTS, ...opt.seasonal, horizonsMin: horizons } };
  const ratios = new Map<number, number[]>();
  const all = new Scores();
  log('\nNAB realKnownCause (seasonal-naive = one day earlier)');
  log(' file                                         ' + horizons.map((h) => `${h}m ratio`.padStart(10)).join(''));
  for (const name of fs.readdirSync(groupDir).filter((f) => f.endsWith('.csv')).sort()) {
    const rows = parseNabCsv(fs.readFileSync(path.join(groupDir, name), 'utf8'), name).rows;
    const byTs = new Map(rows.map((r) => [r.ts, r.value]));
    const s = newSeasonal(o.seasonal);
    const file = new Scores();
    const t0 = rows[0]!.ts;
    for (const r of rows) {
      observeSeasonal(s, r.ts, r.value, o.seasonal);
      const pts = forecastModel(s, { min: -Infinity, max: Infinity }, o);
      if (r.ts - t0 < DAY) continue;
      for (const p of pts) {
        const target = byTs.get(p.at);
        const naive = byTs.get(p.at - DAY);
        if (target === undefined || naive === undefined) continue;
        file.add(p.horizonMin, target, p.value, naive, r.value);
        all.add(p.horizonMin, target, p.value, naive, r.value);
      }
    }
    const cells = horizons.map((h) => {
      const x = file.rows.get(h);
      if (!x) return 'n/a'.padStart(10);
      const ratio = x.mine / x.naive;
      ratios.set(h, [...(ratios.get(h) ?? []), ratio]);
      return ratio.toFixed(3).padStart(10);
    });
    log(` ${name.padEnd(44)}${cells.join('')}`);
  }
  const geo: Record<string, number> = {};
  for (const [h, rs] of ratios) geo[String(h)] = Math.round(Math.exp(rs.reduce((acc, r) => acc + Math.log(r), 0) / rs.length) * 1000) / 1000;
  log(` geometric mean of per-file ratios: ${Object.entries(geo).map(([h, r]) => `${h} min ${r}`).join(', ')}`);
  all.table('NAB realKnownCause — pooled MAE (mixed units; the per-file ratios above are the fair view)');
  return geo;
}

const city = benchCity(Number(a.days));
const nab = benchNab(a.data);
log(`\n${city.us.toFixed(2)} µs per reading (model update + a forecast every 5 readings)`);
log(JSON.stringify({
  bench: 'forecast',
  days: Number(a.days),
  city_traffic_flow_ratio: city.flow,
  city_traffic_speed_ratio: city.speed,
  city_water_ratio: city.water,
  city_water_storm_ratio: city.waterWet,
  nab_realKnownCause_ratio: nab,
  baseline: 'seasonal-naive (one day earlier)',
  us_per_reading: Math.round(city.us * 100) / 100,
}));
