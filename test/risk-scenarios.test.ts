/**
 * The demo city's incidents end to end (issue 4 "Scenarios"): inject each
 * incident the simulator knows (rainstorm, congestion, pipe burst, fire,
 * wearable SOS), let the simulator run on the manual clock, and check that
 * the default rules raise the right alarm on the affected sensors within a
 * bounded number of simulated seconds, and that the critical ones opened an
 * urgent city event of the right category through the events module.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OSM_FILE } from '../src/config.js';
import type { Bus } from '../src/platform/bus/types.js';
import type { ManualClock } from '../src/platform/clock.js';
import type { Principal } from '../src/platform/auth/roles.js';
import type { Alarm, Severity } from '../src/modules/risk/types.js';
import { severityRank } from '../src/modules/risk/alarms/lifecycle.logic.js';
import type { SensorClass } from '../src/modules/sensing/types.js';
import { startTestCity, type TestCity } from './helpers/city.js';

interface Injected { id: string; kind: string; sensorIds: string[]; timeScale: number }
interface Expect { kind: string; body?: Record<string, unknown>; sensorClass: SensorClass; severity: Severity; category: string | null; withinS: number }

/** What each incident must raise, and how soon (clock seconds); category: the city event a critical/major alarm opens. */
const SCENARIOS: Expect[] = [
  { kind: 'fire', sensorClass: 'smoke', severity: 'critical', category: 'FIRE_HAZARD', withinS: 5 },
  { kind: 'sos', sensorClass: 'sos', severity: 'critical', category: 'ELDERLY_CARE', withinS: 5 },
  { kind: 'pipe_burst', sensorClass: 'pipe', severity: 'critical', category: 'WATER_SUPPLY', withinS: 10 },
  { kind: 'congestion', sensorClass: 'traffic', severity: 'major', category: 'CONGESTION', withinS: 60 },
  { kind: 'rainstorm', body: { durationMin: 60, intensity: 1.5 }, sensorClass: 'rainfall', severity: 'minor', category: null, withinS: 10 },
];

describe('risk scenarios in the demo city', () => {
  let city: TestCity;
  let admin: Principal;
  let token = '';
  const clock = () => city.clock as ManualClock;
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await (city.kernel.bus as Bus & { drain(): Promise<void> }).drain();
      await city.services.risk.alarms.flush();
    }
  };
  /** Advance the clock one step, let the simulator send that step's readings, let everything downstream settle. */
  const step = async (ms: number) => {
    clock().advance(ms);
    const r = await city.services.sim.tick();
    expect(r.rejected).toBe(0);
    await settle();
  };
  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    city.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });

  /** Active alarms of the incident's sensors raised since it began (not left over from an earlier incident). */
  const matching = (inc: Injected, e: Pick<Expect, 'sensorClass' | 'severity'>): Alarm[] => {
    const hit = new Set(inc.sensorIds);
    const since = startedAt.get(inc.id) ?? 0;
    return city.services.risk.alarms.active().filter((a) => hit.has(a.sourceId) && a.raisedAt >= since && a.sensorClass === e.sensorClass && severityRank(a.severity) >= severityRank(e.severity));
  };
  const startedAt = new Map<string, number>();

  /** Step one second at a time until the alarm is up; answers the simulated seconds it took (or null). */
  const until = async (inc: Injected, e: Pick<Expect, 'sensorClass' | 'severity'>, maxS: number, stepMs = 1000): Promise<number | null> => {
    for (let t = stepMs; t <= maxS * 1000; t += stepMs) {
      await step(stepMs);
      if (matching(inc, e).length) return t / 1000;
    }
    return null;
  };

  /**
   * A random place for a jam (seeded, so a failure can be replayed): near a random traffic station of the
   * city, anywhere — fast or slow road, centre or edge. The congestion rule is relative to each sensor's
   * usual speed, so wherever the jam lands it must raise its alarm.
   */
  const jamSite = (seed: number): [number, number] => {
    let x = seed * 2654435761 % 4294967296;
    const rnd = () => ((x = (x * 1664525 + 1013904223) % 4294967296) / 4294967296);
    const stations = [...city.services.sensing.directory.all()].filter((r) => r.class === 'traffic' && r.metric === 'flow').sort((a, b) => a.id.localeCompare(b.id));
    const s = stations[Math.floor(rnd() * stations.length)]!;
    // up to ~500 m off the station: the simulator jams the nearest station within 1.5 km
    return [s.lon + (rnd() - 0.5) * 0.012, s.lat + (rnd() - 0.5) * 0.009];
  };

  beforeAll(async () => {
    city = await startTestCity({ config: { demo: true, osmFile: DEFAULT_OSM_FILE, simRate: 1 } });
    await city.start();
    const report = await city.services.sim.buildDemoCity();
    const login = report.logins.find((l) => l.role === 'admin')!;
    const r = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: login.username, password: login.password } });
    token = (r.json() as { token: string }).token;
    const user = await city.services.auth.findUser(login.username);
    admin = { kind: 'user', id: user!.id, name: 'admin', roles: ['admin'] };
    // a calm minute first, so the rules and detectors have seen the city as it normally is
    for (let i = 0; i < 10; i++) await step(1000);
  }, 120_000);

  afterAll(async () => {
    await city?.destroy();
  });

  it('is calm before any incident: no critical alarm', () => {
    expect(city.services.risk.alarms.active().filter((a) => a.severity === 'critical').map((a) => `${a.ruleId} ${a.sourceId} ${a.messageEn}`)).toEqual([]);
  });

  it.each(SCENARIOS.map((s) => [s.kind, s] as const))('%s raises the right alarm within seconds and opens its city event', async (_k, e) => {
    const res = await api('POST', '/api/v1/sim/incidents', { kind: e.kind, ...(e.kind === 'congestion' ? { at: jamSite(1) } : {}), ...(e.body ?? {}) });
    expect(res.statusCode, res.body).toBe(201);
    const inc = res.json() as Injected;
    startedAt.set(inc.id, clock().now());
    const took = await until(inc, e, e.withinS);
    expect(took, `${e.kind}: no ${e.severity} ${e.sensorClass} alarm on the ${inc.sensorIds.length} affected sensors within ${e.withinS} s`).not.toBeNull();
    const alarms = matching(inc, e);
    expect(alarms.every((a) => a.state === 'active_unack' && a.source === 'rule')).toBe(true);
    if (e.category) {
      // The event is opened over the bus (request → events module → opened → alarm), after the alarm: let that chain finish.
      const withEvents = async () => {
        await settle();
        return matching(inc, e).filter((a) => a.eventId !== null).length;
      };
      await expect.poll(withEvents, { timeout: 15_000, interval: 50, message: `${e.kind}: no city event opened for ${alarms.map((a) => a.id).join(', ')}` }).toBeGreaterThan(0);
      const withEvent = matching(inc, e).filter((a) => a.eventId !== null);
      const ev = (await city.services.events.get(withEvent[0]!.eventId!, admin)).event;
      expect(ev).toMatchObject({ channel: 'alarm', urgent: true, category: e.category });
      // one event per alarm, even though the alarm kept repeating
      const fromAlarms = (await city.services.events.list({ state: 'received', limit: 500, offset: 0 }, admin)).items.filter((x) => x.channel === 'alarm' && x.category === e.category);
      expect(fromAlarms.length).toBeLessThanOrEqual(alarms.length);
    }
    if (e.kind === 'rainstorm') {
      // the water follows the rain: a water-level alarm (and its WATERLOGGING event) while the storm goes on
      const water = await until(inc, { sensorClass: 'water_level', severity: 'major' }, 120, 2000);
      expect(water, 'rainstorm: no major water-level alarm within 60 simulated minutes').not.toBeNull();
      const floodedNow = () => matching(inc, { sensorClass: 'water_level', severity: 'major' }).filter((a) => a.eventId !== null);
      await expect.poll(async () => (await settle(), floodedNow().length), { timeout: 15_000, interval: 50 }).toBeGreaterThan(0);
      const flooded = floodedNow();
      expect((await city.services.events.get(flooded[0]!.eventId!, admin)).event.category).toBe('WATERLOGGING');
    }
    expect((await api('DELETE', `/api/v1/sim/incidents/${inc.id}`)).statusCode).toBe(200);
  }, 180_000);

  it('shows the incidents on the risk map', async () => {
    const r = await api('GET', '/api/v1/risk/map?level=district');
    expect(r.statusCode).toBe(200);
    const areas = (r.json() as { areas: Array<{ value: number; reasons: Array<{ kind: string }> }> }).areas;
    expect(areas.length).toBeGreaterThan(0);
    expect(areas[0]!.value).toBeGreaterThan(0.5);
    expect(areas[0]!.reasons.some((x) => x.kind === 'alarm')).toBe(true);
  });

  it.each([2, 3, 4, 5])('a jam at a random place (seed %i) always raises its congestion alarm, which clears once traffic flows', async (seed) => {
    const at = jamSite(seed);
    const res = await api('POST', '/api/v1/sim/incidents', { kind: 'congestion', at });
    expect(res.statusCode, res.body).toBe(201);
    const inc = res.json() as Injected;
    startedAt.set(inc.id, clock().now());
    const e = { sensorClass: 'traffic' as const, severity: 'major' as const };
    const took = await until(inc, e, 60);
    expect(took, `seed ${seed}: no congestion alarm for the jam at ${at.join(',')} on its ${inc.sensorIds.length} sensors within 60 s`).not.toBeNull();
    const raised = matching(inc, e);
    expect((await api('DELETE', `/api/v1/sim/incidents/${inc.id}`)).statusCode).toBe(200);
    // the jam dissolves (10 simulated minutes, 20 s here): speed back above 70 % of usual clears the alarms
    const ids = new Set(raised.map((a) => a.id));
    for (let t = 0; t < 60 && city.services.risk.alarms.active().some((a) => ids.has(a.id)); t++) await step(1000);
    expect(city.services.risk.alarms.active().filter((a) => ids.has(a.id)).map((a) => a.sourceId)).toEqual([]);
  }, 180_000);
});
