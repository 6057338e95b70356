/**
 * Telemetry storage on PostgreSQL through the raw pg pool: multi-row inserts
 * over unnest arrays with ON CONFLICT DO NOTHING, rollup upserts the same
 * way, and each rollup watermark row locked FOR UPDATE so several CityOps
 * processes never merge the same readings twice.
 */
import type pg from 'pg';
import { ROLLUP_TARGETS, type Bucket, type InsertOutcome, type ReadingColumns, type RollupTarget } from './types.js';
import { ROLLUP_TABLES } from './schema.js';
import type { BucketRow, LatestRow, TelemetryStore } from './store.js';

const INSERT = `WITH ins AS (
  INSERT INTO telemetry_readings (sensor_key, ts, value)
  SELECT * FROM unnest($1::int[], $2::bigint[], $3::float8[])
  ON CONFLICT DO NOTHING RETURNING sensor_key, ts)
SELECT count(*)::int AS n,
  CASE WHEN count(*) < $4 THEN array_agg(sensor_key) END AS keys,
  CASE WHEN count(*) < $4 THEN array_agg(ts) END AS tss
FROM ins`;

const num = (v: unknown): number => Number(v);

function bucketRows(rows: Array<Record<string, unknown>>): BucketRow[] {
  return rows.map((r) => ({ start: num(r.b), min: num(r.mn), max: num(r.mx), sum: num(r.sm), count: num(r.ct) }));
}

export function createPgTelemetryStore(pool: pg.Pool): TelemetryStore {
  async function inTx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async function insertBatch(c: pg.PoolClient, b: ReadingColumns): Promise<InsertOutcome> {
    const keys = Array.from(b.keys.subarray(0, b.n));
    const ts = Array.from(b.ts.subarray(0, b.n));
    const values = Array.from(b.values.subarray(0, b.n));
    const r = await c.query<{ n: number; keys: number[] | null; tss: Array<number | string> | null }>(INSERT, [keys, ts, values, b.n]);
    const row = r.rows[0]!;
    if (row.n === b.n || !row.keys || !row.tss) return { inserted: row.n };
    const fresh = new Map<string, number>();
    for (let i = 0; i < row.keys.length; i++) fresh.set(`${row.keys[i]}:${Number(row.tss[i])}`, 1);
    const mask = new Uint8Array(b.n);
    for (let j = 0; j < b.n; j++) {
      const id = `${keys[j]}:${ts[j]}`;
      if (fresh.get(id) === 1) {
        mask[j] = 1;
        fresh.set(id, 0);
      }
    }
    return { inserted: row.n, insertedMask: mask };
  }

  const upsertSql = (t: string) => `INSERT INTO ${t} (sensor_key, bucket_start, vmin, vmax, vsum, vcount)
    SELECT * FROM unnest($1::int[], $2::bigint[], $3::float8[], $4::float8[], $5::float8[], $6::bigint[])
    ON CONFLICT (sensor_key, bucket_start) DO UPDATE SET vmin = LEAST(${t}.vmin, excluded.vmin), vmax = GREATEST(${t}.vmax, excluded.vmax),
      vsum = ${t}.vsum + excluded.vsum, vcount = ${t}.vcount + excluded.vcount`;

  const latestSince = `SELECT DISTINCT ON (sensor_key) sensor_key, ts, value FROM telemetry_readings
    WHERE seq > $1 AND seq <= $2 ORDER BY sensor_key, ts DESC`;
  const toLatest = (rows: Array<Record<string, unknown>>): LatestRow[] => rows.map((r) => ({ sensorKey: num(r.sensor_key), ts: num(r.ts), value: num(r.value) }));

  async function watermark(t: RollupTarget): Promise<number> {
    const r = await pool.query('SELECT value FROM telemetry_state WHERE name = $1', [`watermark_${t}`]);
    return num(r.rows[0]?.value ?? 0);
  }

  return {
    dialect: 'postgres',
    insert: (batches) =>
      inTx(async (c) => {
        const out: InsertOutcome[] = [];
        for (const b of batches) out.push(await insertBatch(c, b));
        return out;
      }),
    busy: () => false,

    async rawSeries(key, from, to, limit) {
      const r = await pool.query('SELECT ts, value FROM telemetry_readings WHERE sensor_key = $1 AND ts >= $2 AND ts < $3 ORDER BY ts LIMIT $4', [key, from, to, limit]);
      return r.rows.map((x: Record<string, unknown>) => ({ ts: num(x.ts), value: num(x.value) }));
    },
    async rollupSeries(step, key, from, to, limit) {
      const r = await pool.query(
        `SELECT bucket_start AS b, vmin AS mn, vmax AS mx, vsum AS sm, vcount AS ct FROM ${ROLLUP_TABLES[step]}
         WHERE sensor_key = $1 AND bucket_start >= $2 AND bucket_start < $3 ORDER BY bucket_start LIMIT $4`,
        [key, from, to, limit],
      );
      return bucketRows(r.rows);
    },
    async pendingSeries(stepMs, keys, from, to, watermark) {
      if (keys.length === 0) return [];
      const r = await pool.query(
        `SELECT (ts / $1) * $1 AS b, min(value) AS mn, max(value) AS mx, sum(value) AS sm, count(*) AS ct FROM telemetry_readings
         WHERE seq > $2 AND ts >= $3 AND ts < $4 AND sensor_key = ANY($5::int[]) GROUP BY 1 ORDER BY 1`,
        [Math.trunc(stepMs), watermark, from, to, keys],
      );
      return bucketRows(r.rows);
    },
    async aggregate(step, keys, from, to) {
      if (keys.length === 0) return [];
      const r = await pool.query(
        `SELECT bucket_start AS b, min(vmin) AS mn, max(vmax) AS mx, sum(vsum) AS sm, sum(vcount) AS ct FROM ${ROLLUP_TABLES[step]}
         WHERE sensor_key IN (SELECT unnest($1::int[])) AND bucket_start >= $2 AND bucket_start < $3 GROUP BY 1 ORDER BY 1`,
        [keys, from, to],
      );
      return bucketRows(r.rows);
    },

    watermark,
    async watermarks() {
      const r = await pool.query("SELECT name, value FROM telemetry_state WHERE name LIKE 'watermark_%'");
      const out = Object.fromEntries(ROLLUP_TARGETS.map((t) => [t, 0])) as Record<RollupTarget, number>;
      for (const row of r.rows as Array<{ name: string; value: unknown }>) out[row.name.slice('watermark_'.length) as RollupTarget] = num(row.value);
      return out;
    },
    async maxSeq() {
      // The sequence may be ahead of committed rows; a rollup of a range holding an uncommitted row would miss it, so use committed rows.
      const r = await pool.query('SELECT coalesce(max(seq), 0) AS s FROM telemetry_readings');
      return num(r.rows[0]?.s ?? 0);
    },
    async loadLatest() {
      const out = new Map<number, LatestRow>();
      const take = (rows: LatestRow[]) => {
        for (const l of rows) {
          const cur = out.get(l.sensorKey);
          if (!cur || l.ts > cur.ts) out.set(l.sensorKey, l);
        }
      };
      take(toLatest((await pool.query('SELECT sensor_key, ts, value FROM telemetry_latest')).rows));
      const w = await watermark('latest');
      take(toLatest((await pool.query(latestSince, [w, Number.MAX_SAFE_INTEGER])).rows));
      return [...out.values()];
    },

    async readChunk(fromSeq, toSeq) {
      const m = await pool.query(
        `SELECT sensor_key, (ts / 60000) * 60000 AS b, min(value) AS mn, max(value) AS mx, sum(value) AS sm, count(*) AS ct
         FROM telemetry_readings WHERE seq > $1 AND seq <= $2 GROUP BY 1, 2`,
        [fromSeq, toSeq],
      );
      const minutes: Bucket[] = m.rows.map((r: Record<string, unknown>) => ({ sensorKey: num(r.sensor_key), start: num(r.b), min: num(r.mn), max: num(r.mx), sum: num(r.sm), count: num(r.ct) }));
      const latest = toLatest((await pool.query(latestSince, [fromSeq, toSeq])).rows);
      return { minutes, latest };
    },
    async applyRollup(expected, next, delta) {
      return inTx(async (c) => {
        const name = `watermark_${delta.target}`;
        const cur = await c.query('SELECT value FROM telemetry_state WHERE name = $1 FOR UPDATE', [name]);
        if (num(cur.rows[0]?.value ?? 0) !== expected) return false;
        if (delta.target === 'latest') {
          const l = delta.rows;
          if (l.length) {
            await c.query(
              `INSERT INTO telemetry_latest (sensor_key, ts, value) SELECT * FROM unnest($1::int[], $2::bigint[], $3::float8[])
               ON CONFLICT (sensor_key) DO UPDATE SET ts = excluded.ts, value = excluded.value WHERE excluded.ts > telemetry_latest.ts`,
              [l.map((x) => x.sensorKey), l.map((x) => x.ts), l.map((x) => x.value)],
            );
          }
        } else if (delta.rows.length) {
          const b = delta.rows;
          await c.query(upsertSql(ROLLUP_TABLES[delta.target]), [
            b.map((x) => x.sensorKey), b.map((x) => x.start), b.map((x) => x.min), b.map((x) => x.max), b.map((x) => x.sum), b.map((x) => x.count),
          ]);
        }
        await c.query('UPDATE telemetry_state SET value = $1 WHERE name = $2', [next, name]);
        return true;
      });
    },

    async deleteRaw(keys, before, maxSeq, limit) {
      // Rows of sensors the registry no longer knows are left to an operator on PostgreSQL: finding them needs a full scan.
      if (!keys) return 0;
      const r = await pool.query(
        `DELETE FROM telemetry_readings WHERE seq IN (SELECT seq FROM telemetry_readings
         WHERE sensor_key = ANY($1::int[]) AND ts < $2 AND seq <= $3 LIMIT $4)`,
        [keys, before, maxSeq, limit],
      );
      return r.rowCount ?? 0;
    },
    async deleteRollups(step, keys, before) {
      if (keys.length === 0) return 0;
      const r = await pool.query(`DELETE FROM ${ROLLUP_TABLES[step]} WHERE sensor_key = ANY($1::int[]) AND bucket_start < $2`, [keys, before]);
      return r.rowCount ?? 0;
    },
  };
}
