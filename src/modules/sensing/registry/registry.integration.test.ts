/**
 * The sensor registry end to end through HTTP, on SQLite and PostgreSQL:
 * CRUD with validation, audit and events, the in-memory directory after
 * every change, search by area/class/state/bbox/near, and devices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAvailable, TEST_PG_URL } from '../../../platform/testing/services.js';
import type { Envelope } from '../../../platform/bus/types.js';
import type { ManualClock } from '../../../platform/clock.js';
import { startRegistryCity, type RegistryCity } from '../../../../test/fixtures/sensors/city.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const at = (lon: number, lat: number) => ({ type: 'Point' as const, coordinates: [lon, lat] as [number, number] });

function contract(name: string, postgres: boolean) {
  describe.skipIf(postgres && !pgUp)(`sensor registry (${name})`, () => {
    let t: RegistryCity;
    const events: Envelope<'SensorChanged'>[] = [];
    beforeAll(async () => {
      t = await startRegistryCity({ postgres });
      await t.city.kernel.bus.subscribe('SensorChanged', (e) => {
        events.push(e);
      });
    });
    afterAll(async () => {
      await t?.city.destroy();
    });

    const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, who: keyof RegistryCity['as'] = 'data_officer') =>
      t.city.app.inject({ method, url, payload: payload as object, headers: t.as[who].headers });
    const drain = () => (t.city.kernel.bus as { drain?: () => Promise<void> }).drain?.() ?? Promise.resolve();
    const dir = () => t.city.services.sensing.directory;

    it('creates a sensor with the defaults of its class, located in the org tree, audited and announced', async () => {
      const res = await req('POST', '/api/v1/sensors', { id: 'wl-1', name: 'Gran Valira gauge', class: 'water_level', location: at(1.52, 42.51), department: 'swj', thresholds: { warn: 3, alarm: 4 } });
      expect(res.statusCode, res.body).toBe(201);
      const s = res.json();
      expect(s).toMatchObject({
        id: 'wl-1', metric: 'level', unit: 'm', min: -10, max: 50, expectedIntervalS: 60, department: 'SWJ', state: 'active',
        orgUnitId: 's1', orgPath: '/c/d_1/s1/', location: { type: 'Point', coordinates: [1.52, 42.51] }, thresholds: { warn: 3, alarm: 4 },
        createdAt: '2026-11-22T08:00:00.000Z',
      });
      expect(Number.isInteger(s.key) && s.key > 0).toBe(true);
      expect(dir().byId('wl-1')).toMatchObject({ key: s.key, class: 'water_level', metric: 'level', min: -10, max: 50, orgPath: '/c/d_1/s1/', lon: 1.52, lat: 42.51 });
      expect(dir().byKey(s.key)?.id).toBe('wl-1');
      const audit = await t.city.services.audit.list({ targetType: 'sensor', targetId: 'wl-1' });
      expect(audit.map((a) => a.action)).toContain('sensor.create');
      await drain();
      expect(events.some((e) => e.payload.sensorId === 'wl-1' && e.payload.change === 'created')).toBe(true);
    });

    it('reads one sensor and answers 404 SENSOR_NOT_FOUND for an unknown id', async () => {
      expect((await req('GET', '/api/v1/sensors/wl-1', undefined, 'grid_worker')).json().name).toBe('Gran Valira gauge');
      const res = await req('GET', '/api/v1/sensors/nope');
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('SENSOR_NOT_FOUND');
    });

    it('refuses a second sensor with the same id: 409 SENSOR_EXISTS, the first unchanged', async () => {
      const res = await req('POST', '/api/v1/sensors', { id: 'wl-1', name: 'Other', class: 'noise', location: at(1.6, 42.5) });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('SENSOR_EXISTS');
      expect(dir().byId('wl-1')?.class).toBe('water_level');
    });

    it.each([
      [{ name: 'x', class: 'weather', location: at(1.5, 42.5) }, 'UNKNOWN_CLASS'],
      [{ name: 'x', class: 'noise', metric: 'flow', location: at(1.5, 42.5) }, 'UNKNOWN_METRIC'],
      [{ name: 'x', class: 'noise', location: at(1.5, 92) }, 'BAD_COORDINATES'],
      [{ name: 'x', class: 'noise', location: at(1.5, 42.5), min: 10, max: 10 }, 'BAD_RANGE'],
      [{ name: 'x', class: 'noise', location: at(1.5, 42.5), department: 'not a code' }, 'BAD_DEPARTMENT'],
      [{ name: 'x', class: 'noise', location: at(1.5, 42.5), deviceId: 'no-such-device' }, 'DEVICE_NOT_FOUND'],
      [{ name: 'x', class: 'noise', location: at(1.5, 42.5), colour: 'red' }, 'VALIDATION_FAILED'],
      [{ name: 'x', class: 'noise' }, 'VALIDATION_FAILED'],
    ])('rejects bad input %j with 400 %s and stores nothing', async (body, code) => {
      const before = [...dir().all()].length;
      const res = await req('POST', '/api/v1/sensors', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe(code);
      expect([...dir().all()].length).toBe(before);
    });

    it('updates a sensor: same key, new class brings its unit and range, directory follows', async () => {
      const key = dir().byId('wl-1')!.key;
      (t.city.clock as ManualClock).set(Date.UTC(2026, 10, 22, 9));
      const res = await req('PATCH', '/api/v1/sensors/wl-1', { class: 'rainfall', location: at(1.6, 42.6), state: 'maintenance' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ key, class: 'rainfall', metric: 'intensity', unit: 'mm/h', min: 0, max: 300, orgUnitId: 'dx1', orgPath: '/c/dx1/', state: 'maintenance', createdAt: '2026-11-22T08:00:00.000Z', updatedAt: '2026-11-22T09:00:00.000Z' });
      expect(dir().byId('wl-1')).toMatchObject({ key, class: 'rainfall', metric: 'intensity', orgPath: '/c/dx1/', lon: 1.6 });
      expect(dir().byKey(key)?.metric).toBe('intensity');
      const bad = await req('PATCH', '/api/v1/sensors/wl-1', { metric: 'level' });
      expect(bad.json().error.code).toBe('UNKNOWN_METRIC');
      expect((await req('PATCH', '/api/v1/sensors/ghost', { name: 'x' })).statusCode).toBe(404);
      expect((await req('PATCH', '/api/v1/sensors/wl-1', { colour: 'red' })).json().error.code).toBe('VALIDATION_FAILED');
      expect((await req('PATCH', '/api/v1/sensors/wl-1', { min: 400 })).json().error.code).toBe('BAD_RANGE');
      expect((await t.city.services.audit.list({ targetType: 'sensor', targetId: 'wl-1', action: 'sensor.update' })).length).toBe(1);
    });

    it('deletes a sensor; the directory forgets it; a new sensor with the same id gets its old key back', async () => {
      const key = dir().byId('wl-1')!.key;
      expect((await req('DELETE', '/api/v1/sensors/wl-1')).statusCode).toBe(204);
      expect(dir().byId('wl-1')).toBeUndefined();
      expect(dir().byKey(key)).toBeUndefined();
      expect((await req('DELETE', '/api/v1/sensors/wl-1')).json().error.code).toBe('SENSOR_NOT_FOUND');
      const other = await req('POST', '/api/v1/sensors', { id: 'other-1', name: 'Other', class: 'noise', location: at(1.6, 42.5) });
      expect(other.json().key).not.toBe(key);
      const again = await req('POST', '/api/v1/sensors', { id: 'wl-1', name: 'Gauge again', class: 'water_level', location: at(1.52, 42.51) });
      expect(again.json().key).toBe(key);
      await drain();
      expect(events.some((e) => e.payload.sensorId === 'wl-1' && e.payload.change === 'deleted')).toBe(true);
    });

    describe('search', () => {
      beforeAll(async () => {
        const list = [
          { id: 'q-traffic-w', name: 'Traffic west', class: 'traffic' as const, location: at(1.51, 42.51), department: 'JJ' },
          { id: 'q-traffic-e', name: 'Traffic east', class: 'traffic' as const, metric: 'speed', location: at(1.6, 42.55), department: 'JJ' },
          { id: 'q-air-w', name: 'Air Plaça', class: 'air_quality' as const, location: at(1.45, 42.45), department: 'HBJ', state: 'inactive' as const },
          { id: 'q-noise-out', name: 'Noise abroad', class: 'noise' as const, location: at(2.2, 41.4) },
          { id: 'q-odd_x', name: 'Odd 100%_name', class: 'smoke' as const, location: at(1.515, 42.505) },
        ];
        const r = await t.city.services.sensing.upsertSensors(list, 'test');
        expect(r).toEqual({ created: 5, updated: 0 });
      });
      const ids = async (query: string, who: keyof RegistryCity['as'] = 'dispatcher') => {
        const res = await req('GET', `/api/v1/sensors?${query}`, undefined, who);
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().items as Array<{ id: string }>).map((s) => s.id).filter((id) => id.startsWith('q-'));
      };

      it('filters by area through the org path, children included, without "_" acting as a wildcard', async () => {
        expect(await ids('area=d_1')).toEqual(['q-air-w', 'q-odd_x', 'q-traffic-w']);
        expect(await ids('area=s1')).toEqual(['q-odd_x', 'q-traffic-w']);
        expect(await ids('area=dx1')).toEqual(['q-traffic-e']);
        expect((await ids('area=c')).length).toBe(4);
        const res = await req('GET', '/api/v1/sensors?area=nowhere');
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('UNKNOWN_AREA');
      });

      it('filters by class, metric, state, department and name', async () => {
        expect(await ids('class=traffic')).toEqual(['q-traffic-e', 'q-traffic-w']);
        expect(await ids('class=traffic&metric=speed')).toEqual(['q-traffic-e']);
        expect(await ids('state=inactive')).toEqual(['q-air-w']);
        expect(await ids('department=jj')).toEqual(['q-traffic-e', 'q-traffic-w']);
        expect(await ids('q=WEST')).toEqual(['q-traffic-w']);
        expect(await ids('q=100%25_')).toEqual(['q-odd_x']);
        expect(await ids('q=0%25')).toEqual(['q-odd_x']);
        expect((await req('GET', '/api/v1/sensors?class=weather')).json().error.code).toBe('UNKNOWN_CLASS');
        expect((await req('GET', '/api/v1/sensors?state=broken')).json().error.code).toBe('BAD_STATE');
      });

      it('filters by bbox and by distance (nearest first, with distances)', async () => {
        expect(await ids('bbox=1.5,42.5,1.52,42.52')).toEqual(['q-odd_x', 'q-traffic-w']);
        const res = await req('GET', '/api/v1/sensors?near=1.51,42.51,1000');
        const near = (res.json().items as Array<{ id: string; distanceM: number }>).filter((s) => s.id.startsWith('q-'));
        expect(near.map((s) => s.id)).toEqual(['q-traffic-w', 'q-odd_x']);
        expect(near[0]!.distanceM).toBeLessThan(1);
        expect(near[1]!.distanceM).toBeGreaterThan(600);
        expect(near[1]!.distanceM).toBeLessThan(1000);
        expect(await ids('near=1.51,42.51,1000&bbox=1.512,42.4,1.6,42.6')).toEqual(['q-odd_x']);
        expect(await ids('near=1.51,42.51,1000&bbox=1.7,42.6,1.8,42.7')).toEqual([]);
        expect((await req('GET', '/api/v1/sensors?bbox=1,2,3')).json().error.code).toBe('BAD_BBOX');
        expect((await req('GET', '/api/v1/sensors?near=1,2')).json().error.code).toBe('BAD_NEAR');
      });

      it('pages with limit and offset and reports the total', async () => {
        const p1 = (await req('GET', '/api/v1/sensors?q=traffic&limit=1')).json();
        const p2 = (await req('GET', '/api/v1/sensors?q=traffic&limit=1&offset=1')).json();
        expect([p1.total, p2.total, p1.limit, p2.offset]).toEqual([2, 2, 1, 1]);
        expect([p1.items[0].id, p2.items[0].id]).toEqual(['q-traffic-e', 'q-traffic-w']);
        expect((await req('GET', '/api/v1/sensors?limit=0')).statusCode).toBe(400);
      });
    });

    describe('devices', () => {
      it('creates, reads, lists, updates and deletes a device; a device with sensors is not deleted', async () => {
        const created = await req('POST', '/api/v1/devices', { id: 'ws-1', name: 'Weather station', kind: 'weather_station', location: at(1.6, 42.55), department: 'SWJ' });
        expect(created.statusCode, created.body).toBe(201);
        expect(created.json()).toMatchObject({ id: 'ws-1', orgUnitId: 'dx1', department: 'SWJ' });
        expect((await req('POST', '/api/v1/devices', { id: 'ws-1', name: 'Dup', kind: 'x', location: at(1.6, 42.55) })).json().error.code).toBe('DEVICE_EXISTS');
        expect((await req('GET', '/api/v1/devices/ws-1', undefined, 'leader')).json().kind).toBe('weather_station');
        expect((await req('GET', '/api/v1/devices?kind=weather_station')).json().total).toBe(1);
        const patched = await req('PATCH', '/api/v1/devices/ws-1', { name: 'Station 1', location: at(1.45, 42.45) });
        expect(patched.json()).toMatchObject({ name: 'Station 1', orgUnitId: 'd_1', kind: 'weather_station' });
        const sensor = await req('POST', '/api/v1/sensors', { id: 'ws-1-rain', deviceId: 'ws-1', name: 'Rain', class: 'rainfall', location: at(1.45, 42.45) });
        expect(sensor.json().deviceId).toBe('ws-1');
        const inUse = await req('DELETE', '/api/v1/devices/ws-1');
        expect(inUse.statusCode).toBe(409);
        expect(inUse.json().error.code).toBe('DEVICE_IN_USE');
        expect((await req('PATCH', '/api/v1/sensors/ws-1-rain', { deviceId: null })).json().deviceId).toBeNull();
        expect((await req('DELETE', '/api/v1/devices/ws-1')).statusCode).toBe(204);
        expect((await req('GET', '/api/v1/devices/ws-1')).json().error.code).toBe('DEVICE_NOT_FOUND');
      });
    });

    it('lists the 12 sensor classes to any signed-in caller', async () => {
      const res = await req('GET', '/api/v1/sensor-classes', undefined, 'citizen');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as Array<{ class: string; metrics: Array<{ metric: string; unit: string }>; retention: { rawDays: number } }>;
      expect(items).toHaveLength(12);
      expect(items.find((c) => c.class === 'noise')!.metrics[0]).toMatchObject({ metric: 'laeq', unit: 'dB(A)' });
      expect(items.find((c) => c.class === 'sos')!.retention.rawDays).toBe(365);
      expect((await t.city.app.inject({ method: 'GET', url: '/api/v1/sensor-classes' })).statusCode).toBe(401);
    });

    it('lets readers read and only admins and data officers write', async () => {
      for (const who of ['admin', 'dispatcher', 'handler', 'grid_worker', 'data_officer', 'leader', 'auditor'] as const) {
        expect((await req('GET', '/api/v1/sensors?limit=1', undefined, who)).statusCode, who).toBe(200);
      }
      expect((await req('GET', '/api/v1/sensors', undefined, 'citizen')).statusCode).toBe(403);
      expect((await req('GET', '/api/v1/sensors', undefined, 'device')).statusCode).toBe(403);
      for (const who of ['dispatcher', 'handler', 'leader', 'auditor', 'citizen'] as const) {
        const res = await req('POST', '/api/v1/sensors', { name: 'x', class: 'noise', location: at(1.5, 42.5) }, who);
        expect(res.statusCode, who).toBe(403);
      }
      const admin = await req('POST', '/api/v1/sensors', { id: 'by-admin', name: 'x', class: 'noise', location: at(1.5, 42.5) }, 'admin');
      expect(admin.statusCode).toBe(201);
      expect((await t.city.app.inject({ method: 'GET', url: '/api/v1/sensors' })).statusCode).toBe(401);
    });
  });
}

contract('SQLite', false);
contract('PostgreSQL', true);
