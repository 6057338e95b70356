/**
 * City events benchmark (`npm run bench:events -- --stored 1000000 --reports 20000 --concurrency 16`):
 * builds a test city on a temp SQLite store, bulk-loads the stored events
 * straight into the events table (raw better-sqlite3 prepared inserts, one
 * transaction per 50k), then drives reports through the events SERVICE
 * (intake: validate → classify → route → auto-dispatch → group commit of
 * event, timeline, audit entries and outbox → bus → duplicate check; each
 * client waits for its own commit; no HTTP) and times a department's open queue (the
 * inbox call the route makes, first page of 50) and the statistics endpoint
 * (over HTTP, app.inject). Figures are compared with the targets.
 * Last line: one JSON object with the figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { createCityOps } from '../src/main.js';
import type { Principal } from '../src/platform/auth/roles.js';
import { newId } from '../src/platform/ids.js';
import { loadTaxonomy } from '../src/modules/events/index.js';
import type { EventState } from '../src/modules/events/types.js';

const { values: a } = parseArgs({
  options: {
    stored: { type: 'string', default: '1000000' },
    reports: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '16' },
    keep: { type: 'boolean', default: false },
    /** Print the SQL statements that took the most time during intake. */
    'sql-profile': { type: 'boolean', default: false },
    /**
     * Start from a copy of a store a previous run kept (--keep prints where), instead of loading the
     * stored events again: lets before/after runs on a busy machine share one data set and skip minutes of loading.
     */
    template: { type: 'string' },
  },
});
const STORED = Number(a.stored);
const REPORTS = Number(a.reports);
const CONCURRENCY = Number(a.concurrency);
const TARGET = { reportsPerS: 2000, p99Ms: 50, queueMs: 20 };
const H = 3_600_000;
const DAY = 24 * H;
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const square = (x0: number, y0: number, x1: number, y1: number) => ({ type: 'Polygon' as const, coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]] as [number, number][]] });
// A 4×4 grid of streets in 4 districts inside a 0.4° square city.
const DISTRICTS = ['d1', 'd2', 'd3', 'd4'];
const ORIGIN: [number, number] = [1.4, 42.4];

/** Deterministic pseudo-random numbers so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function pick<T>(xs: readonly T[], r: number): T {
  return xs[Math.min(xs.length - 1, Math.floor(r * xs.length))]!;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (xs: number[]) => pct([...xs].sort((x, y) => x - y), 50);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Wrap prepared statements to add up time per SQL text (diagnostics only). */
function profileSql(sqlite: NonNullable<Awaited<ReturnType<typeof createCityOps>>['kernel']['database']['sqlite']>) {
  const acc = new Map<string, { ms: number; n: number }>();
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    const stmt = prepare(source);
    for (const m of ['all', 'get', 'run', 'iterate'] as const) {
      const f = stmt[m].bind(stmt) as (...args: unknown[]) => unknown;
      (stmt as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => {
        const s = performance.now();
        try { return f(...args); } finally {
          const e = acc.get(source) ?? { ms: 0, n: 0 };
          e.ms += performance.now() - s; e.n++;
          acc.set(source, e);
        }
      };
    }
    return stmt;
  }) as typeof sqlite.prepare;
  return acc;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-bench-events-'));
  if (a.template) fs.copyFileSync(a.template, path.join(dataDir, 'cityops.db'));
  const city = await createCityOps(loadConfig({}, { dataDir, logLevel: 'warn' }));
  const sqlite = city.kernel.database.sqlite;
  if (!sqlite) throw new Error('bench:events runs on SQLite');
  const taxonomy = loadTaxonomy();
  try {
    // The test city: one city, 4 districts, 16 streets.
    const units: Parameters<typeof city.services.auth.upsertOrgUnits>[0] = [{ id: 'c1', parentId: null, level: 'city', code: 'C1', nameZh: '城', nameEn: 'City', boundary: square(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 0.4, ORIGIN[1] + 0.4) }];
    DISTRICTS.forEach((d, i) => {
      const x = ORIGIN[0] + (i % 2) * 0.2;
      const y = ORIGIN[1] + Math.floor(i / 2) * 0.2;
      units.push({ id: d, parentId: 'c1', level: 'district', code: d.toUpperCase(), nameZh: d, nameEn: d, boundary: square(x, y, x + 0.2, y + 0.2) });
      for (let s = 0; s < 4; s++) {
        const sx = x + (s % 2) * 0.1;
        const sy = y + Math.floor(s / 2) * 0.1;
        units.push({ id: `${d}s${s}`, parentId: d, level: 'street', code: `${d}S${s}`.toUpperCase(), nameZh: `${d}s${s}`, nameEn: `${d}s${s}`, boundary: square(sx, sy, sx + 0.1, sy + 0.1) });
      }
    });
    await city.services.auth.upsertOrgUnits(units, 'bench');
    if (!(await city.services.auth.findUser('bench_leader'))) await city.services.auth.createUser({ username: 'bench_leader', password: 'bench-password-1', roles: ['leader'] }, 'bench');

    // Bulk load, straight into the events table.
    const cats = taxonomy.categories.map((c) => ({ code: c.code, dept: c.department, limitMs: c.hours * H }));
    const STATES: Array<[EventState, number]> = [['closed', 0.84], ['rated', 0.04], ['result_reported', 0.03], ['in_progress', 0.04], ['dispatched', 0.03], ['received', 0.02]];
    const CHANNELS = ['hotline', 'app', 'app', 'app', 'patrol', 'alarm', 'api'];
    const now = Date.now();
    const start = now - 365 * DAY;
    const ins = sqlite.prepare(`insert into events_events (id, tracking_code, channel, category, urgent, text, lon, lat, address, org_unit_id, org_path,
      lead_department, state, version, suspended_at, suspend_reason, clock_start_at, paused_ms, limit_ms, deadline_at, escalation_level, rating,
      rating_comment, rework_count, verified_at, result_at, closed_at, reporter_id, classifier_confidence, created_at, updated_at)
      values (?, ?, ?, ?, 0, ?, ?, ?, null, ?, ?, ?, ?, 1, null, null, ?, 0, ?, ?, 0, ?, null, 0, null, ?, ?, ?, 0.9, ?, ?)`);
    const r = rng(42);
    const t0 = performance.now();
    const BATCH = 50_000;
    const loadBatch = sqlite.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const cat = pick(cats, r());
        const createdAt = start + Math.floor((i / STORED) * 365 * DAY);
        let u = r();
        let state: EventState = 'closed';
        for (const [s, w] of STATES) { if (u < w) { state = s; break; } u -= w; }
        const d = Math.floor(r() * 4);
        const s = Math.floor(r() * 4);
        const lon = ORIGIN[0] + (d % 2) * 0.2 + (s % 2) * 0.1 + r() * 0.1;
        const lat = ORIGIN[1] + Math.floor(d / 2) * 0.2 + Math.floor(s / 2) * 0.1 + r() * 0.1;
        const handled = state === 'closed' || state === 'rated' || state === 'result_reported';
        const resultAt = handled ? createdAt + Math.floor(r() * cat.limitMs * 1.3) : null;
        const rating = state === 'closed' || state === 'rated' ? 1 + Math.floor(r() ** 0.4 * 5 * 0.999) : null;
        const closedAt = state === 'closed' ? (resultAt ?? createdAt) + DAY : null;
        const deadline = handled ? null : createdAt + cat.limitMs;
        const sid = `${DISTRICTS[d]}s${s}`;
        ins.run(newId('evt'), `B${i.toString(36).toUpperCase().padStart(9, '0')}`, pick(CHANNELS, r()), cat.code, `bench event ${i}`, lon, lat,
          sid, `/c1/${DISTRICTS[d]}/${sid}/`, cat.dept, state, createdAt, cat.limitMs, deadline, rating, resultAt, closedAt,
          `cit_${i % 50_000}`, createdAt, closedAt ?? resultAt ?? createdAt);
      }
    });
    const reused = Number((sqlite.prepare('select count(*) n from events_events').get() as { n: number }).n);
    if (a.template) console.log(`reused ${reused} stored events from ${a.template}`);
    else for (let i = 0; i < STORED; i += BATCH) loadBatch(i, Math.min(STORED, i + BATCH));
    sqlite.exec('analyze');
    const loadS = (performance.now() - t0) / 1000;
    if (!a.template) console.log(`loaded ${STORED} events in ${round(loadS, 1)} s (${Math.round(STORED / loadS)} rows/s)`);

    // Intake through the events service.
    const texts = fs.readFileSync(path.join(ROOT, 'src/modules/events/corpus/heldout.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
    const citizen: Principal = { kind: 'user', id: 'bench_citizen', name: 'Bench citizen', roles: ['citizen'] };
    const lat: number[] = [];
    let next = 0;
    let failed = 0;
    const r2 = rng(7);
    const inputs = Array.from({ length: REPORTS }, (_, i) => ({
      text: texts[i % texts.length]!,
      location: { type: 'Point', coordinates: [ORIGIN[0] + r2() * 0.4, ORIGIN[1] + r2() * 0.4] },
    }));
    const sqlTime = a['sql-profile'] ? profileSql(sqlite) : null;
    const t1 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < REPORTS) {
        const input = inputs[next++]!;
        const s = performance.now();
        try {
          await city.services.events.intake(input, citizen);
        } catch (err) {
          if (failed++ < 3) console.error('intake failed:', err);
        }
        lat.push(performance.now() - s);
      }
    }));
    const intakeS = (performance.now() - t1) / 1000;
    if (sqlTime) {
      for (const [q, t] of [...sqlTime.entries()].sort((x, y) => y[1].ms - x[1].ms).slice(0, 8)) console.log(`  sql ${round(t.ms)} ms ×${t.n}: ${q.slice(0, 160)}`);
    }
    lat.sort((x, y) => x - y);
    const reportsPerS = REPORTS / intakeS;
    const p50 = pct(lat, 50);
    const p99 = pct(lat, 99);
    console.log(`intake (service): ${REPORTS} reports, concurrency ${CONCURRENCY}, ${round(intakeS, 1)} s → ${Math.round(reportsPerS)} reports/s, p50 ${round(p50)} ms, p99 ${round(p99)} ms, ${failed} failed`);

    // A department's open queue: the inbox call the route makes.
    const dispatcher: Principal = { kind: 'user', id: 'bench_dispatcher', name: 'Bench dispatcher', roles: ['dispatcher'] };
    const dept = 'CGJ';
    const queueRuns = async () => {
      const ms: number[] = [];
      let total = 0;
      for (let i = 0; i < 21; i++) {
        const s = performance.now();
        const res = await city.services.events.list({ queue: 'inbox', department: dept, limit: 50, offset: 0 }, dispatcher);
        if (i > 0) ms.push(performance.now() - s); // the first run warms the cache
        total = res.total;
      }
      return { ms: median(ms), total };
    };
    const queue = await queueRuns();
    console.log(`queue (${dept} inbox, ${queue.total} open, first 50): median of 20 runs ${round(queue.ms)} ms`);

    // Statistics over HTTP.
    const login = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'bench_leader', password: 'bench-password-1' } });
    const headers = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
    const statsCall = async (qs: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 3; i++) {
        const s = performance.now();
        const res = await city.app.inject({ method: 'GET', url: `/api/v1/events/stats${qs}`, headers });
        if (res.statusCode !== 200) throw new Error(`stats ${res.statusCode}: ${res.body}`);
        ms.push(performance.now() - s);
      }
      return median(ms);
    };
    const statsAllMs = await statsCall('');
    const statsMonthMs = await statsCall(`?department=${dept}&from=${new Date(now - 30 * DAY).toISOString()}`);
    console.log(`stats: all ${STORED + REPORTS} events ${round(statsAllMs)} ms; one department, last 30 days ${round(statsMonthMs)} ms`);

    const ok = (b: boolean) => (b ? 'met' : 'MISSED');
    console.log(`targets: ${Math.round(reportsPerS)}/${TARGET.reportsPerS} reports/s (×${round(reportsPerS / TARGET.reportsPerS)}) ${ok(reportsPerS >= TARGET.reportsPerS)}; `
      + `p99 ${round(p99)}/${TARGET.p99Ms} ms ${ok(p99 < TARGET.p99Ms)}; queue ${round(queue.ms)}/${TARGET.queueMs} ms (×${round(queue.ms / TARGET.queueMs)}) ${ok(queue.ms < TARGET.queueMs)}`);
    console.log(JSON.stringify({
      bench: 'events', reports_per_s: Math.round(reportsPerS), p50_ms: round(p50), p99_ms: round(p99), queue_ms: round(queue.ms), queue_open: queue.total, stats_ms: round(statsAllMs), stats_dept_30d_ms: round(statsMonthMs),
      stored_events: STORED, load_s: round(loadS, 1), reports: REPORTS, concurrency: CONCURRENCY, failed, path: 'service', db: 'sqlite',
      target_ratio_reports: round(reportsPerS / TARGET.reportsPerS),
    }));
  } finally {
    await city.close();
    if (!a.keep) fs.rmSync(dataDir, { recursive: true, force: true });
    else console.error(`kept ${path.join(dataDir, 'cityops.db')}`);
  }
}

await main();
