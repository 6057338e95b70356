/**
 * The org tree, pure: validating units, computing "/city/district/…/self/"
 * paths from parents (parents may arrive in the same batch, in any order),
 * and an in-memory boundary index that answers "which unit is this point in?".
 */
import { badRequest } from '../errors.js';
import { bboxOf, inBBox, isValidLonLat, pointInPolygon, type Area, type BBox, type Position } from '../geo/index.js';
import type { OrgLevel, OrgUnit } from './types.js';

export const ORG_LEVELS: readonly OrgLevel[] = ['city', 'district', 'street', 'grid'];
export const LEVEL_DEPTH: Record<OrgLevel, number> = { city: 0, district: 1, street: 2, grid: 3 };

/** Ids become path segments, so "/" and other oddities are kept out. */
const ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;

export type OrgUnitInput = Omit<OrgUnit, 'path'>;
export interface TreeNode {
  id: string;
  parentId: string | null;
  level: OrgLevel;
}

function parseRing(v: unknown, field: string): Position[] {
  if (!Array.isArray(v) || v.length < 4) throw badRequest('BAD_BOUNDARY', `${field}: a ring needs at least 4 [lon, lat] positions (closed: first = last)`);
  const ring = v.map((p, i) => {
    if (!Array.isArray(p) || p.length < 2 || !isValidLonLat(p[0], p[1])) {
      throw badRequest('BAD_BOUNDARY', `${field}[${i}]: expected [lon, lat] with lon -180..180 and lat -90..90`);
    }
    return [p[0] as number, p[1] as number] as Position;
  });
  const [a, b] = [ring[0]!, ring[ring.length - 1]!];
  if (a[0] !== b[0] || a[1] !== b[1]) throw badRequest('BAD_BOUNDARY', `${field}: the ring is not closed; repeat the first position at the end`);
  return ring;
}

function parsePolygon(v: unknown, field: string): Position[][] {
  if (!Array.isArray(v) || v.length === 0) throw badRequest('BAD_BOUNDARY', `${field}: a polygon is a non-empty list of rings`);
  return v.map((r, i) => parseRing(r, `${field}[${i}]`));
}

/** Parse an untrusted GeoJSON Polygon or MultiPolygon. */
export function parseArea(v: unknown, field = 'boundary'): Area {
  const o = v as { type?: unknown; coordinates?: unknown } | null;
  if (o && o.type === 'Polygon') return { type: 'Polygon', coordinates: parsePolygon(o.coordinates, `${field}.coordinates`) };
  if (o && o.type === 'MultiPolygon' && Array.isArray(o.coordinates) && o.coordinates.length > 0) {
    return { type: 'MultiPolygon', coordinates: o.coordinates.map((p, i) => parsePolygon(p, `${field}.coordinates[${i}]`)) };
  }
  throw badRequest('BAD_BOUNDARY', `${field}: expected a GeoJSON Polygon or MultiPolygon (longitude first) or null`);
}

function text(v: unknown, field: string, max: number, allowEmpty = false): string {
  if (typeof v !== 'string' || (!allowEmpty && v.trim() === '') || v.length > max) {
    throw badRequest('BAD_ORG_UNIT', `${field}: expected ${allowEmpty ? 'a' : 'a non-empty'} string of at most ${max} characters`);
  }
  return v.trim();
}

/** Validate one unit of an upsert; `at` names it in messages (e.g. "units[3]"). */
export function checkOrgUnit(u: OrgUnitInput, at: string): OrgUnitInput {
  if (typeof u.id !== 'string' || !ID_RE.test(u.id)) throw badRequest('BAD_ORG_UNIT', `${at}.id: use 1 to 64 characters from A-Z a-z 0-9 . _ : -`);
  if (!ORG_LEVELS.includes(u.level)) throw badRequest('BAD_ORG_UNIT', `${at}.level: must be one of ${ORG_LEVELS.join(', ')}`);
  if (u.parentId !== null && (typeof u.parentId !== 'string' || !ID_RE.test(u.parentId))) throw badRequest('BAD_ORG_UNIT', `${at}.parentId: an org unit id or null`);
  return {
    id: u.id,
    parentId: u.parentId,
    level: u.level,
    code: text(u.code, `${at}.code`, 64),
    nameZh: text(u.nameZh, `${at}.nameZh`, 200, true),
    nameEn: text(u.nameEn, `${at}.nameEn`, 200, true),
    boundary: u.boundary == null ? null : parseArea(u.boundary, `${at}.boundary`),
  };
}

/**
 * Paths of every node of the merged tree (stored nodes overlaid by incoming
 * ones). Throws 400 for an unknown parent, a level that is not deeper than
 * its parent's, a cycle, a city with a parent or a non-city without one.
 */
export function computePaths(stored: Iterable<TreeNode>, incoming: readonly TreeNode[]): Map<string, string> {
  const nodes = new Map<string, TreeNode>();
  for (const n of stored) nodes.set(n.id, n);
  const seen = new Set<string>();
  for (const n of incoming) {
    if (seen.has(n.id)) throw badRequest('DUPLICATE_ORG_UNIT', `org unit ${n.id} appears more than once in the list`);
    seen.add(n.id);
    nodes.set(n.id, n);
  }
  // Every node, not only incoming ones: re-levelling a stored unit can break its children.
  for (const n of nodes.values()) {
    if (n.level === 'city' && n.parentId !== null) throw badRequest('BAD_ORG_PARENT', `org unit ${n.id}: a city has no parent (parentId null)`);
    if (n.level !== 'city' && n.parentId === null) throw badRequest('BAD_ORG_PARENT', `org unit ${n.id}: a ${n.level} needs a parentId`);
    if (n.parentId === null) continue;
    const parent = nodes.get(n.parentId);
    if (!parent) throw badRequest('UNKNOWN_PARENT', `org unit ${n.id}: parent ${n.parentId} is neither stored nor in the list`);
    if (LEVEL_DEPTH[parent.level] >= LEVEL_DEPTH[n.level]) {
      throw badRequest('BAD_ORG_PARENT', `org unit ${n.id}: a ${n.level} cannot sit under a ${parent.level} (${parent.id}); order is ${ORG_LEVELS.join(' → ')}`);
    }
  }
  const paths = new Map<string, string>();
  const resolve = (id: string, trail: Set<string>): string => {
    const done = paths.get(id);
    if (done) return done;
    if (trail.has(id)) throw badRequest('ORG_CYCLE', `org units form a cycle through ${[...trail].join(' → ')} → ${id}`);
    trail.add(id);
    const n = nodes.get(id)!;
    const parent = n.parentId !== null && nodes.has(n.parentId) ? resolve(n.parentId, trail) : '/';
    const p = `${parent}${id}/`;
    paths.set(id, p);
    return p;
  };
  for (const id of nodes.keys()) resolve(id, new Set());
  return paths;
}

interface IndexEntry {
  unit: OrgUnit;
  area: Area;
  bbox: BBox;
}

/** Bounded units grouped deepest level first, for locate(). */
export interface OrgIndex {
  byDepth: IndexEntry[][];
}

export function buildOrgIndex(units: readonly OrgUnit[]): OrgIndex {
  const byDepth: IndexEntry[][] = ORG_LEVELS.map(() => []);
  for (const unit of units) {
    if (!unit.boundary) continue;
    byDepth[LEVEL_DEPTH[unit.level]]!.push({ unit, area: unit.boundary, bbox: bboxOf(unit.boundary) });
  }
  byDepth.reverse();
  return { byDepth };
}

/** The deepest unit whose boundary contains p (bbox check first, then point-in-polygon). */
export function locateIn(index: OrgIndex, p: Position): OrgUnit | null {
  if (!isValidLonLat(p[0], p[1])) return null;
  for (const level of index.byDepth) {
    for (const e of level) {
      if (inBBox(p, e.bbox) && pointInPolygon(p, e.area)) return e.unit;
    }
  }
  return null;
}
