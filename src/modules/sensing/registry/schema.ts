/** The registry's tables (sensing_devices, sensing_sensors, sensing_sensor_keys) and their migrations. */
import { sql } from 'kysely';
import { bigintType, doubleType, type Migration } from '../../../platform/db/index.js';

export interface DeviceRow {
  id: string;
  name: string;
  kind: string;
  lon: number;
  lat: number;
  department: string | null;
  org_unit_id: string | null;
  created_at: number;
}

export interface SensorRow {
  key: number;
  id: string;
  device_id: string | null;
  name: string;
  class: string;
  metric: string;
  unit: string;
  lon: number;
  lat: number;
  department: string | null;
  org_unit_id: string | null;
  org_path: string | null;
  expected_interval_s: number;
  min: number;
  max: number;
  /** JSON {"warn"?, "alarm"?} or null. */
  thresholds: string | null;
  state: string;
  created_at: number;
  updated_at: number;
}

/**
 * Every sensor id ever registered and its telemetry key. Rows are never
 * deleted, so a key is never reused for another sensor and a sensor that is
 * deleted and registered again gets its old key back.
 */
export interface SensorKeyRow {
  id: string;
  key: number;
}

export interface RegistryTables {
  sensing_devices: DeviceRow;
  sensing_sensors: SensorRow;
  sensing_sensor_keys: SensorKeyRow;
}

export const migrations: Migration[] = [
  {
    name: 'sensing_registry_001_devices_sensors',
    async up(db, dialect) {
      const big = sql.raw(bigintType(dialect));
      const dbl = sql.raw(doubleType(dialect));
      await db.schema
        .createTable('sensing_devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('lon', dbl, (c) => c.notNull())
        .addColumn('lat', dbl, (c) => c.notNull())
        .addColumn('department', 'text')
        .addColumn('org_unit_id', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sensing_sensor_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key', 'integer', (c) => c.notNull().unique())
        .execute();
      await db.schema
        .createTable('sensing_sensors')
        .addColumn('key', 'integer', (c) => c.notNull().unique())
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('device_id', 'text', (c) => c.references('sensing_devices.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('class', 'text', (c) => c.notNull())
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('lon', dbl, (c) => c.notNull())
        .addColumn('lat', dbl, (c) => c.notNull())
        .addColumn('department', 'text')
        .addColumn('org_unit_id', 'text')
        .addColumn('org_path', 'text')
        .addColumn('expected_interval_s', 'integer', (c) => c.notNull())
        .addColumn('min', dbl, (c) => c.notNull())
        .addColumn('max', dbl, (c) => c.notNull())
        .addColumn('thresholds', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      for (const col of ['class', 'org_path', 'state', 'department', 'device_id']) {
        await db.schema.createIndex(`sensing_sensors_${col}_idx`).on('sensing_sensors').column(col).execute();
      }
      await db.schema.createIndex('sensing_devices_kind_idx').on('sensing_devices').column('kind').execute();
    },
  },
];
