/**
 * Bulk paths of the registry on SQLite and PostgreSQL: import of mixed good
 * and bad rows (file and HTTP), upsertSensors at demo-city scale, provisioning
 * from the ingestion path, and directories that agree with the store.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAvailable, TEST_PG_URL } from '../../../platform/testing/services.js';
import { isAppError } from '../../../platform/errors.js';
import type { SensorClass, SensorInput } from '../types.js';
import { SENSOR_CLASSES } from '../types.js';
import { startRegistryCity, type RegistryCity } from '../../../../test/fixtures/sensors/city.js';
import { createRegistry } from './index.js';
import type { SensorEntry } from './types.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const FIXTURES = path.resolve(import.meta.dirname, '../../../../test/fixtures/sensors');

/** n sensors of every class spread over the test city, ids "<prefix>-<i>". */
function manySensors(n: number, prefix: string): SensorInput[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    name: `${prefix} sensor ${i}`,
    class: SENSOR_CLASSES[i % 12] as SensorClass,
    location: { type: 'Point' as const, coordinates: [1.41 + (i % 100) * 0.0038, 42.41 + Math.floor(i / 100) * 0.0028] as [number, number] },
    department: 'SWJ',
  }));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
  return 'none';
}

function contract(name: string, postgres: boolean) {
  describe.skipIf(postgres && !pgUp)(`sensor registry bulk paths (${name})`, () => {
    let t: RegistryCity;
    beforeAll(async () => {
      t = await startRegistryCity({ postgres });
    });
    afterAll(async () => {
      await t?.city.destroy();
    });
    const sensing = () => t.city.services.sensing;

    it('imports the good rows of a mixed CSV file and reports each bad row with its line and reason', async () => {
      const progress: Array<[number, number]> = [];
      const report = await sensing().importSensors(path.join(FIXTURES, 'mixed.csv'), 'test', (d, n) => progress.push([d, n]));
      expect(report.imported).toBe(4);
      expect(report.rejected.map((r) => r.line)).toEqual([3, 6, 7, 8, 9, 10, 11, 13]);
      expect(report.rejected[0]!.reason).toMatch(/class/);
      expect(progress[0]).toEqual([0, 12]);
      expect(progress.at(-1)).toEqual([12, 12]);
      expect(sensing().directory.byId('mx-3')).toMatchObject({ class: 'noise', orgPath: '/c/dx1/' });
      expect(sensing().directory.byId('mx-2')).toBeUndefined();
      const audit = await t.city.services.audit.list({ action: 'sensor.import' });
      expect(audit.at(-1)!.details).toMatchObject({ source: 'mixed.csv', rows: 12, imported: 4, rejected: 8 });
    });

    it('imports a GeoJSON file the same way (lines are feature numbers)', async () => {
      const report = await sensing().importSensors(path.join(FIXTURES, 'mixed.geojson'), 'test');
      expect(report.imported).toBe(3);
      expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 5, 7]);
      expect(sensing().directory.byId('gj-6')).toMatchObject({ metric: 'no2' });
    });

    it('re-importing a file updates, never duplicates', async () => {
      const before = [...sensing().directory.all()].length;
      const report = await sensing().importSensors(path.join(FIXTURES, 'good.csv'), 'test');
      expect(report).toEqual({ imported: 13, rejected: [] });
      const again = await sensing().importSensors(path.join(FIXTURES, 'good.csv'), 'test');
      expect(again).toEqual({ imported: 13, rejected: [] });
      expect([...sensing().directory.all()].length).toBe(before + 13);
    });

    it('says clearly when the file cannot be read or has a bad header', async () => {
      expect(await codeOf(sensing().importSensors(path.join(FIXTURES, 'missing.csv'), 'test'))).toBe('IMPORT_FILE_UNREADABLE');
      expect(await codeOf(t.city.services.sensing.importSensors(path.join(FIXTURES, 'city.ts'), 'test'))).toBe('IMPORT_BAD_HEADER');
    });

    it('imports through HTTP as text/csv, application/geo+json and application/json', async () => {
      const post = (type: string, payload: string) =>
        t.city.app.inject({ method: 'POST', url: '/api/v1/sensors/import', payload, headers: { ...t.as.data_officer.headers, 'content-type': type } });
      const csv = await post('text/csv', 'id,name,class,lon,lat\r\nhttp-1,Via HTTP,parking,1.52,42.51\r\nhttp-2,Bad,parking,1.52,\r\n');
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.json()).toEqual({ imported: 1, rejected: [{ line: 3, reason: 'lon and lat are required (WGS84 degrees)' }] });
      const fc = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [1.6, 42.6] }, properties: { id: 'http-3', name: 'GeoJSON via HTTP', class: 'crowd' } }] });
      expect((await post('application/geo+json', fc)).json()).toEqual({ imported: 1, rejected: [] });
      expect((await post('application/json', fc.replace('http-3', 'http-4'))).json()).toEqual({ imported: 1, rejected: [] });
      expect(sensing().directory.byId('http-4')?.class).toBe('crowd');
      const badHeader = await post('text/csv', 'nom,classe\nx,y\n');
      expect(badHeader.statusCode).toBe(400);
      expect(badHeader.json().error.code).toBe('IMPORT_BAD_HEADER');
      expect((await post('application/geo+json', '{oops')).json().error.code).toBe('IMPORT_BAD_GEOJSON');
      const denied = await t.city.app.inject({ method: 'POST', url: '/api/v1/sensors/import', payload: 'x', headers: { ...t.as.dispatcher.headers, 'content-type': 'text/csv' } });
      expect(denied.statusCode).toBe(403);
    });

    it('upserts 10,000 sensors quickly with one audit entry, and a second identical call writes nothing', async () => {
      const list = manySensors(10_000, 'bulk');
      const auditBefore = (await t.city.services.audit.list({ action: 'sensor.upsert_bulk' })).length;
      const t0 = performance.now();
      expect(await sensing().upsertSensors(list, 'system:demo')).toEqual({ created: 10_000, updated: 0 });
      const firstMs = performance.now() - t0;
      const t1 = performance.now();
      expect(await sensing().upsertSensors(list, 'system:demo')).toEqual({ created: 0, updated: 0 });
      const secondMs = performance.now() - t1;
      console.info(`[${name}] upsertSensors 10,000: first ${firstMs.toFixed(0)} ms, unchanged again ${secondMs.toFixed(0)} ms`);
      expect((await t.city.services.audit.list({ action: 'sensor.upsert_bulk' })).length).toBe(auditBefore + 2);
      const keys = new Set(list.map((s) => sensing().directory.byId(s.id!)!.key));
      expect(keys.size).toBe(10_000);
      expect(sensing().directory.byId('bulk-9999')).toMatchObject({ class: SENSOR_CLASSES[9999 % 12] });
      const changed = list.slice(0, 3).map((s) => ({ ...s, name: `${s.name} (renamed)` }));
      expect(await sensing().upsertSensors(changed, 'system:demo')).toEqual({ created: 0, updated: 3 });
      expect((sensing().directory.byId('bulk-0') as SensorEntry).name).toBe('bulk sensor 0 (renamed)');
    });

    it('assigns distinct keys to concurrent writers', async () => {
      await Promise.all([0, 1, 2, 3, 4].map((w) => sensing().upsertSensors(manySensors(200, `conc${w}`), 'test')));
      const keys = [0, 1, 2, 3, 4].flatMap((w) => manySensors(200, `conc${w}`).map((s) => sensing().directory.byId(s.id!)!.key));
      expect(new Set(keys).size).toBe(1000);
      const fresh = createRegistry({ ...t.city.kernel, audit: t.city.services.audit, org: t.city.services.auth });
      await fresh.start();
      for (const id of ['conc0-0', 'conc4-199']) expect(fresh.directory.byId(id)?.key).toBe(sensing().directory.byId(id)?.key);
    });

    it('rejects a whole upsert when any sensor is invalid, naming each bad item', async () => {
      const list = [...manySensors(3, 'atomic'), { id: 'atomic-bad', name: 'x', class: 'noise' as const, location: { type: 'Point' as const, coordinates: [500, 0] as [number, number] } }, manySensors(1, 'atomic')[0]!];
      try {
        await sensing().upsertSensors(list, 'test');
        expect.unreachable();
      } catch (e) {
        expect(isAppError(e) && e.code).toBe('SENSORS_INVALID');
        const problems = (e as { details: { problems: Array<{ index: number; code: string }> } }).details.problems;
        expect(problems).toEqual([expect.objectContaining({ index: 3, code: 'BAD_COORDINATES' }), expect.objectContaining({ index: 4, code: 'DUPLICATE_ID' })]);
      }
      expect(sensing().directory.byId('atomic-0')).toBeUndefined();
    });

    it('imports 10,000 CSV rows', async () => {
      const rows = manySensors(10_000, 'csv').map((s) => `${s.id},${s.name},${s.class},,${s.location.coordinates[0]},${s.location.coordinates[1]},SWJ,,,`);
      const text = ['id,name,class,metric,lon,lat,department,interval_s,min,max', ...rows].join('\n');
      const t0 = performance.now();
      const report = await t.city.services.sensing.importSensors(await writeTemp(t.city.dataDir, 'big.csv', text), 'test');
      const ms = performance.now() - t0;
      console.info(`[${name}] import 10,000 CSV rows: ${ms.toFixed(0)} ms`);
      expect(report.imported).toBe(10_000);
      expect(report.rejected).toEqual([]);
      if (!postgres) expect(ms).toBeLessThan(2000);
    });

    it('provisions an unknown sensor once, only with a location', async () => {
      const dir = sensing().directory;
      expect(await codeOf(dir.provision({ id: 'auto-1', class: 'noise' }, 'apikey:test'))).toBe('SENSOR_LOCATION_REQUIRED');
      expect(dir.byId('auto-1')).toBeUndefined();
      expect(await codeOf(dir.provision({ id: 'auto-1', class: 'noise', metric: 'pm25', lon: 1.5, lat: 42.5 }, 'apikey:test'))).toBe('UNKNOWN_METRIC');
      const refs = await Promise.all([1, 2, 3].map(() => dir.provision({ id: 'auto-1', class: 'noise', lon: 1.6, lat: 42.6, department: 'HBJ' }, 'apikey:test')));
      expect(new Set(refs.map((r) => r.key)).size).toBe(1);
      expect(refs[0]).toMatchObject({ id: 'auto-1', class: 'noise', metric: 'laeq', min: 20, max: 140, orgPath: '/c/dx1/' });
      expect(dir.byKey(refs[0]!.key)?.id).toBe('auto-1');
      expect((await t.city.services.audit.list({ action: 'sensor.provision', targetId: 'auto-1' })).length).toBe(1);
      // Known sensors come straight from memory; a provisioning call never overwrites a real record.
      const known = await dir.provision({ id: 'fx-traffic-1', class: 'noise', lon: 1, lat: 1 }, 'apikey:test');
      expect(known).toMatchObject({ class: 'traffic', metric: 'flow' });
    });

    it('upsertSensors fills the directory even before start() (the CLI never starts the city)', async () => {
      const cold = createRegistry({ ...t.city.kernel, audit: t.city.services.audit, org: t.city.services.auth });
      await cold.upsertSensors(manySensors(2, 'cold'), 'cli');
      expect(cold.directory.byId('cold-1')).toMatchObject({ id: 'cold-1', class: 'air_quality' });
      expect(cold.directory.byKey(cold.directory.byId('cold-0')!.key)?.id).toBe('cold-0');
      // The running registry hears about them through the bus.
      await ((t.city.kernel.bus as { drain?: () => Promise<void> }).drain?.() ?? Promise.resolve());
      expect(sensing().directory.byId('cold-0')?.key).toBe(cold.directory.byId('cold-0')!.key);
    });

    it('a directory loaded from the store at start agrees with the one kept current by every change', async () => {
      const fresh = createRegistry({ ...t.city.kernel, audit: t.city.services.audit, org: t.city.services.auth });
      await fresh.start();
      const live = [...sensing().directory.all()].sort((a, b) => a.key - b.key);
      const loaded = [...fresh.directory.all()].sort((a, b) => a.key - b.key);
      expect(loaded.length).toBe(live.length);
      expect(loaded).toEqual(live);
      for (const s of live.slice(0, 50)) expect(fresh.directory.byKey(s.key)).toEqual(s);
    });

    it('a second process sharing the store and the bus follows creates, updates and deletes through SensorChanged', async () => {
      const other = createRegistry({ ...t.city.kernel, audit: t.city.services.audit, org: t.city.services.auth });
      await other.start();
      const drain = () => (t.city.kernel.bus as { drain?: () => Promise<void> }).drain?.() ?? Promise.resolve();
      await sensing().upsertSensors([{ id: 'shared-1', name: 'Shared', class: 'tilt', location: { type: 'Point', coordinates: [1.5, 42.5] } }], 'test');
      await drain();
      expect(other.directory.byId('shared-1')).toEqual(sensing().directory.byId('shared-1'));
      await sensing().upsertSensors([{ id: 'shared-1', name: 'Shared', class: 'tilt', location: { type: 'Point', coordinates: [1.5, 42.5] }, state: 'maintenance' }], 'test');
      await drain();
      expect((other.directory.byId('shared-1') as SensorEntry | undefined)?.state).toBe('maintenance');
      const key = other.directory.byId('shared-1')!.key;
      const del = await t.city.app.inject({ method: 'DELETE', url: '/api/v1/sensors/shared-1', headers: t.as.admin.headers });
      expect(del.statusCode).toBe(204);
      await drain();
      expect(other.directory.byId('shared-1')).toBeUndefined();
      expect(other.directory.byKey(key)).toBeUndefined();
      // And the other way round: what the second process registers, the first one learns.
      await other.upsertSensors([{ id: 'shared-2', name: 'From the other', class: 'sos', location: { type: 'Point', coordinates: [1.6, 42.6] } }], 'test');
      await drain();
      expect(sensing().directory.byId('shared-2')).toMatchObject({ class: 'sos', orgPath: '/c/dx1/' });
    });
  });
}

async function writeTemp(dir: string, name: string, text: string): Promise<string> {
  const { writeFile } = await import('node:fs/promises');
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

contract('SQLite', false);
contract('PostgreSQL', true);
