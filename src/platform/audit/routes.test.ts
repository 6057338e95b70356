/** The audit HTTP API in-process over a real SQLite store: who may call it, filters, bad input, and that reads are audited. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { migrate, openDatabase, type Database } from '../db/index.js';
import { createHttpApp, type App } from '../http/app.js';
import type { Principal, PrincipalRole } from '../auth/roles.js';
import { registerAuditRoutes } from './routes.js';
import { createAuditService, type AuditService } from './service.js';
import { createAuditStore, migrations } from './store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-audit-routes-'));
let database: Database;
let audit: AuditService;
let app: App;
const clock = new ManualClock(Date.UTC(2026, 2, 1, 8));

/** "Bearer <role>" signs in as a principal with that role (the auth module is tested on its own). */
const as = (role: PrincipalRole) => ({ authorization: `Bearer ${role}` });

beforeAll(async () => {
  database = await openDatabase({ sqlitePath: path.join(dir, 'a.db') });
  await migrate(database.db, database.dialect, migrations);
  audit = createAuditService({ store: createAuditStore(database), clock, algorithm: 'sm3', log: pino({ level: 'silent' }) });
  ({ app } = await createHttpApp({
    bodyLimitBytes: 1 << 20,
    logLevel: 'silent',
    version: 'test',
    authenticator: {
      authenticate: async (h) => {
        const role = /^Bearer (\w+)$/.exec(String(h.authorization ?? ''))?.[1];
        return role ? ({ kind: 'user', id: `usr_${role}`, name: `Test ${role}`, roles: [role as PrincipalRole] } satisfies Principal) : null;
      },
    },
  }));
  registerAuditRoutes(app, audit);
  await app.ready();
  for (let i = 0; i < 12; i++) {
    clock.advance(60_000);
    await audit.append({ actor: i % 2 ? 'system:simulator' : { kind: 'user', id: 'usr_op', name: 'Op', roles: ['dispatcher'] }, action: i % 3 ? 'sensor.read' : 'sensor.create', targetType: 'sensor', targetId: `s${i}` });
  }
});

afterAll(async () => {
  await app.close();
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/v1/audit', () => {
  it('lets auditors and admins read, nobody else', async () => {
    expect((await app.inject({ url: '/api/v1/audit', headers: as('auditor') })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/audit', headers: as('admin') })).statusCode).toBe(200);
    const denied = await app.inject({ url: '/api/v1/audit', headers: as('dispatcher') });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('FORBIDDEN');
    expect((await app.inject({ url: '/api/v1/audit' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/audit/verify', headers: as('leader') })).statusCode).toBe(403);
  });

  it('filters and pages, with ISO times on the wire', async () => {
    const res = await app.inject({ url: '/api/v1/audit?actor=usr_op&action=sensor.create&limit=1', headers: as('auditor') });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ seq: 1, actorId: 'usr_op', actorName: 'Op', action: 'sensor.create', targetId: 's0', algorithm: 'sm3', at: '2026-03-01T08:01:00.000Z' });
    expect(body.nextAfterSeq).toBe(1);
    const next = (await app.inject({ url: '/api/v1/audit?actor=usr_op&action=sensor.create&afterSeq=1', headers: as('auditor') })).json();
    expect(next.items.map((e: { seq: number }) => e.seq)).toEqual([7]);
    expect(next.nextAfterSeq).toBeNull();
    const window = (await app.inject({ url: '/api/v1/audit?targetType=sensor&since=2026-03-01T08:03:00Z&until=2026-03-01T08:05:00Z', headers: as('admin') })).json();
    expect(window.items.map((e: { targetId: string }) => e.targetId)).toEqual(['s2', 's3']);
  });

  it('records every read in the log itself', async () => {
    await app.inject({ url: '/api/v1/audit?targetId=s5', headers: as('auditor') });
    const [last] = (await audit.list({ action: 'audit.read', actorId: 'usr_auditor', afterSeq: 0 })).slice(-1);
    expect(last).toMatchObject({ actorName: 'Test auditor', targetType: 'audit_log', details: { filter: { targetId: 's5', limit: 100 }, returned: 1 } });
  });

  it('answers bad filters with 400 and a reason', async () => {
    const bad = await app.inject({ url: '/api/v1/audit?since=yesterday', headers: as('auditor') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'BAD_TIME' });
    expect(bad.json().error.message).toContain('since="yesterday"');
    const big = await app.inject({ url: '/api/v1/audit?limit=5000', headers: as('auditor') });
    expect(big.statusCode).toBe(400);
    expect(big.json().error.code).toBe('VALIDATION_FAILED');
    expect((await app.inject({ url: '/api/v1/audit?afterSeq=-3', headers: as('auditor') })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/audit?colour=red', headers: as('auditor') })).statusCode).toBe(400);
  });
});

describe('GET /api/v1/audit/verify', () => {
  it('reports an intact chain, then the tampered entry, and audits the check', async () => {
    const ok = await app.inject({ url: '/api/v1/audit/verify', headers: as('auditor') });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, problems: [] });
    await sql`DROP TRIGGER audit_log_no_update`.execute(database.db);
    await sql`UPDATE audit_log SET target_id = 'elsewhere' WHERE seq = 4`.execute(database.db);
    const bad = (await app.inject({ url: '/api/v1/audit/verify', headers: as('admin') })).json();
    expect(bad.ok).toBe(false);
    expect(bad.problems).toEqual([expect.objectContaining({ seq: 4, kind: 'edited' })]);
    const checks = await audit.list({ action: 'audit.verify' });
    expect(checks.map((c) => c.details)).toEqual([
      { ok: true, entries: expect.any(Number), problems: 0 },
      { ok: false, entries: expect.any(Number), problems: 1 },
    ]);
  });
});
