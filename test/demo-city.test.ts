/**
 * The demo city end to end on the real Andorra map: build it (and build it
 * again, fast), sign in as every demo role, let the simulator tick on a manual
 * clock, inject a rainstorm through the API and watch the water rise in the
 * stored readings.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OSM_FILE } from '../src/config.js';
import { ROLES } from '../src/platform/auth/roles.js';
import type { ManualClock } from '../src/platform/clock.js';
import { SENSOR_CLASSES } from '../src/modules/sensing/types.js';
import type { DemoCityReport } from '../src/sim/index.js';
import { startTestCity, type TestCity } from './helpers/city.js';

const run = promisify(execFile);
/** Run the `cityops` command; resolves with its exit code and output. */
async function cityops(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, ['bin/cityops.js', ...args], { timeout: 30_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('the demo city', () => {
  let city: TestCity;
  let report: DemoCityReport;
  const tokens = new Map<string, string>();
  const clock = () => city.clock as ManualClock;

  const login = async (username: string, password: string) => {
    const r = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    return { status: r.statusCode, token: (r.json() as { token?: string }).token };
  };
  /** Latest value of every sensor of a class, from GET /api/v1/latest. */
  const latest = async (cls: string): Promise<Map<string, number | null>> => {
    const r = await api('GET', `/api/v1/latest?class=${cls}`, 'admin');
    expect(r.statusCode, r.body).toBe(200);
    return new Map((r.json() as { items: Array<{ sensor: string; value: number | null }> }).items.map((i) => [i.sensor, i.value]));
  };
  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, as: string, payload?: unknown) =>
    city.app.inject({ method, url, headers: { authorization: `Bearer ${tokens.get(as)}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });

  beforeAll(async () => {
    city = await startTestCity({ config: { demo: true, osmFile: DEFAULT_OSM_FILE, simRate: 1 } });
    await city.start();
    report = await city.services.sim.buildDemoCity();
    for (const l of report.logins) {
      const r = await login(l.username, l.password);
      if (r.token) tokens.set(l.role === 'handler' ? l.username : l.role, r.token);
    }
  }, 60_000);

  afterAll(async () => {
    await city?.destroy();
  });

  it('builds districts, streets, grids and at least 2,000 sensors of all 12 classes', async () => {
    expect(report.districts).toBeGreaterThanOrEqual(2);
    expect(report.streets).toBeGreaterThan(report.districts);
    expect(report.grids).toBeGreaterThan(report.streets);
    expect(report.sensors).toBeGreaterThanOrEqual(2000);
    for (const c of SENSOR_CLASSES) expect(report.sensorsByClass[c], c).toBeGreaterThan(0);
    const demo = [...city.services.sensing.directory.all()].filter((s) => s.id.startsWith('s-'));
    expect(demo.length).toBe(report.sensors);
    expect(new Set(demo.map((s) => s.class)).size).toBe(12);
    // located in the org tree derived from the same map, with rain gauges in every district
    expect(demo.filter((s) => s.orgPath).length / demo.length).toBeGreaterThan(0.95);
    for (const d of await city.services.auth.list({ level: 'district' })) {
      expect(demo.some((s) => s.class === 'rainfall' && s.orgPath?.includes(`/${d.id}/`)), d.id).toBe(true);
    }
  });

  it('creates a demo user for every role, and each can sign in', async () => {
    expect(new Set(report.logins.map((l) => l.role))).toEqual(new Set(ROLES));
    expect(report.logins.find((l) => l.username === 'handler.swj')?.password).toBe('demo-handler-2026');
    for (const l of report.logins) expect((await login(l.username, l.password)).status, l.username).toBe(200);
    expect((await login('admin', 'wrong-password')).status).toBe(401);
    const grid = await city.services.auth.findUser('gridworker');
    expect((await city.services.auth.get(grid!.orgUnitId!))?.level).toBe('grid');
    expect((await city.services.auth.findUser('handler.swj'))?.department).toBe('SWJ');
  });

  it('reuses what exists on a second build', async () => {
    const again = await city.services.sim.buildDemoCity();
    expect(again.sensorsCreated).toBe(0);
    expect(again.sensors).toBe(report.sensors);
    expect(again.grids).toBe(report.grids);
    expect(again.buildMs).toBeLessThan(report.buildMs);
  });

  it('streams a reading per sensor per second through ingestion', async () => {
    clock().advance(1000);
    const r = await city.services.sim.tick();
    expect(r.skipped).toBe(false);
    expect(r.rejected).toBe(0);
    expect(r.accepted).toBeGreaterThanOrEqual(report.sensors * 0.99);
    clock().advance(1000);
    expect((await city.services.sim.tick()).accepted).toBeGreaterThanOrEqual(report.sensors * 0.99);
    const flows = await latest('traffic');
    expect([...flows.values()].filter((v) => v !== null).length).toBe(report.sensorsByClass.traffic);
    const series = await api('GET', '/api/v1/readings?sensor=s-traffic-000001-flow&step=raw', 'admin');
    expect(series.statusCode, series.body).toBe(200);
    expect((series.json() as { points: unknown[] }).points.length).toBe(2);
    expect(city.services.sim.status()).toMatchObject({ loaded: true, sensors: report.sensors });
  });

  it('answers bad incident requests with 400s and checks who may inject', async () => {
    const unknown = await api('POST', '/api/v1/sim/incidents', 'admin', { kind: 'earthquake' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('SIM_UNKNOWN_KIND');
    expect(unknown.json().error.message).toContain('rainstorm, congestion, pipe_burst, fire, sos');
    expect((await api('POST', '/api/v1/sim/incidents', 'admin', { kind: 'fire', at: [2.35, 48.85] })).json().error.code).toBe('SIM_OUTSIDE_CITY');
    expect((await api('POST', '/api/v1/sim/incidents', 'admin', { kind: 'fire', at: [500, 42] })).json().error.code).toBe('BAD_COORDINATES');
    expect((await api('POST', '/api/v1/sim/incidents', 'admin', { kind: 'fire', intensity: 99 })).json().error.code).toBe('SIM_BAD_PARAMETER');
    expect((await api('POST', '/api/v1/sim/incidents', 'admin', { kind: 'rainstorm', area: 'no-such-unit' })).statusCode).toBe(404);
    expect((await api('POST', '/api/v1/sim/incidents', 'citizen', { kind: 'fire' })).statusCode).toBe(403);
    expect((await api('DELETE', '/api/v1/sim/incidents/inc_nope', 'admin')).statusCode).toBe(404);
    expect((await api('POST', '/api/v1/sim/rate', 'dispatcher', { rate: 2 })).statusCode).toBe(403);
    expect((await api('POST', '/api/v1/sim/rate', 'admin', { rate: -1 })).json().error.code).toBe('SIM_BAD_RATE');
  });

  it('injects a rainstorm: rainfall rises at once, water levels follow with a lag and recede', async () => {
    const published: string[] = [];
    await city.kernel.bus.subscribe('IncidentInjected', (e) => void published.push(e.payload.kind));
    const res = await api('POST', '/api/v1/sim/incidents', 'dispatcher', { kind: 'rainstorm', durationMin: 60, intensity: 1.5 });
    expect(res.statusCode, res.body).toBe(201);
    const inc = res.json() as { id: string; sensorIds: string[]; timeScale: number };
    expect(published).toEqual(['rainstorm']);
    const gauges = inc.sensorIds.filter((id) => id.startsWith('s-water-'));
    const rain = inc.sensorIds.filter((id) => id.startsWith('s-rain-'));
    expect(gauges.length).toBeGreaterThan(3);
    expect(rain.length).toBeGreaterThan(1);
    expect((await api('GET', '/api/v1/sim/incidents', 'dispatcher')).json().items.map((i: { id: string }) => i.id)).toEqual([inc.id]);

    const latestOf = async (id: string): Promise<number> => (await latest(id.startsWith('s-rain-') ? 'rainfall' : 'water_level')).get(id)!;
    const meanLevel = async () => {
      const levels = await latest('water_level');
      return gauges.reduce((sum, id) => sum + levels.get(id)!, 0) / gauges.length;
    };
    // one simulated minute = 2 s of clock at the default time scale of 30
    const step = async (simMin: number) => {
      clock().advance((simMin * 60_000) / inc.timeScale);
      const r = await city.services.sim.tick();
      expect(r.rejected).toBe(0);
    };

    await step(0.5);
    const before = await meanLevel();
    await step(10);
    expect(await latestOf(rain[0]!)).toBeGreaterThan(20);
    const early = await meanLevel();
    expect(early - before).toBeLessThan(0.3);
    for (let m = 0; m < 55; m += 5) await step(5);
    const peak = await meanLevel();
    expect(peak - before).toBeGreaterThan(1.0);
    for (let m = 0; m < 150; m += 10) await step(10);
    const after = await meanLevel();
    expect(after - before).toBeLessThan(0.2 * (peak - before));
    expect(await latestOf(rain[0]!)).toBeLessThan(5);
    await step(10); // 60 + 160 simulated minutes after the start, the storm is over
    expect((await api('GET', '/api/v1/sim/incidents', 'dispatcher')).json().items).toEqual([]);
    // the stored history shows the rise and fall too
    const stored = await api('GET', `/api/v1/readings?sensor=${gauges[0]}&step=raw`, 'admin');
    const values = (stored.json() as { points: Array<{ value: number }> }).points.map((p) => p.value);
    expect(Math.max(...values) - values[values.length - 1]!).toBeGreaterThan(0.8);
  });

  it('injects and stops other incidents through the API', async () => {
    for (const kind of ['congestion', 'pipe_burst', 'fire', 'sos']) {
      const r = await api('POST', '/api/v1/sim/incidents', 'admin', { kind });
      expect(r.statusCode, `${kind}: ${r.body}`).toBe(201);
      expect(r.json().sensorIds.length).toBeGreaterThan(0);
    }
    clock().advance(10_000); // five simulated minutes
    await city.services.sim.tick();
    const items = (await api('GET', '/api/v1/sim/incidents', 'admin')).json().items as Array<{ id: string; kind: string; sensorIds: string[] }>;
    expect(items.map((i) => i.kind).sort()).toEqual(['congestion', 'fire', 'pipe_burst', 'sos']);
    const sos = items.find((i) => i.kind === 'sos')!;
    expect((await latest('sos')).get(sos.sensorIds[0]!)).toBe(1);
    // a storm over one district rains on that district's gauges only
    const district = (await city.services.auth.list({ level: 'district' }))[0]!;
    const storm = await api('POST', '/api/v1/sim/incidents', 'dispatcher', { kind: 'rainstorm', area: district.id });
    expect(storm.statusCode, storm.body).toBe(201);
    const hit = storm.json().sensorIds as string[];
    expect(hit.length).toBeGreaterThan(0);
    for (const id of hit) expect(city.services.sensing.directory.byId(id)!.orgPath).toContain(`/${district.id}/`);
    items.push(storm.json());
    for (const i of items) expect((await api('DELETE', `/api/v1/sim/incidents/${i.id}`, 'admin')).statusCode).toBe(200);
    expect((await api('GET', '/api/v1/sim/incidents', 'admin')).json().items).toEqual([]);
    const status = await api('GET', '/api/v1/sim/status', 'dispatcher');
    expect(status.json()).toMatchObject({ loaded: true, activeIncidents: 0 });
  });

  it('injects, lists and stops incidents from the command line', async () => {
    const url = await city.listen();
    const injected = await cityops('sim', 'incident', 'fire', '--at', '1.5212,42.5069', '--duration', '15', '--url', url);
    expect(injected.code, injected.out).toBe(0);
    const id = /injected (inc_\S+)\s+fire/.exec(injected.out)?.[1];
    expect(id, injected.out).toBeDefined();
    const listed = await cityops('sim', 'list', '--url', url, '--user', 'dispatcher', '--password', 'demo-dispatcher-2026');
    expect(listed.out).toContain(id);
    const wrong = await cityops('sim', 'incident', 'earthquake', '--url', url);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('SIM_UNKNOWN_KIND');
    expect(wrong.out).toContain('rainstorm, congestion, pipe_burst, fire, sos');
    expect((await cityops('sim', 'stop', id!, '--url', url)).out).toContain(`stopped ${id}`);
  }, 60_000);
});
