/**
 * The city's org tree derived from its map (pure): city → districts → streets →
 * grids, each with a boundary polygon. Districts are the Voronoi cells of the
 * main towns, streets the Voronoi cells of the villages and suburbs inside each
 * district, grids ~500 m squares cut to their street and kept where roads run.
 * Where the map names no places, k-means clusters of road nodes stand in.
 * Every cell is convex and cells tile their parent, so a point lies in one unit
 * per level. Work happens in a local metric plane (equirectangular around the
 * map's centre); that projection is affine, so straight edges and the tiling
 * carry over to longitude/latitude exactly.
 */
import { badRequest } from '../platform/errors.js';
import { pointInPolygon, type Polygon, type Position } from '../platform/geo/index.js';
import type { OrgUnit } from '../platform/auth/types.js';
import type { MapFeature, RoadNode, RoadSegment } from '../modules/emergency/types.js';

export type XY = [number, number];
export type OrgUnitDraft = Omit<OrgUnit, 'path'>;

export interface OrgTreeInput {
  nodes: RoadNode[];
  segments: RoadSegment[];
  features: MapFeature[];
  cityName?: { zh: string; en: string };
  /** Grid cell side in metres (default 500); grown by 25 % steps until there are at most maxGrids grids. */
  gridSizeM?: number;
  maxGrids?: number;
}

// ---- planar geometry ------------------------------------------------------

/** Sutherland–Hodgman against one half-plane: keeps the part where a·x + b·y ≤ c. */
export function clipHalfPlane(poly: readonly XY[], a: number, b: number, c: number): XY[] {
  const out: XY[] = [];
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    const cur = poly[i]!;
    const prev = poly[(i + n - 1) % n]!;
    const dc = a * cur[0] + b * cur[1] - c;
    const dp = a * prev[0] + b * prev[1] - c;
    if ((dc <= 0) !== (dp <= 0)) {
      const t = dp / (dp - dc);
      out.push([prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])]);
    }
    if (dc <= 0) out.push(cur);
  }
  return out;
}

/** Clip any polygon by a convex, counter-clockwise one (open rings). */
export function clipConvex(subject: readonly XY[], clip: readonly XY[]): XY[] {
  let out: XY[] = [...subject];
  for (let i = 0; i < clip.length && out.length > 0; i++) {
    const p = clip[i]!;
    const q = clip[(i + 1) % clip.length]!;
    // inside of a CCW edge p→q is its left: cross(q-p, x-p) ≥ 0  ⇔  a·x + b·y ≤ c
    const a = q[1] - p[1];
    const b = p[0] - q[0];
    out = clipHalfPlane(out, a, b, a * p[0] + b * p[1]);
  }
  return out;
}

/** Signed area (positive when counter-clockwise). */
export function signedArea(poly: readonly XY[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    s += p[0] * q[1] - q[0] * p[1];
  }
  return s / 2;
}

/** Voronoi cell of each (distinct) site inside a convex region: points nearer to it than to any other site. */
export function voronoiCells(sites: readonly XY[], region: readonly XY[]): XY[][] {
  return sites.map((s, i) => {
    let cell: XY[] = [...region];
    for (let j = 0; j < sites.length && cell.length > 0; j++) {
      if (j === i) continue;
      const o = sites[j]!;
      // |x−s|² ≤ |x−o|²  ⇔  2(o−s)·x ≤ |o|² − |s|²
      cell = clipHalfPlane(cell, 2 * (o[0] - s[0]), 2 * (o[1] - s[1]), o[0] ** 2 + o[1] ** 2 - s[0] ** 2 - s[1] ** 2);
    }
    return cell;
  });
}

const d2 = (a: XY, b: XY) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;

/** Index of the nearest site (lowest index on ties, matching voronoiCells' closed half-planes). */
export function nearest(p: XY, sites: readonly XY[]): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < sites.length; i++) {
    const d = d2(p, sites[i]!);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** Deterministic k-means: farthest-point seeding from the point nearest the mean, then Lloyd iterations. */
export function kMeans(points: readonly XY[], k: number, iterations = 30): XY[] {
  if (points.length === 0) return [];
  const mean: XY = [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];
  const centres: XY[] = [points[nearest(mean, points)]!];
  while (centres.length < Math.min(k, points.length)) {
    let far = 0;
    let farD = -1;
    for (let i = 0; i < points.length; i++) {
      const d = d2(points[i]!, centres[nearest(points[i]!, centres)]!);
      if (d > farD) {
        farD = d;
        far = i;
      }
    }
    if (farD <= 0) break;
    centres.push(points[far]!);
  }
  for (let it = 0; it < iterations; it++) {
    const sum = centres.map(() => [0, 0, 0]);
    for (const p of points) {
      const s = sum[nearest(p, centres)]!;
      s[0]! += p[0];
      s[1]! += p[1];
      s[2]! += 1;
    }
    let moved = false;
    sum.forEach(([x, y, n], i) => {
      if (!n) return;
      const c: XY = [x! / n, y! / n];
      if (c[0] !== centres[i]![0] || c[1] !== centres[i]![1]) moved = true;
      centres[i] = c;
    });
    if (!moved) break;
  }
  return centres;
}

// ---- the tree -----------------------------------------------------------------

const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON = 111_320;
const DISTRICT_PLACES = new Set(['city', 'town']);
const STREET_PLACES = new Set(['village', 'hamlet', 'suburb', 'borough', 'quarter', 'neighbourhood']);

interface Site {
  xy: XY;
  slug: string;
  zh: string;
  en: string;
  /** Nodes (indices into the projected node list) nearest to this site. */
  members: number[];
}

/** Lowercase ASCII words joined by "-" (accents dropped), at most 40 characters so unit ids stay short. */
export function slugify(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/['’`]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
}

/** Keep sites that own at least one node, re-assigning nodes after dropping empty ones. */
function assign(sites: Site[], points: readonly XY[], idx: readonly number[]): Site[] {
  let live = sites;
  if (live.length === 0) return live;
  for (let pass = 0; pass < 2; pass++) {
    const xy = live.map((s) => s.xy);
    for (const s of live) s.members = [];
    for (const i of idx) live[nearest(points[i]!, xy)]!.members.push(i);
    const kept = live.filter((s) => s.members.length > 0);
    if (kept.length === live.length) break;
    live = kept; // dropping sites only grows the others, so one more pass settles it
  }
  return live;
}

function clusterSites(points: readonly XY[], idx: readonly number[], k: number, name: (n: number) => { slug: string; zh: string; en: string }): Site[] {
  const centres = kMeans(idx.map((i) => points[i]!), k);
  return centres.map((xy, n) => ({ xy, ...name(n + 1), members: [] }));
}

/** Derive the org tree; units come parents first. Throws 400 when there are no road nodes. */
export function deriveOrgTree(input: OrgTreeInput): OrgUnitDraft[] {
  if (input.nodes.length === 0) throw badRequest('ORG_TREE_NO_ROADS', 'The road network is empty: import an OpenStreetMap file first');
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const n of input.nodes) {
    minLon = Math.min(minLon, n.lon); maxLon = Math.max(maxLon, n.lon);
    minLat = Math.min(minLat, n.lat); maxLat = Math.max(maxLat, n.lat);
  }
  const kx = M_PER_DEG_LON * Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const toXY = (lon: number, lat: number): XY => [(lon - minLon) * kx, (lat - minLat) * M_PER_DEG_LAT];
  const toLonLat = (p: XY): Position => [Math.round((minLon + p[0] / kx) * 1e7) / 1e7, Math.round((minLat + p[1] / M_PER_DEG_LAT) * 1e7) / 1e7];
  const [w, h] = toXY(maxLon, maxLat);
  const pad = Math.max(200, 0.02 * Math.max(w, h));
  const cityRect: XY[] = [[-pad, -pad], [w + pad, -pad], [w + pad, h + pad], [-pad, h + pad]];
  const inRect = (p: XY) => p[0] >= -pad && p[0] <= w + pad && p[1] >= -pad && p[1] <= h + pad;
  const points = input.nodes.map((n) => toXY(n.lon, n.lat));
  const all = points.map((_, i) => i);

  // places, one per slug and position (the map sometimes holds the same hamlet twice)
  const places = [...input.features]
    .filter((f) => f.kind === 'place' && f.name && f.coordinates[0])
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const seen = new Set<string>();
  const placeSites: Array<Site & { value: string }> = [];
  for (const f of places) {
    const xy = toXY(f.coordinates[0]![0], f.coordinates[0]![1]);
    const slug = slugify(f.name!) || slugify(f.id);
    const posKey = `${Math.round(xy[0])},${Math.round(xy[1])}`;
    if (!inRect(xy) || seen.has(slug) || seen.has(posKey)) continue;
    seen.add(slug).add(posKey);
    placeSites.push({ xy, slug, zh: f.nameZh || f.name!, en: f.name!, value: f.value, members: [] });
  }

  const cityPlace = places.find((f) => f.value === 'city') ?? places.find((f) => f.value === 'country');
  const city = input.cityName ?? (cityPlace ? { zh: cityPlace.nameZh || cityPlace.name!, en: cityPlace.name! } : { zh: '演示城市', en: 'Demo City' });
  const citySlug = slugify(city.en) || 'city';
  const units: OrgUnitDraft[] = [];
  const polygon = (cell: readonly XY[]): Polygon => {
    const ring = cell.map(toLonLat);
    return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
  };
  units.push({ id: `c-${citySlug}`, parentId: null, level: 'city', code: citySlug, nameZh: city.zh, nameEn: city.en, boundary: polygon(cityRect) });

  const areaKm2 = ((w + 2 * pad) * (h + 2 * pad)) / 1e6;
  let districts: Site[] = assign(placeSites.filter((s) => DISTRICT_PLACES.has(s.value)), points, all);
  const districtsArePlaces = districts.length >= 2;
  if (!districtsArePlaces) {
    const k = Math.max(2, Math.min(8, Math.round(areaKm2 / 25)));
    districts = assign(clusterSites(points, all, k, (n) => ({ slug: `${citySlug}-${n}`, zh: `${city.zh}第${n}区`, en: `${city.en} district ${n}` })), points, all);
  }
  const districtCells = voronoiCells(districts.map((d) => d.xy), cityRect);
  const districtXY = districts.map((d) => d.xy);
  const streetPlaces = placeSites.filter((s) => STREET_PLACES.has(s.value));

  const streets: Array<{ site: Site; cell: XY[]; districtId: string; code: string }> = [];
  districts.forEach((d, di) => {
    const id = `d-${d.slug}`;
    const code = `D${String(di + 1).padStart(2, '0')}`;
    units.push({ id, parentId: `c-${citySlug}`, level: 'district', code, nameZh: d.zh, nameEn: d.en, boundary: polygon(districtCells[di]!) });
    // the town itself is the centre street of its district
    const own = districtsArePlaces ? [{ ...d, slug: d.slug, zh: `${d.zh}中心`, en: `${d.en} Centre`, members: [] }] : [];
    const inside = streetPlaces.filter((s) => nearest(s.xy, districtXY) === di).map((s) => ({ ...s, members: [] as number[] }));
    let sites = assign([...own, ...inside], points, d.members);
    if (sites.length < 2 && d.members.length >= 2) {
      const k = Math.max(2, Math.min(6, Math.round(d.members.length / 1500)));
      sites = assign(clusterSites(points, d.members, k, (n) => ({ slug: `${d.slug}-${n}`, zh: `${d.zh}片区${n}`, en: `${d.en} area ${n}` })), points, d.members);
    }
    const cells = voronoiCells(sites.map((s) => s.xy), districtCells[di]!);
    sites.forEach((s, si) => streets.push({ site: s, cell: cells[si]!, districtId: id, code: `${code}-S${String(si + 1).padStart(2, '0')}` }));
  });
  for (const s of streets) {
    units.push({ id: `s-${s.site.slug}`, parentId: s.districtId, level: 'street', code: s.code, nameZh: s.site.zh, nameEn: s.site.en, boundary: polygon(s.cell) });
  }

  const maxGrids = input.maxGrids ?? 400;
  let size = input.gridSizeM ?? 500;
  let grids = makeGrids(streets, points, size);
  // every street keeps at least one grid, so more streets than maxGrids cannot be helped
  for (let step = 0; grids.length > Math.max(maxGrids, streets.length) && step < 20; step++) {
    size *= 1.25;
    grids = makeGrids(streets, points, size);
  }
  for (const { cell, ...g } of grids) units.push({ ...g, boundary: polygon(cell) });
  return units;
}

/** Grid squares of `size` metres cut to each street, where that street has road nodes. */
function makeGrids(streets: Array<{ site: Site; cell: XY[]; code: string }>, points: readonly XY[], size: number) {
  const out: Array<Omit<OrgUnitDraft, 'boundary'> & { cell: XY[] }> = [];
  for (const s of streets) {
    const keys = new Map<string, [number, number]>();
    for (const i of s.site.members) {
      const p = points[i]!;
      const c: [number, number] = [Math.floor(p[0] / size), Math.floor(p[1] / size)];
      keys.set(`${c[0]},${c[1]}`, c);
    }
    // numbered north to south, west to east, like reading a map
    const cells = [...keys.values()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const width = cells.length > 99 ? 3 : 2;
    let n = 0;
    for (const [cx, cy] of cells) {
      const square: XY[] = [[cx * size, cy * size], [(cx + 1) * size, cy * size], [(cx + 1) * size, (cy + 1) * size], [cx * size, (cy + 1) * size]];
      const cell = clipConvex(square, s.cell);
      if (cell.length < 3 || signedArea(cell) < 1) continue;
      n++;
      const num = String(n).padStart(width, '0');
      out.push({ id: `g-${s.site.slug}-${num}`, parentId: `s-${s.site.slug}`, level: 'grid', code: `${s.code}-G${num}`, nameZh: `${s.site.zh} 网格 ${n}`, nameEn: `${s.site.en} grid ${n}`, cell });
    }
  }
  return out;
}

/** Which grid holds each road node: those in none or in several are reported (a valid tree has neither). */
export function checkGridCoverage(units: readonly OrgUnitDraft[], nodes: readonly RoadNode[]): { unassigned: number[]; multiple: number[] } {
  const grids = units.filter((u) => u.level === 'grid' && u.boundary).map((u) => {
    const ring = (u.boundary as Polygon).coordinates[0]!;
    const xs = ring.map((p) => p[0]);
    const ys = ring.map((p) => p[1]);
    return { area: u.boundary!, box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as const };
  });
  const unassigned: number[] = [];
  const multiple: number[] = [];
  for (const n of nodes) {
    let hits = 0;
    for (const g of grids) {
      if (n.lon < g.box[0] || n.lon > g.box[2] || n.lat < g.box[1] || n.lat > g.box[3]) continue;
      if (pointInPolygon([n.lon, n.lat], g.area)) hits++;
    }
    if (hits === 0) unassigned.push(n.id);
    else if (hits > 1) multiple.push(n.id);
  }
  return { unassigned, multiple };
}
