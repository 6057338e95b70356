/**
 * Telemetry tables and their migrations (both dialects).
 *
 * Tables:
 * - telemetry_readings(seq, sensor_key, ts, value): raw readings; seq is
 *   monotonic (rollups follow it with a watermark); (sensor_key, ts) is
 *   unique so a retried reading is stored once.
 * - telemetry_rollup_1m/1h/1d(sensor_key, bucket_start, vmin, vmax, vsum, vcount).
 * - telemetry_latest(sensor_key, ts, value): latest reading per sensor as of the rollup watermark.
 * - telemetry_state(name, value): per rollup table and for the latest
 *   snapshot, the seq up to which it includes raw rows (each moves in its own
 *   transaction, so no single commit blocks the event loop for long).
 *
 * SQLite's unique index leads with a quarter-second slice of time
 * (ts / 250), then the sensor: an index led by the sensor takes its writes on
 * one page per sensor, so every commit of a 10,000-sensor batch rewrote
 * ~10,000 pages (measured ~5 µs per reading, most of it WAL traffic); led by
 * a short time slice, a commit touches only the pages of the current slice
 * (~1 µs per reading), and a sensor's history is still found with one index
 * seek per slice of the queried range.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect, Migration } from '../../../platform/db/index.js';
import type { RollupStep } from './types.js';

/** Width of the time slice leading SQLite's unique index, ms (see above). */
export const TIME_SLICE_MS = 250;

export const ROLLUP_TABLES: Record<RollupStep, string> = { '1m': 'telemetry_rollup_1m', '1h': 'telemetry_rollup_1h', '1d': 'telemetry_rollup_1d' };

async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`CREATE TABLE telemetry_readings (seq INTEGER PRIMARY KEY AUTOINCREMENT, sensor_key INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL)`.execute(db);
    await sql.raw(`CREATE UNIQUE INDEX telemetry_readings_slice_sensor_ts ON telemetry_readings (ts / ${TIME_SLICE_MS}, sensor_key, ts)`).execute(db);
    for (const t of Object.values(ROLLUP_TABLES)) {
      await sql`CREATE TABLE ${sql.table(t)} (sensor_key INTEGER NOT NULL, bucket_start INTEGER NOT NULL, vmin REAL NOT NULL, vmax REAL NOT NULL, vsum REAL NOT NULL, vcount INTEGER NOT NULL, PRIMARY KEY (sensor_key, bucket_start)) WITHOUT ROWID`.execute(db);
    }
    await sql`CREATE TABLE telemetry_latest (sensor_key INTEGER PRIMARY KEY, ts INTEGER NOT NULL, value REAL NOT NULL)`.execute(db);
  } else {
    await sql`CREATE TABLE telemetry_readings (seq BIGSERIAL PRIMARY KEY, sensor_key INTEGER NOT NULL, ts BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL)`.execute(db);
    await sql`CREATE UNIQUE INDEX telemetry_readings_sensor_ts ON telemetry_readings (sensor_key, ts)`.execute(db);
    for (const t of Object.values(ROLLUP_TABLES)) {
      await sql`CREATE TABLE ${sql.table(t)} (sensor_key INTEGER NOT NULL, bucket_start BIGINT NOT NULL, vmin DOUBLE PRECISION NOT NULL, vmax DOUBLE PRECISION NOT NULL, vsum DOUBLE PRECISION NOT NULL, vcount BIGINT NOT NULL, PRIMARY KEY (sensor_key, bucket_start))`.execute(db);
    }
    await sql`CREATE TABLE telemetry_latest (sensor_key INTEGER PRIMARY KEY, ts BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL)`.execute(db);
  }
  await sql`CREATE TABLE telemetry_state (name VARCHAR(64) PRIMARY KEY, value BIGINT NOT NULL)`.execute(db);
  for (const target of ['1m', '1h', '1d', 'latest']) await sql`INSERT INTO telemetry_state (name, value) VALUES (${`watermark_${target}`}, 0)`.execute(db);
}

export const migrations: Migration[] = [{ name: 'sensing_telemetry_001_readings', up }];
