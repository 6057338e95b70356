/**
 * Telemetry storage (SPEC S3): the one interface both dialects implement
 * (tables and migrations are in schema.ts). Telemetry is the hot path, so
 * the implementations use the raw drivers (better-sqlite3 statements, pg
 * multi-row inserts over unnest arrays) rather than Kysely.
 */
import type { Database, Dialect } from '../../../platform/db/index.js';
import type { Bucket, InsertOutcome, RawPoint, ReadingColumns, RollupStep, RollupTarget } from './types.js';
import { createSqliteTelemetryStore } from './store.sqlite.js';
import { createPgTelemetryStore } from './store.pg.js';

export { migrations, ROLLUP_TABLES, TIME_SLICE_MS } from './schema.js';

export type BucketRow = Omit<Bucket, 'sensorKey'>;

export interface LatestRow {
  sensorKey: number;
  ts: number;
  value: number;
}

/** Rows to merge into one target: buckets for a rollup table, readings for the latest snapshot. */
export type TargetRows = { target: RollupStep; rows: Bucket[] } | { target: 'latest'; rows: LatestRow[] };

export interface TelemetryStore {
  dialect: Dialect;
  /** Store many batches in ONE transaction; one outcome per batch. Throws when the store refuses. */
  insert(batches: readonly ReadingColumns[]): InsertOutcome[] | Promise<InsertOutcome[]>;
  /** True while the shared write connection is inside another module's transaction (SQLite): wait, do not join it. */
  busy(): boolean;

  rawSeries(key: number, from: number, to: number, limit: number): Promise<RawPoint[]>;
  rollupSeries(step: RollupStep, key: number, from: number, to: number, limit: number): Promise<BucketRow[]>;
  /** Readings not yet rolled up (seq > watermark), aggregated per bucket across the given sensors. */
  pendingSeries(stepMs: number, keys: readonly number[], from: number, to: number, watermark: number): Promise<BucketRow[]>;
  /** Stored rollups aggregated per bucket across the given sensors. */
  aggregate(step: RollupStep, keys: readonly number[], from: number, to: number): Promise<BucketRow[]>;

  watermark(target: RollupTarget): Promise<number>;
  watermarks(): Promise<Record<RollupTarget, number>>;
  maxSeq(): Promise<number>;
  /**
   * SQLite only: the last seq, read synchronously. With one writer in this
   * process, the rows of each commit are exactly the seqs it moved this past,
   * so rollups can be fed from memory instead of re-reading the rows.
   */
  currentSeq?(): number;
  /** Snapshot of latest values plus anything newer that was stored after its watermark. */
  loadLatest(): Promise<LatestRow[]>;

  /** Minute buckets and latest values of raw rows with fromSeq < seq <= toSeq (catch-up after a restart; PostgreSQL always). */
  readChunk(fromSeq: number, toSeq: number): Promise<{ minutes: Bucket[]; latest: LatestRow[] }>;
  /** Merge rows into one target and move its watermark from `expected` to `next`, atomically; false if the watermark was not `expected`. */
  applyRollup(expected: number, next: number, delta: TargetRows): Promise<boolean>;

  /** Delete up to `limit` raw rows older than `before` (of these sensors, or any when null) that are already rolled up. */
  deleteRaw(keys: readonly number[] | null, before: number, maxSeq: number, limit: number): Promise<number>;
  deleteRollups(step: RollupStep, keys: readonly number[], before: number): Promise<number>;
}

export function createTelemetryStore(database: Database): TelemetryStore {
  if (database.dialect === 'sqlite') {
    if (!database.sqlite) throw new Error('telemetry needs the raw SQLite handle');
    return createSqliteTelemetryStore(database.sqlite);
  }
  if (!database.pgPool) throw new Error('telemetry needs the raw PostgreSQL pool');
  return createPgTelemetryStore(database.pgPool);
}

