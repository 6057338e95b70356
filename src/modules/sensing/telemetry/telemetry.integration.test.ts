/**
 * Telemetry against real stores (a SQLite file, and the local PostgreSQL when
 * it answers): ingest → raw, rollups, aggregates and latest values;
 * duplicates stored once; late data; retention; restart; backpressure.
 * The sensor directory is a small in-memory one (the registry is not under test).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.js';
import type { AuditLog } from '../../../platform/audit/types.js';
import type { Principal } from '../../../platform/auth/roles.js';
import { createMemoryBus } from '../../../platform/bus/memory.js';
import { ManualClock } from '../../../platform/clock.js';
import { migrate, openDatabase, type Database } from '../../../platform/db/index.js';
import { isAppError } from '../../../platform/errors.js';
import { createHttpApp } from '../../../platform/http/app.js';
import { serviceAvailable, TEST_PG_URL, uniqueName } from '../../../platform/testing/services.js';
import type { ReadingsIngestedPayload, SensorDirectory, SensorRef } from '../types.js';
import { createTelemetry } from './index.js';
import { createTelemetryStore } from './store.js';
import type { TelemetryOptions } from './types.js';

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const device: Principal = { kind: 'apikey', id: 'key_test', name: 'test', roles: ['device'] };

function memoryDirectory(refs: SensorRef[]): SensorDirectory & { refs: Map<string, SensorRef> } {
  const byId = new Map(refs.map((r) => [r.id, r]));
  const byKey = new Map(refs.map((r) => [r.key, r]));
  return {
    refs: byId,
    byId: (id) => byId.get(id),
    byKey: (k) => byKey.get(k),
    all: () => byId.values(),
    async provision(input) {
      const ref: SensorRef = { key: byKey.size + 100, id: input.id, class: input.class, metric: input.metric ?? 'level', min: -10, max: 50, orgPath: null, lon: input.lon ?? 0, lat: input.lat ?? 0 };
      byId.set(ref.id, ref);
      byKey.set(ref.key, ref);
      return ref;
    },
  };
}

const sensors: SensorRef[] = [
  { key: 1, id: 'wl-1', class: 'water_level', metric: 'level', min: -10, max: 50, orgPath: '/city/d1/s1/', lon: 1.52, lat: 42.5 },
  { key: 2, id: 'wl-2', class: 'water_level', metric: 'level', min: -10, max: 50, orgPath: '/city/d2/', lon: 1.6, lat: 42.55 },
  { key: 3, id: 'rain-1', class: 'rainfall', metric: 'intensity', min: 0, max: 300, orgPath: '/city/d1/', lon: 1.5, lat: 42.51 },
  { key: 4, id: 'sos-1', class: 'sos', metric: 'alert', min: 0, max: 1, orgPath: '/city/d1/', lon: 1.5, lat: 42.51 },
];

type Opened = { database: Database; cleanup(): Promise<void> };

async function openSqlite(): Promise<Opened> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-telemetry-'));
  const database = await openDatabase({ sqlitePath: path.join(dir, 'cityops.db') });
  return { database, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function openPg(schema = uniqueName('tel')): Promise<Opened> {
  const database = await openDatabase({ databaseUrl: TEST_PG_URL, pgSchema: schema });
  return {
    database,
    cleanup: async () => {
      const d = await openDatabase({ databaseUrl: TEST_PG_URL });
      await d.pgPool!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await d.close();
    },
  };
}

async function build(database: Database, clock: ManualClock, opts: Partial<TelemetryOptions> = {}, directory = memoryDirectory(sensors)) {
  const bus = createMemoryBus({ clock });
  const config = loadConfig({}, { logLevel: 'silent', maxBatchReadings: 1000 });
  const t = createTelemetry({ config, database, bus, clock, log: pino({ level: 'silent' }), audit: {} as AuditLog, directory }, { rollupIntervalMs: 0, retentionIntervalMs: 0, ...opts });
  await migrate(database.db, database.dialect, t.migrations);
  await t.start();
  return { t, bus, directory };
}

const r = (sensor: string, ts: number, value: number) => ({ sensor, ts, value });

function suite(name: string, open: () => Promise<Opened>, gate: () => Promise<boolean>) {
  describe(name, () => {
    let up = true;
    const toClose: Array<() => Promise<void>> = [];
    beforeAll(async () => {
      up = await gate();
    });
    afterEach(async () => {
      for (const f of toClose.splice(0).reverse()) await f();
    });
    async function setup(opts: Partial<TelemetryOptions> = {}) {
      const o = await open();
      const clock = new ManualClock(T0);
      const built = await build(o.database, clock, opts);
      toClose.push(o.cleanup, () => o.database.close(), () => built.t.stop());
      return { ...built, clock, database: o.database, o };
    }

    it('stores a batch once: a retry counts as duplicates, and raw queries return it', async ({ skip }) => {
      if (!up) skip();
      const { t } = await setup();
      const batch = [r('wl-1', T0 - 3 * MIN, 1.5), r('wl-1', T0 - 2 * MIN, 2.5), r('wl-2', T0 - MIN, 3), r('wl-1', T0 - 2 * MIN, 9)];
      expect(await t.ingest(batch, device)).toEqual({ accepted: 3, duplicates: 1, rejected: [] });
      expect(await t.ingest(batch, device)).toEqual({ accepted: 0, duplicates: 4, rejected: [] });
      const res = await queries(t).series({ sensor: 'wl-1', from: String(T0 - 10 * MIN), to: String(T0), step: 'raw' });
      expect(res.points).toEqual([{ ts: T0 - 3 * MIN, value: 1.5 }, { ts: T0 - 2 * MIN, value: 2.5 }]);
      expect(t.latest.get(1)).toEqual({ ts: T0 - 2 * MIN, value: 2.5 });
    });

    it('rolls up into minutes, hours and days, merges late data, and answers before the rollup ran', async ({ skip }) => {
      if (!up) skip();
      const { t } = await setup();
      const hour = T0 - 2 * 3_600_000;
      const batch = [r('wl-1', hour + 10_000, 1), r('wl-1', hour + 20_000, 3), r('wl-1', hour + MIN + 1, 10), r('wl-1', hour + 3_600_000 + 5, 4), r('wl-2', hour + 30_000, 20)];
      await t.ingest(batch, device);
      const q = queries(t);
      const before = await q.series({ sensor: 'wl-1', from: String(hour), to: String(T0), step: '1m' });
      await t.rollupNow();
      const after = await q.series({ sensor: 'wl-1', from: String(hour), to: String(T0), step: '1m' });
      expect(after.points).toEqual(before.points);
      expect(after.points).toEqual([
        { ts: hour, min: 1, max: 3, avg: 2, count: 2 },
        { ts: hour + MIN, min: 10, max: 10, avg: 10, count: 1 },
        { ts: hour + 3_600_000, min: 4, max: 4, avg: 4, count: 1 },
      ]);
      // A late reading for an old minute, then a re-run: merged, not overwritten.
      await t.ingest([r('wl-1', hour + 50_000, -2)], device);
      await t.rollupNow();
      expect(await t.rollupNow()).toBeGreaterThan(0);
      const hours = await q.series({ sensor: 'wl-1', from: String(hour), to: String(T0), step: '1h' });
      expect(hours.points).toEqual([
        { ts: hour, min: -2, max: 10, avg: 3, count: 4 },
        { ts: hour + 3_600_000, min: 4, max: 4, avg: 4, count: 1 },
      ]);
      const days = await q.series({ sensor: 'wl-1', from: String(T0 - DAY), to: String(T0), step: '1d' });
      expect(days.points.reduce((s, p) => s + ('count' in p ? p.count : 0), 0)).toBe(5);
      const auto = await q.series({ sensor: 'wl-1', from: String(hour), to: String(T0) });
      expect(auto.step).toBe('raw');
    });

    it('keeps rollups exact across a restart: rows committed before it are read back, later ones fed from memory', async ({ skip }) => {
      if (!up) skip();
      const { t, database, clock } = await setup();
      const m = T0 - 10 * MIN;
      await t.ingest([r('wl-1', m, 1), r('wl-1', m + 1000, 2)], device);
      await t.rollupNow();
      await t.ingest([r('wl-1', m + 2000, 3)], device); // committed, not rolled up: lost from memory by the "crash"
      await t.flush();
      const again = await build(database, clock);
      toClose.push(() => again.t.stop());
      await again.t.ingest([r('wl-1', m + 3000, 4), r('wl-1', m + 3000, 4)], device);
      await again.t.rollupNow();
      await again.t.ingest([r('wl-1', m + 4000, 5)], device);
      await again.t.rollupNow();
      await t.rollupNow(); // the old instance's watermark is stale: it must not merge anything twice
      const res = await queries(again.t).series({ sensor: 'wl-1', from: String(m), to: String(T0), step: '1m' });
      expect(res.points).toEqual([{ ts: m, min: 1, max: 5, avg: 3, count: 5 }]);
    });

    it('finishes a rollup that a crash interrupted between its per-table transactions', async ({ skip }) => {
      if (!up) skip();
      const { t, database, clock } = await setup();
      const m = T0 - 10 * MIN;
      await t.ingest([r('wl-1', m, 1)], device);
      const s1 = await t.rollupNow();
      await t.ingest([r('wl-1', m + 1000, 3), r('wl-2', m, 8)], device);
      await t.flush();
      // The crash: only the minute table took the second batch before the process died.
      const store = createTelemetryStore(database);
      const s2 = await store.maxSeq();
      const chunk = await store.readChunk(s1, s2);
      expect(await store.applyRollup(s1, s2, { target: '1m', rows: chunk.minutes })).toBe(true);
      const again = await build(database, clock);
      toClose.push(() => again.t.stop());
      await again.t.rollupNow();
      expect(await store.watermarks()).toEqual({ '1m': s2, '1h': s2, '1d': s2, latest: s2 });
      for (const step of ['1m', '1h'] as const) {
        const res = await queries(again.t).series({ sensor: 'wl-1', from: String(m - 3_600_000), to: String(T0), step });
        expect(res.points.map((p) => ('count' in p ? [p.count, p.min, p.max] : []))).toEqual([[2, 1, 3]]);
      }
    });

    it('aggregates a class across an area', async ({ skip }) => {
      if (!up) skip();
      const { t } = await setup();
      const m = T0 - 30 * MIN;
      await t.ingest([r('wl-1', m + 1, 2), r('wl-2', m + 2, 6), r('rain-1', m + 3, 100), r('wl-1', m + MIN, 4)], device);
      await t.rollupNow();
      await t.ingest([r('wl-2', m + MIN + 5, 8)], device); // not rolled up yet
      const q = queries(t);
      const city = await q.aggregate({ class: 'water_level', from: String(m), to: String(T0), step: '1m' });
      expect(city.sensors).toBe(2);
      expect(city.buckets).toEqual([{ ts: m, min: 2, max: 6, avg: 4, count: 2 }, { ts: m + MIN, min: 4, max: 8, avg: 6, count: 2 }]);
      const d1 = await q.aggregate({ class: 'water_level', area: 'd1', from: String(m), to: String(T0), step: '1m' });
      expect(d1.sensors).toBe(1);
      expect(d1.buckets.map((b) => b.count)).toEqual([1, 1]);
      await expect(q.aggregate({ class: 'lava', from: String(m) })).rejects.toMatchObject({ code: 'UNKNOWN_CLASS' });
      await expect(q.series({ sensor: 'nope' })).rejects.toMatchObject({ status: 404, code: 'SENSOR_NOT_FOUND' });
      await expect(q.series({ sensor: 'wl-1', from: String(T0), to: String(T0 - 1) })).rejects.toMatchObject({ code: 'BAD_RANGE' });
      await expect(q.series({ sensor: 'wl-1', from: String(T0 - 3 * DAY), to: String(T0), step: 'raw' })).rejects.toMatchObject({ code: 'RANGE_TOO_LONG_FOR_RAW' });
    });

    it('keeps the latest value in memory, serves it as JSON and restores it after a restart', async ({ skip }) => {
      if (!up) skip();
      const { t, database, clock } = await setup();
      await t.ingest([r('wl-1', T0 - 5 * MIN, 1), r('wl-1', T0 - 9 * MIN, 7), r('rain-1', T0 - MIN, 12.5)], device);
      await t.rollupNow();
      await t.ingest([r('wl-2', T0 - 2 * MIN, 3.25), r('wl-1', T0 - 4 * MIN, 2)], device); // after the watermark
      expect(t.latest.get(1)).toEqual({ ts: T0 - 4 * MIN, value: 2 });
      const json = JSON.parse(queries(t).latestJson({ class: 'water_level' })) as { items: Array<{ sensor: string; ts: string | null; value: number | null }>; count: number };
      expect(json.count).toBe(2);
      expect(json.items.find((i) => i.sensor === 'wl-2')).toMatchObject({ ts: new Date(T0 - 2 * MIN).toISOString(), value: 3.25 });
      const none = JSON.parse(queries(t).latestJson({ bbox: '0,0,1,1' })) as { count: number };
      expect(none.count).toBe(0);
      await t.flush();
      const again = await build(database, clock);
      toClose.push(() => again.t.stop());
      expect(again.t.latest.get(1)).toEqual({ ts: T0 - 4 * MIN, value: 2 });
      expect(again.t.latest.get(2)).toEqual({ ts: T0 - 2 * MIN, value: 3.25 });
      expect(again.t.latest.get(3)).toEqual({ ts: T0 - MIN, value: 12.5 });
      expect(again.t.latest.get(4)).toBeUndefined();
    });

    it('publishes one ReadingsIngested event per commit with only the new readings', async ({ skip }) => {
      if (!up) skip();
      const { t, bus } = await setup();
      const seen: ReadingsIngestedPayload[] = [];
      await bus.subscribe('ReadingsIngested', (e) => void seen.push(e.payload));
      await t.ingest([r('wl-1', T0 - MIN, 1)], device);
      await Promise.all([t.ingest([r('wl-1', T0 - MIN, 1), r('wl-2', T0 - MIN, 2)], device), t.ingest([r('rain-1', T0, 3)], device)]);
      await bus.drain();
      expect(seen).toEqual([
        { sensorIds: ['wl-1'], ts: [T0 - MIN], values: [1] },
        { sensorIds: ['wl-2', 'rain-1'], ts: [T0 - MIN, T0], values: [2, 3] },
      ]);
    });

    it('deletes raw rows past their class retention once rolled up, and old rollups', async ({ skip }) => {
      if (!up) skip();
      const { t, clock } = await setup();
      await t.ingest([r('wl-1', T0 - 29 * DAY, 1), r('wl-1', T0 - DAY, 2), r('sos-1', T0 - 29 * DAY, 1)], device);
      clock.advance(2 * DAY); // wl-1's first reading is now 31 days old (raw kept 30); SOS keeps raw a year
      expect((await t.retentionNow()).raw).toBe(0); // not rolled up yet: kept
      await t.rollupNow();
      expect(await t.retentionNow()).toEqual({ raw: 1, rollups: 0 });
      const q = queries(t);
      const raw = await q.series({ sensor: 'wl-1', from: String(T0 - 30 * DAY), to: String(T0 - 6 * DAY), step: '1d' });
      expect(raw.points.map((p) => ('count' in p ? p.count : 0))).toEqual([1]); // the rollup stays
      clock.advance(90 * DAY);
      const res = await t.retentionNow();
      expect(res.raw).toBe(1); // wl-1's second reading
      expect(res.rollups).toBeGreaterThanOrEqual(2); // its minute buckets (kept 90 days)
      expect((await q.series({ sensor: 'sos-1', from: String(T0 - 30 * DAY), to: String(T0), step: 'raw' }).catch((e: unknown) => e))).toMatchObject({ code: 'RANGE_TOO_LONG_FOR_RAW' });
    });

    it('refuses new batches while the writer is too far behind, and flushes what it accepted on stop', async ({ skip }) => {
      if (!up) skip();
      const { t, database, clock } = await setup({ flushDelayMs: 60_000, flushRows: 1_000_000, maxQueuedRows: 10 });
      const first = t.ingest(Array.from({ length: 8 }, (_, i) => r('wl-1', T0 - i * 1000, i)), device);
      await new Promise((res) => setImmediate(res));
      const refused = await t.ingest(Array.from({ length: 5 }, (_, i) => r('wl-2', T0 - i * 1000, i)), device).catch((e: unknown) => e);
      expect(isAppError(refused) && refused.status === 503 && refused.code === 'SERVICE_BUSY').toBe(true);
      await t.stop();
      expect(await first).toEqual({ accepted: 8, duplicates: 0, rejected: [] });
      const again = await build(database, clock);
      toClose.push(() => again.t.stop());
      expect(again.t.latest.get(1)).toEqual({ ts: T0, value: 0 });
      await expect(t.ingest([r('wl-1', T0, 1)], device)).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
    });

    it('answers HTTP 503 with Retry-After while the writer is behind, and 200 once the batch it holds is stored', async ({ skip }) => {
      if (!up) skip();
      const { t } = await setup({ flushDelayMs: 60_000, flushRows: 1_000_000, maxQueuedRows: 10 });
      // Authentication is the auth module's business: here every caller is the test device.
      const { app } = await createHttpApp({ bodyLimitBytes: 1 << 20, logLevel: 'silent', version: 'test', authenticator: { authenticate: async () => device } });
      await t.registerRoutes(app);
      await app.ready();
      toClose.push(() => app.close());
      const post = (rows: unknown[]) => app.inject({ method: 'POST', url: '/api/v1/readings', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(rows) });
      const first = post(Array.from({ length: 10 }, (_, i) => r('wl-1', T0 - i * 1000, i)));
      while (t.backlog() === 0) await new Promise((res) => setImmediate(res));
      const busy = await post([r('wl-2', T0, 1)]);
      expect(busy.statusCode).toBe(503);
      expect(busy.headers['retry-after']).toBe('1');
      expect(busy.json()).toMatchObject({ error: { code: 'SERVICE_BUSY' } });
      await t.flush();
      expect((await first).statusCode).toBe(200);
      const later = post([r('wl-2', T0, 1)]);
      while (t.backlog() === 0) await new Promise((res) => setImmediate(res));
      await t.flush();
      expect((await later).json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    });

    it('registers unknown sensors for auto-provisioning keys and rejects them for others', async ({ skip }) => {
      if (!up) skip();
      const { t, directory } = await setup();
      const batch = [{ sensor: 'new-1', ts: T0, value: 1, class: 'water_level', lon: 1.5, lat: 42.5 }, r('new-1', T0 - 1000, 2), { sensor: 'new-2', ts: T0, value: 1, class: 'noise', lon: 200, lat: 0 }];
      const plain = await t.ingest(batch, device);
      expect(plain.rejected.map((x) => x.code)).toEqual(['UNKNOWN_SENSOR', 'UNKNOWN_SENSOR', 'UNKNOWN_SENSOR']);
      const res = await t.ingest(batch, { ...device, autoProvision: true });
      expect(res).toMatchObject({ accepted: 2, duplicates: 0 });
      expect(res.rejected.map((x) => `${x.index}:${x.code}`)).toEqual(['2:BAD_COORDINATES']);
      expect(directory.refs.has('new-1')).toBe(true);
      expect(directory.refs.has('new-2')).toBe(false);
    });
  });
}

const queries = (t: ReturnType<typeof createTelemetry>) => t.queries;

suite('telemetry on SQLite', openSqlite, async () => true);
suite('telemetry on PostgreSQL', openPg, () => serviceAvailable('PostgreSQL', TEST_PG_URL));
