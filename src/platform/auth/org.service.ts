/**
 * Org tree and departments use cases: upserts (paths recomputed, all or
 * nothing, audited), reads, and locate() from an in-memory boundary index
 * that is rebuilt at start and after every upsert.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { ASSETS_DIR } from '../../config.js';
import type { AuditLog } from '../audit/types.js';
import { badRequest, notFound } from '../errors.js';
import type { Position } from '../geo/index.js';
import type { Actor, Department, OrgLevel, OrgUnit, OrgDirectory } from './types.js';
import { buildOrgIndex, checkOrgUnit, computePaths, locateIn, type OrgIndex, type OrgUnitInput } from './org.logic.js';
import type { OrgStore } from './org.store.js';

export const TAXONOMY_FILE = path.join(ASSETS_DIR, 'taxonomy/event-categories.json');
const CODE_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** The default departments of the shipped taxonomy ({departments:[{code, zh, en}]}). */
export async function loadDefaultDepartments(file = TAXONOMY_FILE): Promise<Department[]> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as { departments?: Array<{ code?: unknown; zh?: unknown; en?: unknown }> };
  return (doc.departments ?? [])
    .filter((d) => typeof d.code === 'string' && typeof d.zh === 'string' && typeof d.en === 'string')
    .map((d) => ({ code: d.code as string, nameZh: d.zh as string, nameEn: d.en as string }));
}

export function checkDepartment(d: Department, at: string): Department {
  if (typeof d.code !== 'string' || !CODE_RE.test(d.code)) throw badRequest('BAD_DEPARTMENT', `${at}.code: use 1 to 64 characters from A-Z a-z 0-9 _ -`);
  for (const f of ['nameZh', 'nameEn'] as const) {
    if (typeof d[f] !== 'string' || d[f].trim() === '' || d[f].length > 200) throw badRequest('BAD_DEPARTMENT', `${at}.${f}: a non-empty name of at most 200 characters`);
  }
  return { code: d.code, nameZh: d.nameZh.trim(), nameEn: d.nameEn.trim() };
}

export interface OrgServiceDeps {
  store: OrgStore;
  audit: AuditLog;
  log: Logger;
  taxonomyFile?: string;
}

export function createOrgService(deps: OrgServiceDeps) {
  const { store, audit } = deps;
  let index: OrgIndex = buildOrgIndex([]);
  let seeded: Promise<void> | undefined;
  // Upserts read the whole tree to compute paths: one at a time per process.
  let queue: Promise<unknown> = Promise.resolve();

  const seedDepartments = () =>
    (seeded ??= (async () => {
      try {
        await store.upsertDepartments(await loadDefaultDepartments(deps.taxonomyFile), true);
      } catch (err) {
        seeded = undefined;
        deps.log.warn({ err }, 'could not seed the default departments');
      }
    })());

  async function reloadIndex(): Promise<void> {
    index = buildOrgIndex(await store.bounded());
  }

  async function doUpsert(units: OrgUnitInput[], actor: Actor): Promise<void> {
    if (!Array.isArray(units)) throw badRequest('BAD_ORG_UNIT', 'units: expected a list of org units');
    if (units.length === 0) return;
    const checked = units.map((u, i) => checkOrgUnit(u, `units[${i}]`));
    const tree = await store.treeNodes();
    const paths = computePaths(tree, checked);
    const incoming = new Set(checked.map((u) => u.id));
    const moved = tree.filter((n) => !incoming.has(n.id) && paths.get(n.id) !== n.path).map((n) => ({ id: n.id, path: paths.get(n.id)! }));
    await store.write(
      checked.map((u) => ({ ...u, path: paths.get(u.id)! })),
      moved,
    );
    await reloadIndex();
    await audit.append({
      actor,
      action: 'org.upsert',
      targetType: 'org_unit',
      details: { count: checked.length, ids: checked.slice(0, 50).map((u) => u.id), moved: moved.length },
    });
  }

  const directory: OrgDirectory = {
    get: (id) => store.get(id),
    locate: (p: Position) => locateIn(index, p),
    list: (filter) => store.list({ level: filter?.level, parentId: filter?.parentId, withBoundary: true }),
  };

  return {
    ...directory,
    reloadIndex,
    seedDepartments,

    async getOrThrow(id: string): Promise<OrgUnit> {
      const u = await store.get(id);
      if (!u) throw notFound('ORG_UNIT_NOT_FOUND', `No org unit ${id}; list them with GET /api/v1/org/units`);
      return u;
    },
    listUnits: (filter: { level?: OrgLevel; parentId?: string; withBoundary: boolean }) => store.list(filter),

    upsertOrgUnits(units: OrgUnitInput[], actor: Actor = 'system'): Promise<void> {
      const run = queue.then(() => doUpsert(units, actor));
      queue = run.catch(() => undefined);
      return run;
    },

    async upsertDepartments(depts: Department[], actor: Actor = 'system'): Promise<void> {
      if (!Array.isArray(depts)) throw badRequest('BAD_DEPARTMENT', 'departments: expected a list');
      const checked = depts.map((d, i) => checkDepartment(d, `departments[${i}]`));
      const codes = new Set(checked.map((d) => d.code));
      if (codes.size !== checked.length) throw badRequest('DUPLICATE_DEPARTMENT', 'departments: each code may appear once');
      await seedDepartments();
      await store.upsertDepartments(checked, false);
      if (checked.length) await audit.append({ actor, action: 'department.upsert', targetType: 'department', details: { codes: [...codes] } });
    },

    async listDepartments(): Promise<Department[]> {
      await seedDepartments();
      return store.listDepartments();
    },

    /** 400 unless the referenced org unit and department exist (null/undefined pass). */
    async checkRefs(refs: { orgUnitId?: string | null; department?: string | null }): Promise<void> {
      if (refs.orgUnitId != null && !(await store.exists(refs.orgUnitId))) {
        throw badRequest('UNKNOWN_ORG_UNIT', `orgUnitId: no org unit ${refs.orgUnitId}; see GET /api/v1/org/units`);
      }
      if (refs.department != null) {
        await seedDepartments();
        if (!(await store.departmentExists(refs.department))) {
          throw badRequest('UNKNOWN_DEPARTMENT', `department: no department ${refs.department}; see GET /api/v1/org/departments`);
        }
      }
    },
  };
}

export type OrgService = ReturnType<typeof createOrgService>;
