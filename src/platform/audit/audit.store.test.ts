/**
 * The audit log against real stores (a SQLite file and the local PostgreSQL):
 * appends chain correctly, concurrent writers never fork the chain, and SQL
 * tampering of each kind is found at the right seq.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { migrate, openDatabase, type Database } from '../db/index.js';
import { TEST_PG_URL, serviceAvailable, uniqueName } from '../testing/services.js';
import { entryHash, type ChainAlgorithm, type ChainRecord } from './chain.logic.js';
import { createAuditService, type AuditService } from './service.js';
import { createAuditStore, migrations } from './store.js';
import type { Principal } from '../auth/roles.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-audit-'));
const schemas: string[] = [];
const opened: Database[] = [];

afterAll(async () => {
  for (const d of opened) await d.close().catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (schemas.length) {
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await c.end();
  }
});

const ada: Principal = { kind: 'user', id: 'usr_ada', name: 'Ada', roles: ['auditor'] };

interface Store {
  database: Database;
  audit: AuditService;
  clock: ManualClock;
  /** A second connection to the same store (as another process would have). */
  reopen(): Promise<Store>;
}

async function build(open: () => Promise<Database>, algorithm: ChainAlgorithm): Promise<Store> {
  const database = await open();
  opened.push(database);
  await migrate(database.db, database.dialect, migrations);
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const audit = createAuditService({ store: createAuditStore(database), clock, algorithm, log: pino({ level: 'silent' }) });
  return { database, audit, clock, reopen: () => build(open, algorithm) };
}

const dialects = [
  {
    name: 'sqlite',
    skip: false,
    open: () => {
      const file = path.join(tmp, `${uniqueName('a')}.db`);
      return () => openDatabase({ sqlitePath: file });
    },
  },
  {
    name: 'postgres',
    skip: !pgUp,
    open: () => {
      const schema = uniqueName('audit');
      schemas.push(schema);
      return () => openDatabase({ databaseUrl: TEST_PG_URL, pgSchema: schema });
    },
  },
];

async function fill(s: Store, n: number) {
  for (let i = 1; i <= n; i++) {
    s.clock.advance(1000);
    await s.audit.append({ actor: i % 2 ? ada : 'system:simulator', action: 'sensor.read', targetType: 'sensor', targetId: `s${i}`, details: { i, note: '巡查' } });
  }
}

/** What an attacker with full database access does first. */
async function dropGuards(d: Database) {
  if (d.dialect === 'postgres') await sql`DROP TRIGGER audit_log_append_only ON audit_log`.execute(d.db);
  else {
    await sql`DROP TRIGGER audit_log_no_update`.execute(d.db);
    await sql`DROP TRIGGER audit_log_no_delete`.execute(d.db);
  }
}

async function rowAt(d: Database, seq: number): Promise<ChainRecord> {
  const r = await sql<Record<string, unknown>>`SELECT * FROM audit_log WHERE seq = ${seq}`.execute(d.db);
  const x = r.rows[0]!;
  return {
    seq: Number(x.seq), at: Number(x.at), actorId: String(x.actor_id), actorName: String(x.actor_name), action: String(x.action),
    targetType: String(x.target_type), targetId: x.target_id as string | null, details: x.details as string | null,
    algorithm: String(x.algorithm), prevHash: String(x.prev_hash), hash: String(x.hash),
  };
}

async function insertRow(d: Database, r: ChainRecord) {
  await sql`INSERT INTO audit_log (seq, at, actor_id, actor_name, action, target_type, target_id, details, algorithm, prev_hash, hash)
    VALUES (${r.seq}, ${r.at}, ${r.actorId}, ${r.actorName}, ${r.action}, ${r.targetType}, ${r.targetId}, ${r.details}, ${r.algorithm}, ${r.prevHash}, ${r.hash})`.execute(d.db);
}

/** Move seqs >= from up by one, in two steps so the primary key never collides. */
async function makeRoomAt(d: Database, from: number) {
  await sql`UPDATE audit_log SET seq = -seq WHERE seq >= ${from}`.execute(d.db);
  await sql`UPDATE audit_log SET seq = 1 - seq WHERE seq < 0`.execute(d.db);
}

const kinds = (r: { problems: { kind: string; seq: number }[] }) => r.problems.map((p) => `${p.kind}@${p.seq}`);

describe.each(dialects)('audit log on $name', ({ skip, open }) => {
  describe.skipIf(skip)('', () => {
    it.each(['sha256', 'sm3'] as const)('chains a few hundred entries that verify intact (%s)', async (alg) => {
      const s = await build(open(), alg);
      const first = await s.audit.append({ actor: ada, action: 'user.login', targetType: 'user', targetId: ada.id });
      expect(first).toMatchObject({ seq: 1, actorId: 'usr_ada', actorName: 'Ada', algorithm: alg, prevHash: '0'.repeat(64), details: null });
      // concurrent appends go out in group commits, still one chain
      const more = await Promise.all(Array.from({ length: 299 }, (_, i) => s.audit.append({ actor: 'system:simulator', action: 'sensor.read', targetType: 'sensor', targetId: `s${i}`, details: { i } })));
      expect(more.map((e) => e.seq)).toEqual(Array.from({ length: 299 }, (_, i) => i + 2));
      const report = await s.audit.verify();
      expect(report).toEqual({ ok: true, entries: 300, headHash: more.at(-1)!.hash, problems: [] });
    });

    it('filters the list by actor, action, target, time and seq', async () => {
      const s = await build(open(), 'sha256');
      await fill(s, 20);
      const t0 = Date.UTC(2026, 0, 1);
      expect((await s.audit.list({ actorId: 'usr_ada' })).map((e) => e.seq)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
      expect((await s.audit.list({ targetType: 'sensor', targetId: 's4' }))[0]).toMatchObject({ seq: 4, details: { i: 4, note: '巡查' } });
      expect((await s.audit.list({ since: t0 + 5000, until: t0 + 8000 })).map((e) => e.seq)).toEqual([5, 6, 7]);
      expect((await s.audit.list({ afterSeq: 15, limit: 3 })).map((e) => e.seq)).toEqual([16, 17, 18]);
      expect(await s.audit.list({ action: 'nothing' })).toEqual([]);
      const page = await s.audit.readAs(ada, { action: 'sensor.read', limit: 5 });
      expect(page.nextAfterSeq).toBe(5);
      expect((await s.audit.list({ action: 'audit.read' }))[0]).toMatchObject({ actorId: 'usr_ada', details: { returned: 5, filter: { action: 'sensor.read', limit: 5 } } });
    });

    it('refuses UPDATE and DELETE on the log while its guards are in place', async () => {
      const s = await build(open(), 'sha256');
      await fill(s, 3);
      await expect(sql`UPDATE audit_log SET actor_name = 'x' WHERE seq = 2`.execute(s.database.db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM audit_log WHERE seq = 2`.execute(s.database.db)).rejects.toThrow(/append-only/);
      expect((await s.audit.verify()).ok).toBe(true);
    });

    it('two writers on one store (two processes) never fork the chain, and verify during writes stays clean', async () => {
      const a = await build(open(), 'sha256');
      await fill(a, 1);
      const b = await a.reopen();
      const write = (s: Store, who: string) => Promise.all(Array.from({ length: 150 }, (_, i) => s.audit.append({ actor: who, action: 'x', targetType: 't', targetId: String(i) })));
      const [ra, rb, during] = await Promise.all([write(a, 'system:a'), write(b, 'system:b'), a.audit.verify()]);
      expect(during.ok).toBe(true);
      const seqs = [...ra, ...rb].map((e) => e.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 2));
      expect(await b.audit.verify()).toMatchObject({ ok: true, entries: 301 });
    });

    it('an append made while another transaction is open neither joins it nor rolls back with it', async () => {
      const s = await build(open(), 'sha256');
      await fill(s, 2);
      let appended: Promise<unknown> = Promise.resolve();
      const failing = s.database.db.transaction().execute(async (trx) => {
        await sql`SELECT 1`.execute(trx);
        appended = s.audit.append({ actor: ada, action: 'user.read', targetType: 'user' });
        await new Promise((r) => setImmediate(r));
        throw new Error('rolled back');
      });
      await expect(failing).rejects.toThrow('rolled back');
      await appended;
      expect(await s.audit.verify()).toMatchObject({ ok: true, entries: 3 });
    });

    it('appendAtomically keeps a caller\'s rows and their entries together or neither, beside plain appends', async () => {
      const a = await build(open(), 'sha256');
      await sql`CREATE TABLE t_rows (id text PRIMARY KEY)`.execute(a.database.db);
      await fill(a, 2);
      // PostgreSQL: a second pool, as another process. SQLite: one connection, as CityOps runs it — a second
      // connection in the SAME process would block the event loop in its busy wait while the first holds the lock.
      const b = a.database.dialect === 'postgres' ? await a.reopen() : a;
      const atomic = (s: Store, i: number) => s.audit.appendAtomically(async (trx) => {
        await sql`INSERT INTO t_rows (id) VALUES (${`r${i}`})`.execute(trx);
        return { result: i, entries: [{ actor: 'system:t', action: 'row.add', targetType: 'row', targetId: `r${i}` }, { actor: ada, action: 'row.check', targetType: 'row', targetId: `r${i}` }] };
      });
      const [together] = await Promise.all([
        Promise.all(Array.from({ length: 20 }, (_, i) => atomic(i % 2 ? a : b, i))),
        Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).audit.append({ actor: 'system:p', action: 'x', targetType: 't', targetId: String(i) }))),
      ]);
      expect(together.map((r) => r.result)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      for (const r of together) expect(r.entries[1]!.seq).toBe(r.entries[0]!.seq + 1);
      await expect(a.audit.appendAtomically(async (trx) => {
        await sql`INSERT INTO t_rows (id) VALUES ('lost1')`.execute(trx);
        throw new Error('caller failed');
      })).rejects.toThrow('caller failed');
      await expect(a.audit.appendAtomically(async (trx) => {
        await sql`INSERT INTO t_rows (id) VALUES ('lost2')`.execute(trx);
        return { result: 0, entries: [{ actor: '', action: 'x', targetType: 't' }] };
      })).rejects.toMatchObject({ code: 'AUDIT_INPUT_INVALID' });
      const rows = await sql<{ n: number }>`SELECT count(*) AS n FROM t_rows`.execute(a.database.db);
      expect(Number(rows.rows[0]!.n)).toBe(20);
      expect(await b.audit.verify()).toMatchObject({ ok: true, entries: 2 + 40 + 20 });
    });

    it('names an edited entry', async () => {
      const s = await build(open(), 'sm3');
      await fill(s, 40);
      await dropGuards(s.database);
      const before = await rowAt(s.database, 17);
      await sql`UPDATE audit_log SET details = ${'{"i":17,"note":"nothing to see"}'} WHERE seq = 17`.execute(s.database.db);
      const r = await s.audit.verify();
      expect(r.ok).toBe(false);
      expect(kinds(r)).toEqual(['edited@17']);
      expect(r.problems[0]!.message).toBe(`entry 17 was edited: stored hash ${before.hash}, recomputed ${entryHash(await rowAt(s.database, 17))}`);
    });

    it('names an edited entry whose hash was recomputed to match', async () => {
      const s = await build(open(), 'sha256');
      await fill(s, 40);
      await dropGuards(s.database);
      const forged = { ...(await rowAt(s.database, 23)), actorName: 'Mallory' };
      await sql`UPDATE audit_log SET actor_name = 'Mallory', hash = ${entryHash(forged)} WHERE seq = 23`.execute(s.database.db);
      expect(kinds(await s.audit.verify())).toEqual(['edited@23']);
    });

    it('names a deleted entry, in the middle and at the end', async () => {
      const s = await build(open(), 'sha256');
      await fill(s, 40);
      await dropGuards(s.database);
      await sql`DELETE FROM audit_log WHERE seq = 17`.execute(s.database.db);
      const r = await s.audit.verify();
      expect(kinds(r)).toEqual(['deleted@17']);
      expect(r.problems[0]!.message).toMatch(/^entry 17 was deleted: the chain jumps from entry 16 to entry 18/);
      await sql`DELETE FROM audit_log WHERE seq > 38`.execute(s.database.db);
      expect(kinds(await s.audit.verify())).toEqual(['deleted@17', 'deleted@39', 'deleted@40']);
    });

    it('names an inserted entry, forged with a valid hash and room made by renumbering', async () => {
      const s = await build(open(), 'sha256');
      await fill(s, 40);
      await dropGuards(s.database);
      const prev = await rowAt(s.database, 16);
      const fake = { ...prev, seq: 17, prevHash: prev.hash, actorName: 'Mallory', action: 'user.grant', details: '{"role":"admin"}' };
      await makeRoomAt(s.database, 17);
      await insertRow(s.database, { ...fake, hash: entryHash(fake)! });
      const r = await s.audit.verify();
      expect(kinds(r)).toEqual(['inserted@17']);
      expect(r.entries).toBe(41);
    });

    it('names an entry appended behind CityOps\'s back', async () => {
      const s = await build(open(), 'sha256');
      await fill(s, 40);
      const last = await rowAt(s.database, 40);
      const fake = { ...last, seq: 41, prevHash: last.hash, targetId: 'cover-up' };
      await insertRow(s.database, { ...fake, hash: entryHash(fake)! });
      expect(kinds(await s.audit.verify())).toEqual(['inserted@41']);
    });

    it('names reordered entries', async () => {
      const s = await build(open(), 'sha256');
      await fill(s, 40);
      await dropGuards(s.database);
      await sql`UPDATE audit_log SET seq = -17 WHERE seq = 17`.execute(s.database.db);
      await sql`UPDATE audit_log SET seq = 17 WHERE seq = 18`.execute(s.database.db);
      await sql`UPDATE audit_log SET seq = 18 WHERE seq = -17`.execute(s.database.db);
      const r = await s.audit.verify();
      expect(kinds(r)).toEqual(['reordered@17', 'reordered@18']);
      expect(r.problems[1]!.message).toBe('entry 18 is out of order: it holds the entry written as seq 17, which belongs before the entry written as seq 18');
    });
  });
});
