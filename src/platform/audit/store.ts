/**
 * All SQL of the audit log: the append-only audit_log table and the one-row
 * audit_head (seq and hash of the last entry). An append locks the head row —
 * BEGIN IMMEDIATE on SQLite, SELECT … FOR UPDATE on PostgreSQL — so processes
 * sharing one store take turns and can never fork the chain. Triggers refuse
 * UPDATE and DELETE on audit_log; verify() still catches whoever drops them.
 */
import { sql, type Kysely } from 'kysely';
import { bigintType, type AnyDb, type Database, type Migration } from '../db/index.js';
import { GENESIS_HASH, type ChainHead, type ChainRecord } from './chain.logic.js';

type AuditLogRow = {
  seq: number;
  at: number;
  actor_id: string;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: string | null;
  algorithm: string;
  prev_hash: string;
  hash: string;
};

type AuditTables = {
  audit_log: AuditLogRow;
  audit_head: { id: number; seq: number; hash: string };
};

export interface AuditFilter {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  since?: number;
  until?: number;
  afterSeq?: number;
  limit?: number;
}

export interface AuditStore {
  /** Lock the head, let `build` chain new records onto it, store them and move the head, atomically. */
  appendBatch(build: (head: ChainHead) => ChainRecord[]): Promise<ChainRecord[]>;
  /**
   * One write transaction for a caller's rows and their audit entries: run `write` (the caller's
   * statements, on the transaction it is given), then lock the head, chain what `build` makes onto it
   * and store it. Both commit together or roll back together.
   */
  appendWithin<T>(write: (trx: AnyDb) => Promise<T>, build: (head: ChainHead, result: T) => ChainRecord[]): Promise<{ result: T; records: ChainRecord[] }>;
  /** Up to `limit` stored rows with seq > afterSeq (and ≤ upTo), in seq order. */
  readBatch(afterSeq: number, limit: number, upTo?: number): Promise<ChainRecord[]>;
  readHead(): Promise<ChainHead | null>;
  list(filter: AuditFilter): Promise<ChainRecord[]>;
}

export const migrations: Migration[] = [
  {
    name: 'audit_001_log',
    async up(db, dialect) {
      const big = bigintType(dialect);
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', big, (c) => c.primaryKey())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text')
        .addColumn('details', 'text')
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'seq']).execute();
      await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'seq']).execute();
      await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_type', 'target_id', 'seq']).execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', big, (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: GENESIS_HASH }).execute();
      if (dialect === 'postgres') {
        await sql`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db);
        await sql`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
          FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
      } else {
        await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
      }
    },
  },
];

const toRecord = (r: AuditLogRow): ChainRecord => ({
  seq: Number(r.seq),
  at: Number(r.at),
  actorId: r.actor_id,
  actorName: r.actor_name,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  details: r.details,
  algorithm: r.algorithm,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const toRow = (r: ChainRecord): AuditLogRow => ({
  seq: r.seq,
  at: r.at,
  actor_id: r.actorId,
  actor_name: r.actorName,
  action: r.action,
  target_type: r.targetType,
  target_id: r.targetId,
  details: r.details,
  algorithm: r.algorithm,
  prev_hash: r.prevHash,
  hash: r.hash,
});

/** Rows per multi-row INSERT: 11 columns each stays far below SQLite's bound-parameter limit. */
const INSERT_CHUNK = 500;

const COLUMNS = ['seq', 'at', 'actor_id', 'actor_name', 'action', 'target_type', 'target_id', 'details', 'algorithm', 'prev_hash', 'hash'] as const;

export function createAuditStore(database: Database): AuditStore {
  const db = database.db.withTables<AuditTables>();

  /** Head of an intact store; rebuilt from the last entry if someone removed the head row. */
  const lastEntry = async (q: Kysely<AuditTables>): Promise<ChainHead> => {
    const last = await q.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  };

  const sqliteAppend = sqliteAppender(database);
  // Holding Kysely's connection first waits out any Kysely transaction open on the shared SQLite
  // connection, so the synchronous append never lands inside (and never rolls back with) someone else's.
  const appendSqlite = sqliteAppend && ((build: (head: ChainHead) => ChainRecord[]) => db.connection().execute(async () => sqliteAppend(build)));

  return {
    async appendBatch(build) {
      if (appendSqlite) return appendSqlite(build);
      return db.transaction().execute(async (trx) => {
        const locked = await sql<{ seq: number; hash: string }>`SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE`.execute(trx);
        const row = locked.rows[0];
        const head = row ? { seq: Number(row.seq), hash: row.hash } : await lastEntry(trx);
        const records = build(head);
        if (!records.length) return records;
        await trx.insertInto('audit_log').values(records.map(toRow)).execute();
        const last = records.at(-1)!;
        if (row) await trx.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
        else await trx.insertInto('audit_head').values({ id: 1, seq: last.seq, hash: last.hash }).execute();
        return records;
      });
    },

    async appendWithin(write, build) {
      // The caller's rows go in first: the head stays locked only for the few statements after them.
      const finish = async (trx: Kysely<AuditTables>, head: ChainHead, headRowExists: boolean, result: Awaited<ReturnType<typeof write>>) => {
        const records = build(head, result);
        if (!records.length) return records;
        for (let i = 0; i < records.length; i += INSERT_CHUNK) await trx.insertInto('audit_log').values(records.slice(i, i + INSERT_CHUNK).map(toRow)).execute();
        const last = records.at(-1)!;
        if (headRowExists) await trx.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
        else await trx.insertInto('audit_head').values({ id: 1, seq: last.seq, hash: last.hash }).execute();
        return records;
      };
      if (database.dialect === 'sqlite') {
        // Kysely's own transactions BEGIN DEFERRED; IMMEDIATE takes the write lock up front, so another
        // process on the same file waits (busy_timeout) rather than failing half-way or forking the chain.
        // Holding the one connection also keeps this process's raw appends out until the commit.
        return db.connection().execute(async (conn) => {
          await sql`BEGIN IMMEDIATE`.execute(conn);
          try {
            const result = await write(conn as unknown as AnyDb);
            const row = await conn.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
            const head = row ? { seq: Number(row.seq), hash: row.hash } : await lastEntry(conn);
            const records = await finish(conn, head, !!row, result);
            await sql`COMMIT`.execute(conn);
            return { result, records };
          } catch (err) {
            await sql`ROLLBACK`.execute(conn).catch(() => undefined);
            throw err;
          }
        });
      }
      return db.transaction().execute(async (trx) => {
        const result = await write(trx as unknown as AnyDb);
        const locked = await sql<{ seq: number; hash: string }>`SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE`.execute(trx);
        const row = locked.rows[0];
        const head = row ? { seq: Number(row.seq), hash: row.hash } : await lastEntry(trx);
        return { result, records: await finish(trx, head, !!row, result) };
      });
    },

    async readBatch(afterSeq, limit, upTo) {
      let q = db.selectFrom('audit_log').select(COLUMNS).where('seq', '>', afterSeq);
      if (upTo !== undefined) q = q.where('seq', '<=', upTo);
      const rows = await q.orderBy('seq').limit(limit).execute();
      return rows.map(toRecord);
    },

    async readHead() {
      const h = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
      return h ? { seq: Number(h.seq), hash: h.hash } : null;
    },

    async list(f) {
      let q = db.selectFrom('audit_log').select(COLUMNS);
      if (f.actorId !== undefined) q = q.where('actor_id', '=', f.actorId);
      if (f.action !== undefined) q = q.where('action', '=', f.action);
      if (f.targetType !== undefined) q = q.where('target_type', '=', f.targetType);
      if (f.targetId !== undefined) q = q.where('target_id', '=', f.targetId);
      if (f.since !== undefined) q = q.where('at', '>=', f.since);
      if (f.until !== undefined) q = q.where('at', '<', f.until);
      if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
      const rows = await q.orderBy('seq').limit(f.limit ?? 100).execute();
      return rows.map(toRecord);
    },
  };
}

/**
 * SQLite appends go through the raw driver in one synchronous BEGIN IMMEDIATE
 * transaction: the write lock is taken before the head is read, so a second
 * process on the same file waits (busy_timeout) instead of failing or forking
 * the chain, and nothing else in this process can interleave.
 */
function sqliteAppender(database: Database): ((build: (head: ChainHead) => ChainRecord[]) => ChainRecord[]) | null {
  const raw = database.sqlite;
  if (!raw) return null;
  type Build = (head: ChainHead) => ChainRecord[];
  // Prepared on first use: the tables exist only once migrations have run.
  let tx: ReturnType<typeof prepare> | null = null;
  function prepare() {
    const head = raw!.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
    const last = raw!.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const insert = raw!.prepare(`INSERT INTO audit_log (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
    const setHead = raw!.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, @seq, @hash) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash');
    return raw!.transaction((build: Build): ChainRecord[] => {
      const h = head.get() ?? last.get() ?? { seq: 0, hash: GENESIS_HASH };
      const records = build({ seq: Number(h.seq), hash: h.hash });
      for (const r of records) insert.run(toRow(r));
      const end = records.at(-1);
      if (end) setHead.run({ seq: end.seq, hash: end.hash });
      return records;
    });
  }
  return (build: Build) => {
    tx ??= prepare();
    return tx.immediate(build);
  };
}
