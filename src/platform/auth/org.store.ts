/** SQL for the org tree and departments (tables created by the migrations in store.ts). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { Area } from '../geo/index.js';
import type { Department, OrgLevel, OrgUnit } from './types.js';
import type { TreeNode } from './org.logic.js';

export interface OrgUnitsTable {
  id: string;
  parent_id: string | null;
  level: string;
  code: string;
  name_zh: string;
  name_en: string;
  /** GeoJSON Polygon/MultiPolygon as text. */
  boundary: string | null;
  path: string;
}

export interface DepartmentsTable {
  code: string;
  name_zh: string;
  name_en: string;
}

// A type alias, not an interface: Kysely's withTables<T>() needs an index-compatible record.
export type OrgTables = {
  org_units: OrgUnitsTable;
  departments: DepartmentsTable;
};

const CHUNK = 200;

function toUnit(r: Omit<OrgUnitsTable, 'boundary'> & { boundary?: string | null }, withBoundary: boolean): OrgUnit {
  const unit: OrgUnit = {
    id: r.id,
    parentId: r.parent_id,
    level: r.level as OrgLevel,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    boundary: null,
    path: r.path,
  };
  if (withBoundary) unit.boundary = r.boundary ? (JSON.parse(r.boundary) as Area) : null;
  return unit;
}

const toRow = (u: OrgUnit): OrgUnitsTable => ({
  id: u.id,
  parent_id: u.parentId,
  level: u.level,
  code: u.code,
  name_zh: u.nameZh,
  name_en: u.nameEn,
  boundary: u.boundary ? JSON.stringify(u.boundary) : null,
  path: u.path,
});

const META = ['id', 'parent_id', 'level', 'code', 'name_zh', 'name_en', 'path'] as const;

export function createOrgStore(database: Database) {
  const db = database.db.withTables<OrgTables>() as unknown as Kysely<OrgTables>;

  return {
    async get(id: string): Promise<OrgUnit | null> {
      const r = await db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toUnit(r, true) : null;
    },
    async list(filter: { level?: OrgLevel; parentId?: string; withBoundary: boolean }): Promise<OrgUnit[]> {
      let q = db.selectFrom('org_units').select(META).orderBy('path');
      if (filter.withBoundary) q = q.select('boundary');
      if (filter.level) q = q.where('level', '=', filter.level);
      if (filter.parentId) q = q.where('parent_id', '=', filter.parentId);
      return (await q.execute()).map((r) => toUnit(r, filter.withBoundary));
    },
    /** The whole tree without boundaries (cheap: the paths are recomputed from it). */
    async treeNodes(): Promise<Array<TreeNode & { path: string }>> {
      const rows = await db.selectFrom('org_units').select(['id', 'parent_id', 'level', 'path']).execute();
      return rows.map((r) => ({ id: r.id, parentId: r.parent_id, level: r.level as OrgLevel, path: r.path }));
    },
    async bounded(): Promise<OrgUnit[]> {
      const rows = await db.selectFrom('org_units').selectAll().where('boundary', 'is not', null).execute();
      return rows.map((r) => toUnit(r, true));
    },
    /** Upsert the given units and move other units' paths, all or nothing. */
    async write(units: OrgUnit[], movedPaths: Array<{ id: string; path: string }>): Promise<void> {
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < units.length; i += CHUNK) {
          await trx
            .insertInto('org_units')
            .values(units.slice(i, i + CHUNK).map(toRow))
            .onConflict((oc) =>
              oc.column('id').doUpdateSet((eb) => ({
                parent_id: eb.ref('excluded.parent_id'),
                level: eb.ref('excluded.level'),
                code: eb.ref('excluded.code'),
                name_zh: eb.ref('excluded.name_zh'),
                name_en: eb.ref('excluded.name_en'),
                boundary: eb.ref('excluded.boundary'),
                path: eb.ref('excluded.path'),
              })),
            )
            .execute();
        }
        for (const m of movedPaths) await trx.updateTable('org_units').set({ path: m.path }).where('id', '=', m.id).execute();
      });
    },
    async exists(id: string): Promise<boolean> {
      return (await db.selectFrom('org_units').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },

    async listDepartments(): Promise<Department[]> {
      const rows = await db.selectFrom('departments').selectAll().orderBy('code').execute();
      return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en }));
    },
    async departmentExists(code: string): Promise<boolean> {
      return (await db.selectFrom('departments').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
    },
    /** Insert or rename; with onlyMissing, existing departments (possibly renamed by the city) are left alone. */
    async upsertDepartments(depts: Department[], onlyMissing: boolean): Promise<void> {
      if (depts.length === 0) return;
      const rows = depts.map((d) => ({ code: d.code, name_zh: d.nameZh, name_en: d.nameEn }));
      await db
        .insertInto('departments')
        .values(rows)
        .onConflict((oc) =>
          onlyMissing ? oc.column('code').doNothing() : oc.column('code').doUpdateSet((eb) => ({ name_zh: eb.ref('excluded.name_zh'), name_en: eb.ref('excluded.name_en') })),
        )
        .execute();
    },
  };
}

export type OrgStore = ReturnType<typeof createOrgStore>;
