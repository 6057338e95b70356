/**
 * The live stream (SPEC S4) through the real modules over a real socket:
 * who may open it (header or ?access_token), bad filters, the snapshot and
 * then changes with class, area, bbox and sensor filters applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/platform/auth/roles.js';
import type { SensorInput } from '../src/modules/sensing/types.js';
import { serviceAvailable, TEST_NATS_URL, TEST_PG_URL } from '../src/platform/testing/services.js';
import { startTestCity, type TestCity } from './helpers/city.js';
import { principalsFor } from './helpers/auth.js';
import { openSse, type LiveEvent } from './live-client.js';

const DEVICE: Principal = { kind: 'apikey', id: 'live-test', name: 'live test', roles: ['device'], autoProvision: false };
const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon' as const, coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]] as [number, number][]] });

const pg = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const nats = await serviceAvailable('NATS', TEST_NATS_URL);
const setups = [
  { name: 'SQLite, in-process bus', opts: {}, run: true },
  { name: 'PostgreSQL, NATS JetStream', opts: { postgres: true, nats: true }, run: pg && nats },
];

describe.each(setups.filter((s) => s.run))('live stream ($name)', ({ opts }) => {
  let city: TestCity;
  let base: string;
  let who: Awaited<ReturnType<typeof principalsFor>>;

  const sensor = (id: string, cls: SensorInput['class'], lon: number, lat: number): SensorInput => ({ id, name: id, class: cls, location: { type: 'Point', coordinates: [lon, lat] } });
  const ingest = (rows: Array<[string, number]>, ageS = 0) => {
    const ts = new Date(city.clock.now() - ageS * 1000).toISOString();
    return city.services.sensing.ingest(rows.map(([sensor, value]) => ({ sensor, ts, value })), DEVICE);
  };
  const ids = (e: LiveEvent) => e.rows.map((r) => r[0]).sort();

  beforeAll(async () => {
    city = await startTestCity(opts);
    await city.services.auth.upsertOrgUnits([
      { id: 'lc', parentId: null, level: 'city', code: 'LC', nameZh: '测试城', nameEn: 'Live City', boundary: square(1.0, 42.0, 2.0, 43.0) },
      { id: 'lc-west', parentId: 'lc', level: 'district', code: 'W', nameZh: '西区', nameEn: 'West', boundary: square(1.0, 42.0, 1.5, 43.0) },
      { id: 'lc-east', parentId: 'lc', level: 'district', code: 'E', nameZh: '东区', nameEn: 'East', boundary: square(1.5, 42.0, 2.0, 43.0) },
    ]);
    await city.services.sensing.upsertSensors([
      sensor('w-traffic', 'traffic', 1.2, 42.5),
      sensor('w-noise', 'noise', 1.3, 42.5),
      sensor('e-traffic', 'traffic', 1.7, 42.5),
      sensor('e-water', 'water_level', 1.8, 42.6),
      sensor('w-quiet', 'traffic', 1.25, 42.4), // never reports: not in snapshots
    ], 'test');
    who = await principalsFor(city);
    base = await city.listen();
    await ingest([['w-traffic', 10], ['w-noise', 40], ['e-traffic', 12], ['e-water', 1.5]], 60);
  });
  afterAll(async () => {
    await city?.destroy();
  });

  it('refuses callers without a token, citizens and devices', async () => {
    expect((await openSse(base, '/api/v1/live')).status).toBe(401);
    expect((await openSse(base, '/api/v1/live', who.citizen.headers)).status).toBe(403);
    expect((await openSse(base, '/api/v1/live', who.device.headers)).status).toBe(403);
    const bad = await openSse(base, '/api/v1/live?access_token=not-a-token');
    expect(bad.status).toBe(401);
  });

  it('answers bad filters with 400 and a code', async () => {
    const cases: Array<[string, string]> = [
      ['class=traffic,lava', 'BAD_CLASS'],
      ['bbox=1,2,3', 'BAD_BBOX'],
      ['sensor=w-traffic,nope', 'UNKNOWN_SENSOR'],
    ];
    for (const [q, code] of cases) {
      const c = await openSse(base, `/api/v1/live?${q}`, who.dispatcher.headers);
      expect(c.status, q).toBe(400);
      expect(JSON.parse(c.body).error.code, q).toBe(code);
    }
  });

  it('every role that watches the city may open it; a token in the query works like the header', async () => {
    for (const role of ['admin', 'dispatcher', 'handler', 'grid_worker', 'leader', 'data_officer', 'auditor'] as const) {
      const c = await openSse(base, '/api/v1/live?sensor=w-traffic', who[role].headers);
      expect(c.status, role).toBe(200);
      c.close();
    }
    const token = who.leader.headers.authorization!.replace('Bearer ', '');
    const c = await openSse(base, `/api/v1/live?class=traffic&access_token=${encodeURIComponent(token)}`);
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toMatch(/^text\/event-stream/);
    const snap = await c.waitFor((e) => e.event === 'snapshot');
    expect(ids(snap)).toEqual(['e-traffic', 'w-traffic']);
    c.close();
  });

  it('snapshot, then only matching changes (class and area filters)', async () => {
    const westTraffic = await openSse(base, '/api/v1/live?class=traffic&area=lc-west', who.dispatcher.headers);
    const east = await openSse(base, '/api/v1/live?area=lc-east', who.handler.headers);
    const boxed = await openSse(base, '/api/v1/live?bbox=1.25,42.45,1.75,42.55', who.auditor.headers);
    const picked = await openSse(base, '/api/v1/live?sensor=e-water,w-noise', who.grid_worker.headers);
    const everything = await openSse(base, '/api/v1/live', who.admin.headers);

    const snapshots = await Promise.all([westTraffic, east, boxed, picked, everything].map((c) => c.waitFor((e) => e.event === 'snapshot')));
    expect(snapshots.map(ids)).toEqual([
      ['w-traffic'],
      ['e-traffic', 'e-water'],
      ['e-traffic', 'w-noise'],
      ['e-water', 'w-noise'],
      ['e-traffic', 'e-water', 'w-noise', 'w-traffic'],
    ]);
    expect(snapshots[0]!.rows[0]).toEqual(['w-traffic', city.clock.now() - 60_000, 10]);

    await ingest([['w-traffic', 11], ['w-noise', 41], ['e-traffic', 13], ['e-water', 1.6], ['w-quiet', 1]]);
    const changes = await Promise.all([westTraffic, east, boxed, picked, everything].map((c) => c.waitFor((e) => e.event === 'reading')));
    expect(changes.map(ids)).toEqual([
      ['w-quiet', 'w-traffic'],
      ['e-traffic', 'e-water'],
      ['e-traffic', 'w-noise'],
      ['e-water', 'w-noise'],
      ['e-traffic', 'e-water', 'w-noise', 'w-quiet', 'w-traffic'],
    ]);
    expect(changes[0]!.rows).toContainEqual(['w-traffic', city.clock.now(), 11]);
    expect(westTraffic.events.some((e) => e.event === 'dropped')).toBe(false); // it keeps up: nothing missed

    const stats = await city.app.inject({ method: 'GET', url: '/api/v1/live/stats', headers: who.admin.headers });
    expect(stats.statusCode).toBe(200);
    expect(stats.json()).toMatchObject({ clients: 5, stuckDisconnects: 0 });
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/live/stats', headers: who.leader.headers })).statusCode).toBe(403);
    // ?access_token is honoured by the stream only, not by ordinary routes
    const token = who.admin.headers.authorization!.replace('Bearer ', '');
    expect((await city.app.inject({ method: 'GET', url: `/api/v1/live/stats?access_token=${token}` })).statusCode).toBe(401);
    for (const c of [westTraffic, east, boxed, picked, everything]) c.close();
  });

  it('reports MQTT ingestion as off when no broker is configured', async () => {
    const res = await city.app.inject({ method: 'GET', url: '/api/v1/ingest/mqtt/stats', headers: who.dispatcher.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ enabled: false, connected: false, received: 0 });
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/ingest/mqtt/stats', headers: who.handler.headers })).statusCode).toBe(403);
  });

  it('a stream open at shutdown is ended, not left hanging', async () => {
    const extra = await startTestCity(opts);
    const extraWho = await principalsFor(extra);
    const url = await extra.listen();
    const c = await openSse(url, '/api/v1/live', extraWho.admin.headers);
    await c.waitFor((e) => e.event === 'snapshot');
    await extra.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(c.ended).toBe(true);
  });
});
