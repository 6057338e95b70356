/**
 * All SQL of the registry: sensors (with their stable telemetry keys) and
 * devices, on SQLite and PostgreSQL. Bulk writes go in chunks inside one
 * transaction so 10,000 sensors take a handful of statements.
 */
import { sql, type ExpressionBuilder, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { conflict } from '../../../platform/errors.js';
import type { Database } from '../../../platform/db/index.js';
import type { Device, Sensor, SensorClass, SensorState } from '../types.js';
import type { DeviceRow, RegistryTables, SensorRow } from './schema.js';
import type { DeviceFilter, SensorEntry, SensorFilter } from './types.js';

export { migrations } from './schema.js';

/** Rows per statement: 19 columns × 500 stays under both dialects' bound-parameter limits. */
const CHUNK = 500;

type Db = Kysely<RegistryTables>;

const chunks = <T>(xs: T[], n = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

export function rowToSensor(r: SensorRow): SensorEntry {
  const lon = Number(r.lon);
  const lat = Number(r.lat);
  return {
    key: Number(r.key),
    id: r.id,
    deviceId: r.device_id,
    name: r.name,
    class: r.class as SensorClass,
    metric: r.metric,
    unit: r.unit,
    location: { type: 'Point', coordinates: [lon, lat] },
    lon,
    lat,
    department: r.department,
    orgUnitId: r.org_unit_id,
    orgPath: r.org_path,
    expectedIntervalS: Number(r.expected_interval_s),
    min: Number(r.min),
    max: Number(r.max),
    thresholds: r.thresholds ? (JSON.parse(r.thresholds) as Sensor['thresholds']) : null,
    state: r.state as SensorState,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function sensorToRow(s: Sensor, key: number): SensorRow {
  return {
    key,
    id: s.id,
    device_id: s.deviceId,
    name: s.name,
    class: s.class,
    metric: s.metric,
    unit: s.unit,
    lon: s.location.coordinates[0],
    lat: s.location.coordinates[1],
    department: s.department,
    org_unit_id: s.orgUnitId,
    org_path: s.orgPath,
    expected_interval_s: s.expectedIntervalS,
    min: s.min,
    max: s.max,
    thresholds: s.thresholds ? JSON.stringify(s.thresholds) : null,
    state: s.state,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

function rowToDevice(r: DeviceRow): Device {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    location: { type: 'Point', coordinates: [Number(r.lon), Number(r.lat)] },
    department: r.department,
    orgUnitId: r.org_unit_id,
    createdAt: Number(r.created_at),
  };
}

/** A LIKE pattern matching values that contain (or start with) s literally; "!" escapes. */
const likeEscape = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT_PRIMARYKEY')) || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function sensorConditions(eb: ExpressionBuilder<RegistryTables, 'sensing_sensors'>, f: SensorFilter): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [];
  if (f.class) c.push(eb('class', '=', f.class));
  if (f.metric) c.push(eb('metric', '=', f.metric));
  if (f.state) c.push(eb('state', '=', f.state));
  if (f.department) c.push(eb('department', '=', f.department));
  if (f.pathPrefix) c.push(sql<SqlBool>`${eb.ref('org_path')} LIKE ${likeEscape(f.pathPrefix) + '%'} ESCAPE '!'`);
  if (f.bbox) {
    const [w, s, e, n] = f.bbox;
    c.push(eb.and([eb('lon', '>=', w), eb('lon', '<=', e), eb('lat', '>=', s), eb('lat', '<=', n)]));
  }
  if (f.q) c.push(sql<SqlBool>`lower(${eb.ref('name')}) LIKE ${'%' + likeEscape(f.q.toLowerCase()) + '%'} ESCAPE '!'`);
  return c;
}

export type RegistryStore = ReturnType<typeof createRegistryStore>;

export function createRegistryStore(database: Database) {
  // Our own tables only; the root instance is untyped.
  const db = database.db as unknown as Db;
  const pg = database.dialect === 'postgres';

  /** Keys for ids, assigning the next free ones to ids never seen before. */
  async function keysFor(trx: Transaction<RegistryTables>, ids: string[]): Promise<Map<string, number>> {
    // Serialise key assignment between processes sharing one PostgreSQL (SQLite has one writer anyway).
    if (pg) await sql`LOCK TABLE sensing_sensor_keys IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
    const keys = new Map<string, number>();
    for (const part of chunks(ids)) {
      const rows = await trx.selectFrom('sensing_sensor_keys').select(['id', 'key']).where('id', 'in', part).execute();
      for (const r of rows) keys.set(r.id, Number(r.key));
    }
    const missing = ids.filter((id) => !keys.has(id));
    if (missing.length === 0) return keys;
    const top = await trx.selectFrom('sensing_sensor_keys').select((eb) => eb.fn.max('key').as('top')).executeTakeFirst();
    let next = Number(top?.top ?? 0) + 1;
    const fresh = missing.map((id) => ({ id, key: next++ }));
    for (const part of chunks(fresh)) await trx.insertInto('sensing_sensor_keys').values(part).execute();
    for (const r of fresh) keys.set(r.id, r.key);
    return keys;
  }

  return {
    async loadAll(): Promise<SensorEntry[]> {
      const rows = await db.selectFrom('sensing_sensors').selectAll().execute();
      return rows.map(rowToSensor);
    },

    async getSensor(id: string): Promise<SensorEntry | null> {
      const r = await db.selectFrom('sensing_sensors').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? rowToSensor(r) : null;
    },

    async getSensors(ids: string[]): Promise<Map<string, SensorEntry>> {
      const out = new Map<string, SensorEntry>();
      for (const part of chunks(ids)) {
        if (part.length === 0) continue;
        const rows = await db.selectFrom('sensing_sensors').selectAll().where('id', 'in', part).execute();
        for (const r of rows) out.set(r.id, rowToSensor(r));
      }
      return out;
    },

    /**
     * Insert new sensors and overwrite existing ones (by id) in one transaction.
     * mustBeNew: fail with 409 SENSOR_EXISTS instead of overwriting.
     */
    async saveSensors(sensors: Sensor[], mustBeNew = false): Promise<SensorEntry[]> {
      if (sensors.length === 0) return [];
      try {
        return await db.transaction().execute(async (trx) => {
          if (mustBeNew) {
            const clash = await trx.selectFrom('sensing_sensors').select('id').where('id', 'in', sensors.map((s) => s.id)).executeTakeFirst();
            if (clash) throw conflict('SENSOR_EXISTS', `Sensor ${clash.id} already exists; update it with PATCH /api/v1/sensors/${clash.id} or choose another id`);
          }
          const keys = await keysFor(trx, sensors.map((s) => s.id));
          const rows = sensors.map((s) => sensorToRow(s, keys.get(s.id)!));
          for (const part of chunks(rows)) {
            await trx
              .insertInto('sensing_sensors')
              .values(part)
              .onConflict((oc) =>
                oc.column('id').doUpdateSet((eb) => ({
                  device_id: eb.ref('excluded.device_id'),
                  name: eb.ref('excluded.name'),
                  class: eb.ref('excluded.class'),
                  metric: eb.ref('excluded.metric'),
                  unit: eb.ref('excluded.unit'),
                  lon: eb.ref('excluded.lon'),
                  lat: eb.ref('excluded.lat'),
                  department: eb.ref('excluded.department'),
                  org_unit_id: eb.ref('excluded.org_unit_id'),
                  org_path: eb.ref('excluded.org_path'),
                  expected_interval_s: eb.ref('excluded.expected_interval_s'),
                  min: eb.ref('excluded.min'),
                  max: eb.ref('excluded.max'),
                  thresholds: eb.ref('excluded.thresholds'),
                  state: eb.ref('excluded.state'),
                  updated_at: eb.ref('excluded.updated_at'),
                })),
              )
              .execute();
          }
          return rows.map(rowToSensor);
        });
      } catch (e) {
        if (mustBeNew && isUniqueViolation(e)) throw conflict('SENSOR_EXISTS', 'A sensor with this id already exists');
        throw e;
      }
    },

    async deleteSensor(id: string): Promise<boolean> {
      const r = await db.deleteFrom('sensing_sensors').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    /** Matching sensors ordered by id; all of them when no page is given. */
    async searchSensors(f: SensorFilter, page?: { limit: number; offset: number }): Promise<{ rows: SensorEntry[]; total: number }> {
      const base = db.selectFrom('sensing_sensors').where((eb) => {
        const c = sensorConditions(eb, f);
        return c.length ? eb.and(c) : sql<SqlBool>`1 = 1`;
      });
      let q = base.selectAll().orderBy('id');
      if (page) q = q.limit(page.limit).offset(page.offset);
      const rows = (await q.execute()).map(rowToSensor);
      if (!page) return { rows, total: rows.length };
      const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return { rows, total: Number(count.n) };
    },

    async insertDevice(d: Device): Promise<void> {
      try {
        await db.insertInto('sensing_devices').values(deviceRow(d)).execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict('DEVICE_EXISTS', `Device ${d.id} already exists; update it with PATCH /api/v1/devices/${d.id} or choose another id`);
        throw e;
      }
    },

    async updateDevice(d: Device): Promise<void> {
      const { id: _id, created_at: _c, ...rest } = deviceRow(d);
      await db.updateTable('sensing_devices').set(rest).where('id', '=', d.id).execute();
    },

    async getDevice(id: string): Promise<Device | null> {
      const r = await db.selectFrom('sensing_devices').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? rowToDevice(r) : null;
    },

    /** Which of these device ids exist. */
    async existingDeviceIds(ids: string[]): Promise<Set<string>> {
      const out = new Set<string>();
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db.selectFrom('sensing_devices').select('id').where('id', 'in', part).execute();
        for (const r of rows) out.add(r.id);
      }
      return out;
    },

    async countSensorsOfDevice(id: string): Promise<number> {
      const r = await db.selectFrom('sensing_sensors').select((eb) => eb.fn.countAll<number>().as('n')).where('device_id', '=', id).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async deleteDevice(id: string): Promise<boolean> {
      const r = await db.deleteFrom('sensing_devices').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async listDevices(f: DeviceFilter): Promise<{ rows: Device[]; total: number }> {
      const base = db.selectFrom('sensing_devices').where((eb) => {
        const c: Expression<SqlBool>[] = [];
        if (f.kind) c.push(eb('kind', '=', f.kind));
        if (f.department) c.push(eb('department', '=', f.department));
        if (f.q) c.push(sql<SqlBool>`lower(${eb.ref('name')}) LIKE ${'%' + likeEscape(f.q.toLowerCase()) + '%'} ESCAPE '!'`);
        return c.length ? eb.and(c) : sql<SqlBool>`1 = 1`;
      });
      const rows = await base.selectAll().orderBy('id').limit(f.limit).offset(f.offset).execute();
      const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return { rows: rows.map(rowToDevice), total: Number(count.n) };
    },
  };
}

function deviceRow(d: Device): DeviceRow {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    lon: d.location.coordinates[0],
    lat: d.location.coordinates[1],
    department: d.department,
    org_unit_id: d.orgUnitId,
    created_at: d.createdAt,
  };
}
