/**
 * Risk map snapshots for the time slider: one row per snapshot time, and one
 * per area with a non-zero risk at that time (compact: most areas are calm).
 * Old snapshots are deleted by age.
 */
import type { Kysely } from 'kysely';
import { bigintType, doubleType, type Database, type Migration } from '../../../platform/db/index.js';
import type { AreaRisk, RiskReason } from '../types.js';

type SnapshotRow = { at: number; areas: number };
type AreaRow = { at: number; org_unit_id: string; level: string; value: number; reasons: string };
type Tables = { risk_map_snapshots: SnapshotRow; risk_map_areas: AreaRow }

export const mapMigrations: Migration[] = [
  {
    name: 'risk_map_001_snapshots',
    async up(db, dialect) {
      const big = bigintType(dialect);
      await db.schema.createTable('risk_map_snapshots')
        .addColumn('at', big, (c) => c.primaryKey())
        .addColumn('areas', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createTable('risk_map_areas')
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('org_unit_id', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('value', doubleType(dialect), (c) => c.notNull())
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('risk_map_areas_pk', ['at', 'org_unit_id'])
        .execute();
      await db.schema.createIndex('risk_map_areas_unit').on('risk_map_areas').columns(['org_unit_id', 'at']).execute();
    },
  },
];

const CHUNK = 1000;

export function createRiskMapStore(database: Database) {
  const db = database.db.withTables<Tables>() as unknown as Kysely<Tables>;
  return {
    /** Store one snapshot (replacing one at the same time) and drop those older than `keepAfter`. */
    async write(at: number, areas: AreaRisk[], keepAfter: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('risk_map_areas').where('at', '=', at).execute();
        await trx.deleteFrom('risk_map_snapshots').where('at', '=', at).execute();
        await trx.insertInto('risk_map_snapshots').values({ at, areas: areas.length }).execute();
        const rows = areas.map((a) => ({ at, org_unit_id: a.orgUnitId, level: a.level, value: a.value, reasons: JSON.stringify(a.reasons) }));
        for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('risk_map_areas').values(rows.slice(i, i + CHUNK)).execute();
        await trx.deleteFrom('risk_map_areas').where('at', '<', keepAfter).execute();
        await trx.deleteFrom('risk_map_snapshots').where('at', '<', keepAfter).execute();
      });
    },

    /** The latest snapshot time at or before `at`, or null. */
    async snapshotAt(at: number): Promise<number | null> {
      const r = await db.selectFrom('risk_map_snapshots').select('at').where('at', '<=', at).orderBy('at', 'desc').limit(1).executeTakeFirst();
      return r ? Number(r.at) : null;
    },

    async areas(at: number, level: string): Promise<AreaRisk[]> {
      const rows = await db.selectFrom('risk_map_areas').selectAll().where('at', '=', at).where('level', '=', level).orderBy('value', 'desc').orderBy('org_unit_id').execute();
      return rows.map((r) => ({ orgUnitId: r.org_unit_id, level: r.level as AreaRisk['level'], value: r.value, reasons: JSON.parse(r.reasons) as RiskReason[] }));
    },

    /** Snapshot times in [from, to] and the unit's value at each (0 where it was calm). */
    async history(orgUnitId: string, from: number, to: number, limit: number): Promise<Array<{ at: number; value: number }>> {
      const times = await db.selectFrom('risk_map_snapshots').select('at').where('at', '>=', from).where('at', '<=', to).orderBy('at').limit(limit).execute();
      if (!times.length) return [];
      const last = Number(times[times.length - 1]!.at);
      const vals = await db.selectFrom('risk_map_areas').select(['at', 'value']).where('org_unit_id', '=', orgUnitId).where('at', '>=', from).where('at', '<=', last).execute();
      const byAt = new Map(vals.map((v) => [Number(v.at), v.value]));
      return times.map((t) => ({ at: Number(t.at), value: byAt.get(Number(t.at)) ?? 0 }));
    },

    async latestAt(): Promise<number | null> {
      const r = await db.selectFrom('risk_map_snapshots').select('at').orderBy('at', 'desc').limit(1).executeTakeFirst();
      return r ? Number(r.at) : null;
    },
  };
}

export type RiskMapStore = ReturnType<typeof createRiskMapStore>;
