/**
 * Done-when of issue 4 (R2 forecasts): in the demo city an injected
 * rainstorm raises a water-level warning FROM THE FORECAST before the reading
 * crosses the threshold. The forecaster learns the rain → level response from
 * the stream (a first storm), then warns of the second one ahead of time;
 * the warning reaches the alarm service (AlarmRaised with a forecast rule) and
 * the forecast routes; the learned models survive a real restart (a new
 * city on the same data dir carries on from the checkpoint, no relearning).
 *
 * Time: each simulator step sends one second of readings from 2,480 sensors
 * through ingest, the rules, the detectors and the forecasters, so the storms
 * are played in steps of several minutes where only learning happens, and in
 * 2-minute steps where the warning's lead over the crossing is measured.
 * A step of N minutes is, to the risk engine, N minutes in which no sensor
 * sent anything: the missing-data rules (3 reporting intervals) would raise an
 * alarm for up to every sensor whenever their wall-clock sweep ran between the
 * clock's jump and the step's readings, and clear them all on those readings —
 * thousands of alarm writes a step, by timer luck. This scenario is about
 * forecasts, so the operator switches the silence rules off first.
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OSM_FILE } from '../src/config.js';
import type { ManualClock } from '../src/platform/clock.js';
import { startTestCity, type TestCity } from './helpers/city.js';

const MIN = 60_000;

describe('forecast warnings in the demo city', () => {
  let city: TestCity;
  let admin: string;
  let adminUser = '';
  let adminPassword = '';
  const clock = () => city.clock as ManualClock;
  /** First reading above its warning level, per water gauge (clock ms). */
  const crossedAt = new Map<string, number>();
  /** First forecast alarm raised, per water gauge (clock ms). */
  const forecastRaisedAt = new Map<string, number>();
  const warnLevel = new Map<string, number>();
  let watching = false;

  const drain = async () => (city.kernel.bus as { drain?: () => Promise<void> }).drain?.();
  const step = async (ms: number) => {
    clock().advance(ms);
    const r = await city.services.sim.tick();
    expect(r.rejected).toBe(0);
    await drain();
  };
  const login = async () => {
    const res = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: adminUser, password: adminPassword } });
    return res.json().token as string;
  };
  const api = (url: string, token = admin) => city.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    city = await startTestCity({ config: { demo: true, osmFile: DEFAULT_OSM_FILE, simRate: 1 } });
    await city.start();
    const report = await city.services.sim.buildDemoCity();
    const user = report.logins.find((l) => l.role === 'admin')!;
    [adminUser, adminPassword] = [user.username, user.password];
    admin = await login();
    // The jumps of the clock are not silent sensors (see the header): the silence rules are off, as an operator would switch them.
    const rules = (await api('/api/v1/rules')).json().items as Array<Record<string, unknown> & { id: string; version: number; condition: { type: string } }>;
    const silence = rules.filter((r) => r.condition.type === 'missing');
    expect(silence.length).toBeGreaterThan(0);
    for (const r of silence) {
      const { name, messageZh, messageEn, scope, condition, severity, openEvent, version } = r;
      const res = await city.app.inject({
        method: 'PUT', url: `/api/v1/rules/${r.id}`, headers: { authorization: `Bearer ${admin}` },
        payload: { name, messageZh, messageEn, scope, condition, severity, openEvent, enabled: false, version },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    // Incidents in real time (one simulated minute per clock minute): the forecaster works on clock time, as it would on a real city.
    city.services.sim.setRate({ timeScale: 1 });
    await city.kernel.bus.subscribe('ReadingsIngested', (e) => {
      if (!watching) return;
      const p = e.payload;
      for (let i = 0; i < p.sensorIds.length; i++) {
        const w = warnLevel.get(p.sensorIds[i]!);
        if (w !== undefined && p.values[i]! > w && !crossedAt.has(p.sensorIds[i]!)) crossedAt.set(p.sensorIds[i]!, city.clock.now());
      }
    });
    await city.kernel.bus.subscribe('AlarmRaised', (e) => {
      if (watching && e.payload.ruleId.startsWith('forecast:') && !forecastRaisedAt.has(e.payload.sourceId)) forecastRaisedAt.set(e.payload.sourceId, city.clock.now());
    });
  }, 120_000);

  /** The first city's data dir: the restarted city uses it but cleans up only its own. */
  let firstDir = '';
  afterAll(async () => {
    await city?.destroy();
    if (firstDir) fs.rmSync(firstDir, { recursive: true, force: true });
  });

  it('forecasts traffic 15/30/45 minutes ahead with intervals', async () => {
    for (let m = 0; m < 3; m++) await step(MIN);
    const r = await api('/api/v1/forecasts/s-traffic-000001-flow');
    expect(r.statusCode, r.body).toBe(200);
    const f = r.json() as { sensorClass: string; madeAt: string; points: Array<{ horizonMin: number; value: number; lower: number; upper: number; at: string }> };
    expect(f.sensorClass).toBe('traffic');
    expect(f.points.map((p) => p.horizonMin)).toEqual([15, 30, 45]);
    for (const p of f.points) {
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.upper).toBeGreaterThanOrEqual(p.value);
      expect(Date.parse(p.at)).toBeGreaterThan(Date.parse(f.madeAt) - MIN);
    }
    expect((await api('/api/v1/forecasts/s-rain-000001')).json().error.code).toBe('FORECAST_NOT_SUPPORTED');
    expect((await api('/api/v1/forecasts/no-such-sensor')).statusCode).toBe(404);
  }, 120_000);

  it('learns a first rainstorm, then warns of the second before any gauge crosses its warning level', async () => {
    // First storm: the forecaster has never seen rain; it learns how these gauges answer it.
    const first = await city.services.sim.inject({ kind: 'rainstorm', durationMin: 60, intensity: 1.5 });
    expect(first.timeScale).toBe(1);
    for (let m = 0; m < 240; m += 6) await step(6 * MIN);
    expect(await city.services.sim.incidents()).toEqual([]);

    const storm = await city.services.sim.inject({ kind: 'rainstorm', durationMin: 60, intensity: 1.5 });
    expect(storm.affected.length).toBeGreaterThan(0);
    const ids = (await api(`/api/v1/sim/incidents`)).json().items[0].sensorIds as string[];
    for (const id of ids.filter((x) => x.startsWith('s-water-'))) {
      const s = (await api(`/api/v1/sensors/${id}`)).json() as { thresholds: { warn?: number } | null };
      if (s.thresholds?.warn !== undefined) warnLevel.set(id, s.thresholds.warn);
    }
    expect(warnLevel.size).toBeGreaterThan(3);
    watching = true;
    let sawWarningRoute = false;
    for (let m = 0; m < 90; m += 2) {
      await step(2 * MIN);
      if (!sawWarningRoute && forecastRaisedAt.size > 0) {
        const w = await api('/api/v1/forecasts/warnings');
        expect(w.statusCode).toBe(200);
        const items = w.json().items as Array<{ sensorId: string; expectedAt: string; ruleId: string; severity: string }>;
        const mine = items.find((i) => forecastRaisedAt.has(i.sensorId));
        expect(mine, w.body).toBeDefined();
        expect(mine!.severity).toBe('warning');
        expect(Date.parse(mine!.expectedAt)).toBeGreaterThanOrEqual(city.clock.now() - MIN);
        sawWarningRoute = true;
      }
    }
    watching = false;

    const crossed = [...crossedAt.keys()];
    expect(crossed.length, 'some gauges rise above their warning level').toBeGreaterThan(0);
    const early = crossed.filter((id) => (forecastRaisedAt.get(id) ?? Infinity) < crossedAt.get(id)!);
    const lead = early.map((id) => (crossedAt.get(id)! - forecastRaisedAt.get(id)!) / MIN);
    // Every gauge that crossed was forewarned by its forecast, minutes before the reading crossed.
    expect(early.length, `forewarned ${early.length} of ${crossed.length}; lead minutes ${lead.join(', ')}`).toBe(crossed.length);
    expect(Math.min(...lead)).toBeGreaterThanOrEqual(2);
    expect(sawWarningRoute).toBe(true);

    // The forecast of a warned gauge shows the rise, with its interval, hours ahead.
    const f = (await api(`/api/v1/forecasts/${early[0]}`)).json() as { points: Array<{ horizonMin: number; lower: number; upper: number }> };
    expect(f.points.map((p) => p.horizonMin)).toEqual([15, 30, 60, 120, 180]);
  }, 600_000);

  it('clears the warnings once the water recedes; after a restart the forecasts carry on without relearning', async () => {
    for (let m = 0; m < 200; m += 20) await step(20 * MIN);
    await step(MIN);
    expect(city.services.risk.forecast.warnings().filter((w) => w.sensorClass === 'water_level')).toEqual([]);
    const gauge = [...crossedAt.keys()][0]!;
    const stateOf = async (c: TestCity) => {
      const rows = await sql<{ state: string }>`SELECT state FROM risk_forecast_state WHERE sensor_id = ${gauge}`.execute(c.kernel.database.db);
      return JSON.parse(rows.rows[0]!.state) as { seen: number; theta: number[] };
    };

    // A real restart: the city stops (checkpointing its models) and a new one starts on the same data dir.
    const { dataDir } = city;
    firstDir = dataDir;
    const clockNow = clock();
    await city.close();
    const before = await (async () => {
      const probe = await startTestCity({ clock: clockNow, config: { dataDir, sqlitePath: `${dataDir}/cityops.db`, demo: true, osmFile: DEFAULT_OSM_FILE, simRate: 1 } });
      city = probe;
      return stateOf(probe);
    })();
    expect(before.seen).toBeGreaterThan(50); // it has learned (a fresh model has seen nothing)
    await city.start();
    const rebuilt = await city.services.sim.buildDemoCity();
    expect(rebuilt.sensorsCreated).toBe(0);
    city.services.sim.setRate({ timeScale: 1 });
    expect(city.services.risk.forecast.stats().restoredPending).toBeGreaterThan(100);
    await step(MIN);
    // The first reading after the restart gives a forecast from the restored model, hours ahead.
    const f = await api(`/api/v1/forecasts/${gauge}`, await login());
    expect(f.statusCode, f.body).toBe(200);
    expect((f.json() as { points: Array<{ horizonMin: number }> }).points.map((p) => p.horizonMin)).toEqual([15, 30, 60, 120, 180]);
    await city.services.risk.forecast.checkpoint();
    const after = await stateOf(city);
    // It went on from what it had learned (a reading more), instead of starting afresh.
    expect(after.seen - before.seen).toBeGreaterThanOrEqual(1);
    expect(after.seen - before.seen).toBeLessThanOrEqual(2);
    expect(after.theta.length).toBe(before.theta.length);
    after.theta.forEach((x, i) => expect(Math.abs(x - before.theta[i]!)).toBeLessThanOrEqual(0.1 * Math.max(1, Math.abs(before.theta[i]!))));
  }, 300_000);
});
