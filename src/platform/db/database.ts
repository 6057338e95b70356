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
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<object>({ dialect: new SqliteDialect({ database: sqlite }) }) as AnyDb;
  return {
    dialect: 'sqlite',
    db,
    sqlite,
    async close() {
      await db.destroy();
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
