/**
 * The telemetry API through a whole in-process CityOps (registry, auth, org
 * tree) on SQLite and on the local PostgreSQL: ingest JSON and NDJSON, then
 * read raw readings, rollups, area aggregates and latest values back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAvailable, TEST_PG_URL } from '../../../platform/testing/services.js';
import type { Area } from '../../../platform/geo/index.js';
import { startTestCity, type TestCity } from '../../../../test/helpers/city.js';

const square = (x0: number, y0: number, x1: number, y1: number): Area => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`telemetry API on ${dialect}`, () => {
    let city: TestCity;
    let key: string;
    let auth: Record<string, string>;
    let now: number;

    beforeAll(async () => {
      city = await startTestCity({ postgres: dialect === 'postgres' });
      await city.start();
      now = city.clock.now();
      await city.services.auth.upsertOrgUnits([
        { id: 'tc', parentId: null, level: 'city', code: 'TC', nameZh: '测试城', nameEn: 'Test City', boundary: square(1.0, 42.0, 2.0, 43.0) },
        { id: 'tc-west', parentId: 'tc', level: 'district', code: 'W', nameZh: '西区', nameEn: 'West', boundary: square(1.0, 42.0, 1.5, 43.0) },
      ]);
      await city.services.sensing.upsertSensors([
        { id: 'w-1', name: 'West gauge', class: 'water_level', location: { type: 'Point', coordinates: [1.2, 42.5] } },
        { id: 'e-1', name: 'East gauge', class: 'water_level', location: { type: 'Point', coordinates: [1.7, 42.5] } },
        { id: 'e-rain', name: 'East rain', class: 'rainfall', location: { type: 'Point', coordinates: [1.8, 42.5] } },
      ], 'test');
      key = (await city.services.auth.createApiKey({ name: 'gauges', roles: ['device'] }, 'test')).key;
      await city.services.auth.createUser({ username: 'duty', password: 'duty-password-1', roles: ['dispatcher'] }, 'test');
      const login = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'duty', password: 'duty-password-1' } });
      auth = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
    });
    afterAll(async () => {
      await city?.destroy();
    });

    const iso = (ms: number) => new Date(ms).toISOString();
    const get = async <T>(url: string): Promise<T> => {
      const res = await city.app.inject({ method: 'GET', url, headers: auth });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as T;
    };

    it('ingests JSON and NDJSON and reads raw readings and rollups back', async () => {
      const t0 = now - 60 * 60_000;
      const json = Array.from({ length: 30 }, (_, i) => ({ sensor: 'w-1', ts: iso(t0 + i * 60_000), value: i }));
      const res = await city.app.inject({ method: 'POST', url: '/api/v1/readings', headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: json });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ accepted: 30, duplicates: 0, rejected: [] });
      const nd = [{ sensor: 'e-1', ts: iso(t0 + 30_000), value: 4 }, { sensor: 'e-1', ts: t0 + 90_000, value: 8 }, { sensor: 'e-rain', ts: iso(now - 1000), value: 12 }];
      const res2 = await city.app.inject({ method: 'POST', url: '/api/v1/readings', headers: { 'x-api-key': key, 'content-type': 'application/x-ndjson' }, payload: nd.map((r) => JSON.stringify(r)).join('\n') });
      expect(res2.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });

      const raw = await get<{ step: string; points: Array<{ ts: string; value: number }>; truncated: boolean }>(`/api/v1/readings?sensor=w-1&from=${iso(t0)}&to=${iso(now)}&step=raw&limit=10`);
      expect(raw.step).toBe('raw');
      expect(raw.truncated).toBe(true);
      expect(raw.points[0]).toEqual({ ts: iso(t0), value: 0 });
      expect(raw.points).toHaveLength(10);
      const auto = await get<{ step: string; points: unknown[] }>(`/api/v1/readings?sensor=w-1&from=${iso(t0)}&to=${iso(now)}`);
      expect(auto).toMatchObject({ step: 'raw' });
      expect(auto.points).toHaveLength(30);
      const hours = await get<{ step: string; points: Array<{ ts: string; count: number; avg: number; min: number; max: number }> }>(`/api/v1/readings?sensor=w-1&from=${iso(t0)}&to=${iso(now)}&step=1h`);
      expect(hours.points.reduce((n, p) => n + p.count, 0)).toBe(30);
      expect(Math.min(...hours.points.map((p) => p.min))).toBe(0);
      expect(Math.max(...hours.points.map((p) => p.max))).toBe(29);
    });

    it('aggregates a class by area and serves the latest values', async () => {
      const t0 = now - 60 * 60_000;
      const west = await get<{ sensors: number; buckets: Array<{ count: number }> }>(`/api/v1/readings/aggregate?class=water_level&area=tc-west&from=${iso(t0)}&to=${iso(now)}&step=1h`);
      expect(west.sensors).toBe(1);
      expect(west.buckets.reduce((n, b) => n + b.count, 0)).toBe(30);
      const all = await get<{ sensors: number; buckets: Array<{ ts: string; count: number; min: number; max: number }> }>(`/api/v1/readings/aggregate?class=water_level&from=${iso(t0)}&to=${iso(now)}&step=1m`);
      expect(all.sensors).toBe(2);
      expect(all.buckets[0]).toEqual({ ts: iso(t0), count: 2, min: 0, max: 4, avg: 2 });

      const latest = await get<{ count: number; items: Array<{ sensor: string; value: number | null; ts: string | null; lon: number }> }>('/api/v1/latest?class=water_level');
      expect(latest.count).toBe(2);
      expect(latest.items.find((i) => i.sensor === 'w-1')).toMatchObject({ value: 29, ts: iso(t0 + 29 * 60_000), lon: 1.2 });
      const inWest = await get<{ items: Array<{ sensor: string }> }>('/api/v1/latest?area=tc-west');
      expect(inWest.items.map((i) => i.sensor)).toEqual(['w-1']);
      const box = await get<{ items: Array<{ sensor: string }> }>('/api/v1/latest?bbox=1.75,42,2,43');
      expect(box.items).toEqual([expect.objectContaining({ sensor: 'e-rain', value: 12 })]);
    });
  });
}
