/**
 * The store contract: one suite, run against SQLite and PostgreSQL. It drives
 * every module's store through its service — org tree, users, API keys, audit
 * chain, sensor registry, telemetry (raw, rollups, latest), road network — and
 * checks that everything survives a restart on the same store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import { createCityOps, type CityOps } from '../src/main.js';
import { ManualClock } from '../src/platform/clock.js';
import { serviceAvailable, TEST_PG_URL, uniqueName } from '../src/platform/testing/services.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);

interface StoreTarget {
  name: string;
  skip: boolean;
  open(clock: ManualClock): Promise<CityOps>;
}

function target(name: 'sqlite' | 'postgres'): StoreTarget {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-contract-'));
  const pgSchema = uniqueName('contract');
  const config: Config = {
    ...loadConfig({}, { dataDir, port: 0, logLevel: 'silent' }),
    databaseUrl: name === 'postgres' ? TEST_PG_URL : undefined,
    jwtSecret: 'contract-secret-contract-secret-0123456',
  };
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  return { name, skip: name === 'postgres' && !pgUp, open: (clock) => createCityOps(config, { clock, pgSchema: name === 'postgres' ? pgSchema : undefined }) };
}

describe.each([target('sqlite'), target('postgres')])('store contract on $name', (t) => {
  it.skipIf(t.skip)('stores, queries and keeps everything across a restart', async () => {
    const clock = new ManualClock(T0);
    let city = await t.open(clock);
    await city.start();
    const { auth, audit, sensing, roads } = city.services;

    // org tree + locate
    const square = (x0: number, y0: number, x1: number, y1: number) => ({ type: 'Polygon' as const, coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]] as [number, number][]] });
    await auth.upsertOrgUnits([
      { id: 'c1', parentId: null, level: 'city', code: 'C1', nameZh: '城', nameEn: 'City', boundary: square(1, 42, 2, 43) },
      { id: 'd1', parentId: 'c1', level: 'district', code: 'D1', nameZh: '区', nameEn: 'District', boundary: square(1, 42, 1.5, 43) },
    ]);
    expect(auth.locate([1.2, 42.5])?.id).toBe('d1');
    expect(auth.locate([1.7, 42.5])?.id).toBe('c1');

    // users and API keys
    await auth.createUser({ username: 'contract_admin', password: 'contract-pass-01', roles: ['admin'] }, 'test');
    await expect(auth.createUser({ username: 'contract_admin', password: 'contract-pass-01', roles: ['admin'] }, 'test')).rejects.toMatchObject({ status: 409 });
    const { key } = await auth.createApiKey({ name: 'gauge', roles: ['device'] }, 'test');
    expect(key).toMatch(/^co_/);

    // registry
    await sensing.upsertSensors(
      [
        { id: 'ct-wl-1', name: 'Gauge', class: 'water_level', location: { type: 'Point', coordinates: [1.2, 42.5] } },
        { id: 'ct-rf-1', name: 'Rain', class: 'rainfall', location: { type: 'Point', coordinates: [1.7, 42.5] } },
      ],
      'test',
    );
    expect(sensing.directory.byId('ct-wl-1')?.orgPath).toBe('/c1/d1/');

    // telemetry: raw, duplicates, latest, rollups
    const device = { kind: 'apikey' as const, id: 'k', name: 'gauge', roles: ['device' as const] };
    const batch = Array.from({ length: 120 }, (_, i) => ({ sensor: 'ct-wl-1', ts: T0 - 120_000 + i * 1000, value: 1 + i / 100 }));
    expect(await sensing.ingest(batch, device)).toMatchObject({ accepted: 120, duplicates: 0, rejected: [] });
    expect(await sensing.ingest(batch.slice(0, 10), device)).toMatchObject({ accepted: 0, duplicates: 10 });
    const bad = await sensing.ingest([{ sensor: 'ct-wl-1', ts: T0, value: 999 }, { sensor: 'nope', ts: T0, value: 1 }], device);
    expect(bad.rejected.map((r) => r.index)).toEqual([0, 1]);

    // road network
    const summary = await roads.importOsm(path.resolve('assets/osm/bautzen.osm'));
    expect(summary.segments).toBeGreaterThan(100);

    const verified = await audit.verify();
    expect(verified.ok).toBe(true);
    expect(verified.entries).toBeGreaterThan(3);
    await city.close();

    // restart on the same store: migrations are idempotent, everything is still there
    city = await t.open(clock);
    await city.start();
    expect(city.services.sensing.directory.byId('ct-wl-1')?.orgPath).toBe('/c1/d1/');
    expect((await city.services.auth.findUser('contract_admin'))?.roles).toEqual(['admin']);
    expect(city.services.auth.locate([1.2, 42.5])?.id).toBe('d1');
    expect((await city.services.roads.summary()).segments).toBe(summary.segments);
    expect(await city.services.sensing.ingest(batch.slice(0, 5), device)).toMatchObject({ accepted: 0, duplicates: 5 });
    const login = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'contract_admin', password: 'contract-pass-01' } });
    const token = login.json().token as string;
    const latest = await city.app.inject({ method: 'GET', url: '/api/v1/latest?class=water_level', headers: { authorization: `Bearer ${token}` } });
    expect(latest.statusCode).toBe(200);
    expect(JSON.stringify(latest.json())).toContain('2.19');
    const series = await city.app.inject({
      method: 'GET',
      url: `/api/v1/readings?sensor=ct-wl-1&step=1m&from=${new Date(T0 - 180_000).toISOString()}&to=${new Date(T0).toISOString()}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(series.statusCode).toBe(200);
    const body = JSON.stringify(series.json());
    expect(body).toContain('"count":60');
    expect((await city.services.audit.verify()).ok).toBe(true);
    await city.close();
  }, 60_000);
});
