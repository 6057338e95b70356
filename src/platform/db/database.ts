/**
 * Opens the store: SQLite (better-sqlite3, WAL) by default, PostgreSQL when a
 * URL is given. Modules see a Kysely instance typed to their own tables
 * (`db.withTables<MyTables>()`); the telemetry hot path may use the raw driver.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { startCheckpointer } from './checkpointer.js';

// PostgreSQL bigint (int8) and numeric come back as strings by default; our
// bigints are epoch milliseconds and counters, well inside 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the untyped root; modules narrow it with withTables<T>()
export type AnyDb = Kysely<{}>;

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  dialect: Dialect;
  db: AnyDb;
  /** Raw SQLite handle (sqlite only) for the telemetry hot path. */
  sqlite?: BetterSqlite3.Database;
  /** Raw PostgreSQL pool (postgres only) for the telemetry hot path. */
  pgPool?: pg.Pool;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  sqlitePath?: string;
  /** PostgreSQL schema to use (created if missing); tests use a fresh one each. */
  pgSchema?: string;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.pgSchema);
  return openSqlite(opts.sqlitePath ?? path.resolve('data/cityops.db'));
}

function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives a process crash (SIGKILL);
  // FULL would also survive power loss at the cost of an fsync per commit.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 256 MiB of page cache (allocated as used): the leaf pages that intake writes at random places in the
  // large indexes (tracking codes, places) stay in memory at 10^6 events instead of being read back per insert.
  sqlite.pragma('cache_size = -262144');
  // Reads of pages outside the cache go through the OS page cache without a copy (no effect on durability).
  sqlite.pragma('mmap_size = 1073741824');
  // Checkpoints (WAL → database file, with an fsync) run in a worker thread (checkpointer.ts), off the event
  // loop; the writer's own auto-checkpoint only steps in if the WAL passes ~80 MiB (the worker failing or
  // falling behind). Durability is unchanged: a commit is durable once in the WAL.
  const checkpointer = file === ':memory:' ? null : startCheckpointer(file);
  if (checkpointer) sqlite.pragma('wal_autocheckpoint = 20000');
  const db = new Kysely<object>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }) as AnyDb;
  return {
    dialect: 'sqlite',
    db,
    sqlite,
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/** Distinct SQL texts kept prepared (multi-row inserts of every size included). */
const STATEMENT_CACHE = 500;

/**
 * Kysely's SQLite driver prepares every statement it runs; compiling the SQL costs more than running a
 * small insert. This hands Kysely the same prepared statement for the same SQL text (least recently used
 * dropped first), and a fresh one when the cached one is still being iterated (a stream in progress).
 * Statements re-prepare themselves after a schema change, so a cached one never runs against an old schema.
 */
function withStatementCache(sqlite: BetterSqlite3.Database) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(source: string): BetterSqlite3.Statement {
      const hit = cache.get(source);
      if (hit) {
        if (hit.busy) return sqlite.prepare(source);
        cache.delete(source); // re-insert: Map order is the recency order
        cache.set(source, hit);
        return hit;
      }
      const stmt = sqlite.prepare(source);
      cache.set(source, stmt);
      if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}

async function openPostgres(url: string, schema?: string): Promise<Database> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pgPool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  await pgPool.query('SELECT 1');
  const db = new Kysely<object>({ dialect: new PostgresDialect({ pool: pgPool }) }) as AnyDb;
  return {
    dialect: 'postgres',
    db,
    pgPool,
    async close() {
      await db.destroy();
    },
  };
}

/** True when the store answers a trivial query (used by /ready). */
export async function pingDatabase(database: Database): Promise<boolean> {
  try {
    await sql`SELECT 1`.execute(database.db);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves when no transaction is open on the shared SQLite connection. Raw
 * better-sqlite3 writes (hot paths, bulk imports) await this first so they
 * never run inside — and roll back with — a Kysely transaction that is
 * waiting on I/O. Once resolved, a synchronous raw transaction cannot be interleaved.
 */
export async function sqliteIdle(sqlite: BetterSqlite3.Database): Promise<void> {
  while (sqlite.inTransaction) await new Promise<void>((r) => setImmediate(r));
}
