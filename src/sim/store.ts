/**
 * All SQL of the simulator: one small key/value table remembering what the
 * demo city was built from (so a second start reuses it) and the id of the
 * simulator's device API key.
 */
import type { Kysely } from 'kysely';
import { bigintType, type Database, type Migration } from '../platform/db/index.js';

type SimTables = {
  sim_state: { key: string; value: string; updated_at: number };
};

export const migrations: Migration[] = [
  {
    name: 'sim_001_state',
    async up(db, dialect) {
      await db.schema.createTable('sim_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', bigintType(dialect), (c) => c.notNull())
        .execute();
    },
  },
];

/** What the last demo-city build was made from. */
export interface DemoBuildState {
  /** Road network source and import time the city was built on. */
  source: string | null;
  importedAt: number | null;
  /** Bumped when placement or the org tree changes shape, forcing a rebuild. */
  version: number;
  apiKeyId: string | null;
  builtAt: number;
}

export function createSimStore(database: Database) {
  const db = database.db.withTables<SimTables>() as unknown as Kysely<SimTables>;
  return {
    async getBuild(): Promise<DemoBuildState | null> {
      const r = await db.selectFrom('sim_state').select('value').where('key', '=', 'demo_build').executeTakeFirst();
      return r ? (JSON.parse(r.value) as DemoBuildState) : null;
    },
    async setBuild(state: DemoBuildState): Promise<void> {
      const value = JSON.stringify(state);
      await db.insertInto('sim_state')
        .values({ key: 'demo_build', value, updated_at: state.builtAt })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: state.builtAt }))
        .execute();
    },
  };
}

export type SimStore = ReturnType<typeof createSimStore>;
