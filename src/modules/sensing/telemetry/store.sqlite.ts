/**
 * Telemetry storage on SQLite through the raw better-sqlite3 handle: prepared
 * statements, multi-row inserts, synchronous transactions (nothing else runs
 * on the event loop meanwhile, so a transaction never interleaves with
 * another module's queries on the shared connection).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { ROLLUP_TARGETS, type Bucket, type InsertOutcome, type ReadingColumns, type RollupStep, type RollupTarget } from './types.js';
import { ROLLUP_TABLES, TIME_SLICE_MS as SLICE } from './schema.js';
import type { BucketRow, LatestRow, TelemetryStore } from './store.js';

/** Rows per multi-row INSERT (3 parameters each). */
const CHUNK = 128;

type Row = unknown[];

export function createSqliteTelemetryStore(db: BetterSqlite3.Database): TelemetryStore {
  const insertValues = (n: number) => Array.from({ length: n }, () => '(?,?,?)').join(',');
  const insertMany = db.prepare(`INSERT OR IGNORE INTO telemetry_readings (sensor_key, ts, value) VALUES ${insertValues(CHUNK)}`);
  const insertOne = db.prepare('INSERT OR IGNORE INTO telemetry_readings (sensor_key, ts, value) VALUES (?,?,?)');
  const lastSeq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'telemetry_readings'").pluck();
  const insertedSince = db.prepare('SELECT sensor_key, ts FROM telemetry_readings WHERE seq > ?').raw();
  const params: number[] = new Array<number>(CHUNK * 3).fill(0);

  const seqNow = (): number => (lastSeq.get() as number | undefined) ?? 0;

  function insertBatch(c: ReadingColumns): InsertOutcome {
    const before = seqNow();
    let changes = 0;
    let i = 0;
    for (; i + CHUNK <= c.n; i += CHUNK) {
      for (let j = 0, p = 0; j < CHUNK; j++) {
        params[p++] = c.keys[i + j]!;
        params[p++] = c.ts[i + j]!;
        params[p++] = c.values[i + j]!;
      }
      changes += insertMany.run(params).changes;
    }
    for (; i < c.n; i++) changes += insertOne.run(c.keys[i], c.ts[i], c.values[i]).changes;
    if (changes === c.n) return { inserted: changes };
    // Some were already stored: the rows this batch added are exactly those after `before` (one writer).
    const fresh = new Map<string, number>();
    for (const [k, ts] of insertedSince.all(before) as Array<[number, number]>) fresh.set(`${k}:${ts}`, 1);
    const mask = new Uint8Array(c.n);
    for (let j = 0; j < c.n; j++) {
      const id = `${c.keys[j]}:${c.ts[j]}`;
      if (fresh.get(id) === 1) {
        mask[j] = 1;
        fresh.set(id, 0); // a second copy within the batch is a duplicate
      }
    }
    return { inserted: changes, insertedMask: mask };
  }

  const tx = <T>(fn: () => T): T => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      db.exec('COMMIT');
      return out;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  };

  const rawSeries = db.prepare(`WITH RECURSIVE s(b) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT b + 1 FROM s WHERE b < ?)
    SELECT r.ts, r.value FROM s CROSS JOIN telemetry_readings r ON r.ts / ${SLICE} = s.b AND r.sensor_key = ?
    WHERE r.ts >= ? AND r.ts < ? LIMIT ?`).raw();
  const rollupSeries = Object.fromEntries(Object.entries(ROLLUP_TABLES).map(([step, t]) => [step, db.prepare(
    `SELECT bucket_start, vmin, vmax, vsum, vcount FROM ${t} WHERE sensor_key = ? AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start LIMIT ?`,
  ).raw()])) as Record<RollupStep, BetterSqlite3.Statement>;
  // seq > ? walks only the rows stored since the last rollup (the rowid range); the time columns are filters.
  // better-sqlite3 binds every JS number as REAL, so integer arithmetic needs literal (or CAST) operands.
  const pending = new Map<number, BetterSqlite3.Statement>();
  const pendingFor = (stepMs: number): BetterSqlite3.Statement => {
    let st = pending.get(stepMs);
    if (!st) {
      const step = Math.trunc(stepMs);
      st = db.prepare(`SELECT (ts / ${step}) * ${step} AS b, min(value), max(value), sum(value), count(*) FROM telemetry_readings
        WHERE seq > ? AND +ts >= ? AND +ts < ? AND +sensor_key IN (SELECT value FROM json_each(?)) GROUP BY b ORDER BY b`).raw();
      pending.set(stepMs, st);
    }
    return st;
  };
  const aggregate = Object.fromEntries(Object.entries(ROLLUP_TABLES).map(([step, t]) => [step, db.prepare(
    `SELECT bucket_start, min(vmin), max(vmax), sum(vsum), sum(vcount) FROM ${t}
     WHERE sensor_key IN (SELECT value FROM json_each(?)) AND bucket_start >= ? AND bucket_start < ? GROUP BY bucket_start ORDER BY bucket_start`,
  ).raw()])) as Record<RollupStep, BetterSqlite3.Statement>;
  const getWatermark = db.prepare('SELECT value FROM telemetry_state WHERE name = ?').pluck();
  const setWatermark = db.prepare('UPDATE telemetry_state SET value = ? WHERE name = ?');
  const watermarkOf = (t: RollupTarget): number => (getWatermark.get(`watermark_${t}`) as number | undefined) ?? 0;
  const latestSnapshot = db.prepare('SELECT sensor_key, ts, value FROM telemetry_latest').raw();
  // One max() aggregate: SQLite takes the bare column (value) from the row holding the max.
  const latestSince = db.prepare('SELECT sensor_key, max(ts), value FROM telemetry_readings WHERE seq > ? AND seq <= ? GROUP BY sensor_key').raw();
  const minutes = db.prepare(`SELECT sensor_key, ts / 60000, min(value), max(value), sum(value), count(*) FROM telemetry_readings
    WHERE seq > ? AND seq <= ? GROUP BY sensor_key, ts / 60000`).raw();
  const upsert = Object.fromEntries(Object.entries(ROLLUP_TABLES).map(([step, t]) => [step, db.prepare(
    `INSERT INTO ${t} (sensor_key, bucket_start, vmin, vmax, vsum, vcount) VALUES (?,?,?,?,?,?)
     ON CONFLICT (sensor_key, bucket_start) DO UPDATE SET vmin = min(vmin, excluded.vmin), vmax = max(vmax, excluded.vmax),
       vsum = vsum + excluded.vsum, vcount = vcount + excluded.vcount`,
  )])) as Record<RollupStep, BetterSqlite3.Statement>;
  const upsertLatest = db.prepare(`INSERT INTO telemetry_latest (sensor_key, ts, value) VALUES (?,?,?)
    ON CONFLICT (sensor_key) DO UPDATE SET ts = excluded.ts, value = excluded.value WHERE excluded.ts > telemetry_latest.ts`);
  const deleteRawKeys = db.prepare(`DELETE FROM telemetry_readings WHERE seq IN (SELECT seq FROM telemetry_readings
    WHERE ts / ${SLICE} < ? AND ts < ? AND sensor_key IN (SELECT value FROM json_each(?)) AND +seq <= ? LIMIT ?)`);
  const deleteRawAll = db.prepare(`DELETE FROM telemetry_readings WHERE seq IN (SELECT seq FROM telemetry_readings
    WHERE ts / ${SLICE} < ? AND ts < ? AND +seq <= ? LIMIT ?)`);
  const deleteRollup = Object.fromEntries(Object.entries(ROLLUP_TABLES).map(([step, t]) => [step, db.prepare(
    `DELETE FROM ${t} WHERE sensor_key IN (SELECT value FROM json_each(?)) AND bucket_start < ?`,
  )])) as Record<RollupStep, BetterSqlite3.Statement>;

  const toBucketRows = (rows: Row[]): BucketRow[] =>
    rows.map((r) => ({ start: r[0] as number, min: r[1] as number, max: r[2] as number, sum: r[3] as number, count: r[4] as number }));

  return {
    dialect: 'sqlite',
    insert: (batches) => tx(() => batches.map(insertBatch)),
    busy: () => db.inTransaction,

    async rawSeries(key, from, to, limit) {
      const rows = rawSeries.all(Math.floor(from / SLICE), Math.floor((to - 1) / SLICE), key, from, to, limit) as Array<[number, number]>;
      const out = rows.map(([ts, value]) => ({ ts, value }));
      return out.sort((a, b) => a.ts - b.ts);
    },
    async rollupSeries(step, key, from, to, limit) {
      return toBucketRows(rollupSeries[step].all(key, from, to, limit) as Row[]);
    },
    async pendingSeries(stepMs, keys, from, to, watermark) {
      if (keys.length === 0) return [];
      return toBucketRows(pendingFor(stepMs).all(watermark, from, to, JSON.stringify(keys)) as Row[]);
    },
    async aggregate(step, keys, from, to) {
      if (keys.length === 0) return [];
      return toBucketRows(aggregate[step].all(JSON.stringify(keys), from, to) as Row[]);
    },

    watermark: async (t) => watermarkOf(t),
    watermarks: async () => Object.fromEntries(ROLLUP_TARGETS.map((t) => [t, watermarkOf(t)])) as Record<RollupTarget, number>,
    maxSeq: async () => seqNow(),
    currentSeq: seqNow,
    async loadLatest() {
      const out = new Map<number, LatestRow>();
      const take = (rows: Row[]) => {
        for (const [k, ts, value] of rows as Array<[number, number, number]>) {
          const cur = out.get(k);
          if (!cur || ts > cur.ts) out.set(k, { sensorKey: k, ts, value });
        }
      };
      take(latestSnapshot.all() as Row[]);
      take(latestSince.all(watermarkOf('latest'), Number.MAX_SAFE_INTEGER) as Row[]);
      return [...out.values()];
    },

    async readChunk(fromSeq, toSeq) {
      const m = (minutes.all(fromSeq, toSeq) as Array<[number, number, number, number, number, number]>).map(
        ([sensorKey, minute, min, max, sum, count]): Bucket => ({ sensorKey, start: minute * 60_000, min, max, sum, count }),
      );
      const latest = (latestSince.all(fromSeq, toSeq) as Array<[number, number, number]>).map(([sensorKey, ts, value]) => ({ sensorKey, ts, value }));
      return { minutes: m, latest };
    },
    async applyRollup(expected, next, delta) {
      return tx(() => {
        if (watermarkOf(delta.target) !== expected) return false;
        if (delta.target === 'latest') for (const l of delta.rows) upsertLatest.run(l.sensorKey, l.ts, l.value);
        else {
          const st = upsert[delta.target];
          for (const b of delta.rows) st.run(b.sensorKey, b.start, b.min, b.max, b.sum, b.count);
        }
        setWatermark.run(next, `watermark_${delta.target}`);
        return true;
      });
    },

    async deleteRaw(keys, before, maxSeq, limit) {
      const sec = Math.ceil(before / SLICE);
      return tx(() => (keys ? deleteRawKeys.run(sec, before, JSON.stringify(keys), maxSeq, limit) : deleteRawAll.run(sec, before, maxSeq, limit)).changes);
    },
    async deleteRollups(step, keys, before) {
      if (keys.length === 0) return 0;
      return tx(() => deleteRollup[step].run(JSON.stringify(keys), before).changes);
    },
  };
}
