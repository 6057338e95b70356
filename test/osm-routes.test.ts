// HTTP for the road network, called in-process as a signed-in user of each kind would.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/platform/auth/roles.js';
import { startTestCity, type TestCity } from './helpers/city.js';

let city: TestCity;
const tokens: Partial<Record<Role, string>> = {};

async function signIn(role: Role): Promise<string> {
  const username = `osm-${role}`;
  const password = 'correct horse battery staple';
  await city.services.auth.createUser({ username, password, roles: [role] }, 'test');
  const res = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  expect(res.statusCode).toBe(200);
  return res.json<{ token: string }>().token;
}

const call = (method: 'GET' | 'POST', url: string, role?: Role, payload?: object) =>
  city.app.inject({ method, url, payload, headers: role ? { authorization: `Bearer ${tokens[role]}` } : {} });

beforeAll(async () => {
  city = await startTestCity();
  for (const r of ['admin', 'citizen', 'dispatcher'] as const) tokens[r] = await signIn(r);
});
afterAll(async () => {
  await city?.destroy();
});

describe('roads routes', () => {
  it('needs a signed-in caller for reading and an admin for importing', async () => {
    expect((await call('GET', '/api/v1/roads/summary')).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/roads/segments')).statusCode).toBe(401);
    const res = await call('POST', '/api/v1/roads/import', 'dispatcher', { file: 'osm/bautzen.osm' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('imports a file from the assets directory and shows the summary with attribution', async () => {
    const res = await call('POST', '/api/v1/roads/import', 'admin', { file: 'osm/bautzen.osm' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ nodes: 224, segments: 228, source: 'bautzen.osm', importedAt: '2026-11-22T08:00:00.000Z' });
    const summary = await call('GET', '/api/v1/roads/summary', 'citizen');
    expect(summary.statusCode).toBe(200);
    expect(summary.json()).toMatchObject({ nodes: 224, segments: 228, attribution: '© OpenStreetMap contributors (ODbL 1.0)', featuresByKind: { bridge: 4 } });
    const audit = await city.services.audit.list({ action: 'roads.import' });
    expect(audit.at(-1)).toMatchObject({ actorName: 'osm-admin' });
  });

  it('also imports from the data directory, but nothing outside it or the assets', async () => {
    fs.copyFileSync(new URL('../assets/osm/bautzen.osm', import.meta.url), path.join(city.dataDir, 'mine.osm'));
    expect((await call('POST', '/api/v1/roads/import', 'admin', { file: 'mine.osm' })).statusCode).toBe(200);
    expect((await call('POST', '/api/v1/roads/import', 'admin', { file: path.join(city.dataDir, 'mine.osm') })).statusCode).toBe(200);
    for (const file of ['../package.json', '/etc/passwd', '../../../../etc/hostname']) {
      const res = await call('POST', '/api/v1/roads/import', 'admin', { file });
      expect(res.statusCode, file).toBe(400);
      expect(res.json().error.code, file).toMatch(/^OSM_FILE_NOT_(ALLOWED|FOUND)$/);
    }
    const res = await call('POST', '/api/v1/roads/import', 'admin', { file: 'osm/nope.osm.pbf' });
    expect(res.json().error).toMatchObject({ code: 'OSM_FILE_NOT_FOUND' });
    expect((await call('POST', '/api/v1/roads/import', 'admin', {})).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/roads/import', 'admin', { file: 'osm/bautzen.osm', extra: 1 })).statusCode).toBe(400);
  });

  it('serves segments as GeoJSON LineStrings filtered by bbox and class, limited', async () => {
    const all = await call('GET', '/api/v1/roads/segments', 'citizen');
    expect(all.statusCode).toBe(200);
    const fc = all.json<{ type: string; truncated: boolean; features: Array<{ geometry: { type: string; coordinates: number[][] }; properties: { highway: string; oneway: boolean } }> }>();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(228);
    expect(fc.truncated).toBe(false);
    expect(fc.features[0]!.geometry.type).toBe('LineString');
    expect(fc.features[0]!.geometry.coordinates[0]![0]).toBeGreaterThan(14); // longitude first
    const moto = (await call('GET', '/api/v1/roads/segments?highway=motorway,motorway_link', 'citizen')).json<typeof fc>();
    expect(moto.features.length).toBe(103);
    expect(moto.features.every((f) => f.properties.highway.startsWith('motorway'))).toBe(true);
    expect(moto.features.filter((f) => f.properties.highway === 'motorway').every((f) => f.properties.oneway)).toBe(true);
    expect(moto.features.some((f) => !f.properties.oneway)).toBe(true); // links tagged oneway=no stay two-way
    const limited = (await call('GET', '/api/v1/roads/segments?limit=10', 'citizen')).json<typeof fc>();
    expect([limited.features.length, limited.truncated]).toEqual([10, true]);
    const none = (await call('GET', '/api/v1/roads/segments?bbox=0,0,1,1', 'citizen')).json<typeof fc>();
    expect(none.features).toEqual([]);
  });

  it.each([
    ['bbox=1,2,3', 'BAD_BBOX'],
    ['bbox=10,10,0,0', 'BAD_BBOX'],
    ['bbox=a,b,c,d', 'BAD_BBOX'],
    ['highway=footway', 'BAD_HIGHWAY'],
    ['limit=0', 'VALIDATION_FAILED'],
    ['limit=1000000', 'VALIDATION_FAILED'],
  ])('answers 400 to segments?%s', async (query, code) => {
    const res = await call('GET', `/api/v1/roads/segments?${query}`, 'citizen');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
  });

  it('documents every roads route in the OpenAPI document', async () => {
    const doc = (await city.app.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, Record<string, { tags: string[] }>> }>();
    for (const [url, method] of [['/api/v1/roads/summary', 'get'], ['/api/v1/roads/segments', 'get'], ['/api/v1/roads/features', 'get'], ['/api/v1/roads/import', 'post']] as const) {
      expect(doc.paths[url]?.[method]?.tags, url).toEqual(['roads']);
    }
  });

  it('serves map features as Points and LineStrings', async () => {
    const res = await call('GET', '/api/v1/roads/features?kind=bridge', 'citizen');
    const fc = res.json<{ features: Array<{ geometry: { type: string }; properties: { kind: string } }> }>();
    expect(fc.features).toHaveLength(4);
    expect(fc.features.every((f) => f.geometry.type === 'LineString' && f.properties.kind === 'bridge')).toBe(true);
    const buildings = (await call('GET', '/api/v1/roads/features?kind=building', 'citizen')).json<typeof fc>();
    expect(buildings.features.every((f) => f.geometry.type === 'Point')).toBe(true);
  });
});
