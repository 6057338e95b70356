/**
 * All SQL of the forecasters: one row per sensor holding its model's state as
 * JSON (checkpointed periodically and at stop, read back at start), so a
 * restart neither forgets the learned profiles nor starts blind.
 */
import type { Kysely } from 'kysely';
import { bigintType, type Database, type Migration } from '../../../platform/db/index.js';

type ForecastTables = {
  risk_forecast_state: { sensor_id: string; kind: string; state: string; updated_at: number };
};

export const migrations: Migration[] = [
  {
    name: 'risk_forecast_001_state',
    async up(db, dialect) {
      await db.schema.createTable('risk_forecast_state')
        .addColumn('sensor_id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('updated_at', bigintType(dialect), (c) => c.notNull())
        .execute();
    },
  },
];

export interface StoredModel {
  sensorId: string;
  kind: string;
  state: string;
}

/** Rows per statement: 4 columns × 200 stays far under both dialects' parameter limits. */
const CHUNK = 200;

export function createForecastStore(database: Database) {
  const db = database.db.withTables<ForecastTables>() as unknown as Kysely<ForecastTables>;
  return {
    async loadAll(): Promise<StoredModel[]> {
      const rows = await db.selectFrom('risk_forecast_state').select(['sensor_id', 'kind', 'state']).execute();
      return rows.map((r) => ({ sensorId: r.sensor_id, kind: r.kind, state: r.state }));
    },

    /** Upsert many models in one transaction: all of a checkpoint lands, or none of it. */
    async saveMany(models: StoredModel[], at: number): Promise<void> {
      if (models.length === 0) return;
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < models.length; i += CHUNK) {
          const rows = models.slice(i, i + CHUNK).map((m) => ({ sensor_id: m.sensorId, kind: m.kind, state: m.state, updated_at: at }));
          await tx.insertInto('risk_forecast_state').values(rows)
            .onConflict((oc) => oc.column('sensor_id').doUpdateSet((eb) => ({
              kind: eb.ref('excluded.kind'), state: eb.ref('excluded.state'), updated_at: eb.ref('excluded.updated_at'),
            })))
            .execute();
        }
      });
    },
  };
}

export type ForecastStore = ReturnType<typeof createForecastStore>;
