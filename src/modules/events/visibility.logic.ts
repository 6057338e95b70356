/**
 * Who may see which city event (SPEC E3, three levels): dispatchers, leaders
 * and admins all of them; a department's handlers the events it leads or
 * co-handles; grid workers and street staff the events in their org unit's
 * subtree; everyone the reports they made themselves. An event outside a
 * principal's view does not exist for them (the caller answers 404, not 403).
 * Pure: the caller resolves the principal's org path.
 */
import type { CityEvent } from './types.js';

export interface Viewer {
  id: string;
  roles: readonly string[];
  department: string | null;
  /** Path of the viewer's own org unit ("/c1/d1/"), or null when none is assigned. */
  orgPath: string | null;
}

/** How a principal's event list is narrowed; `own` says why when a role's usual scope is missing. */
export type ListScope =
  | { kind: 'all' }
  | { kind: 'department'; department: string }
  | { kind: 'org_unit'; orgPath: string }
  | { kind: 'own'; reason: 'citizen' | 'mine' | 'NO_DEPARTMENT' | 'NO_ORG_UNIT' | 'NO_SCOPE' };

const SEES_ALL = ['admin', 'dispatcher', 'leader'];

export const seesAll = (v: Pick<Viewer, 'roles'>) => v.roles.some((r) => SEES_ALL.includes(r));

export function canSee(e: Pick<CityEvent, 'reporterId' | 'leadDepartment' | 'cohandlers' | 'orgPath'>, v: Viewer): boolean {
  if (seesAll(v)) return true;
  if (e.reporterId !== null && e.reporterId === v.id) return true;
  if (v.roles.includes('handler') && v.department !== null && (e.leadDepartment === v.department || e.cohandlers.some((c) => c.department === v.department))) return true;
  return v.roles.includes('grid_worker') && v.orgPath !== null && e.orgPath !== null && e.orgPath.startsWith(v.orgPath);
}

/**
 * The list a principal gets without naming a queue of their own. A grid
 * worker without an org unit (or a handler without a department) gets the
 * reports they made, and the scope says why, instead of a silently empty list.
 */
export function listScope(v: Viewer, mine: boolean): ListScope {
  if (mine) return { kind: 'own', reason: 'mine' };
  if (seesAll(v)) return { kind: 'all' };
  if (v.roles.includes('handler') && v.department !== null) return { kind: 'department', department: v.department };
  if (v.roles.includes('grid_worker') && v.orgPath !== null) return { kind: 'org_unit', orgPath: v.orgPath };
  if (v.roles.includes('grid_worker')) return { kind: 'own', reason: 'NO_ORG_UNIT' };
  if (v.roles.includes('handler')) return { kind: 'own', reason: 'NO_DEPARTMENT' };
  return { kind: 'own', reason: v.roles.every((r) => r === 'citizen') ? 'citizen' : 'NO_SCOPE' };
}
