/**
 * Runs every module's migrations at start-up. Each module exports a list of
 * named migrations; names are prefixed by the module so they never collide.
 */
import { Migrator, sql, type Migration as KyselyMigration, type Kysely } from 'kysely';
import type { AnyDb, Dialect } from './database.js';

export interface Migration {
  /** Unique and stable, e.g. "sensing_001_sensors". */
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders are untyped by nature
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

export async function migrate(db: AnyDb, dialect: Dialect, migrations: Migration[]): Promise<string[]> {
  const byName: Record<string, KyselyMigration> = {};
  for (const m of migrations) {
    if (byName[m.name]) throw new Error(`duplicate migration name ${m.name}`);
    byName[m.name] = { up: (d) => m.up(d, dialect) };
  }
  // Kysely looks for its bookkeeping tables in every schema unless told which one:
  // with a schema per test, it would find another schema's and skip creating its own.
  const migrationTableSchema = dialect === 'postgres' ? (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => byName },
    allowUnorderedMigrations: true,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Column type for epoch-millisecond timestamps and other large integers. */
export const bigintType = (dialect: Dialect) => (dialect === 'postgres' ? 'bigint' : 'integer');
/** Column type for floating-point measurements. */
export const doubleType = (dialect: Dialect) => (dialect === 'postgres' ? 'double precision' : 'real');
