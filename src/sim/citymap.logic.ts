/**
 * The road graph and map features reshaped for placing sensors: roads as
 * polylines by OSM way, town centres with a "how central is this point"
 * measure, rivers, bridges and tunnels, and candidate points by kind.
 */
import type { Position } from '../platform/geo/index.js';
import type { MapFeature, RoadNode, RoadSegment } from '../modules/emergency/types.js';
import { centroid, projection, type Projection } from './geometry.logic.js';

export interface CityMapInput {
  nodes: RoadNode[];
  segments: RoadSegment[];
  features: MapFeature[];
}

export interface RoadLine {
  wayId: number;
  highway: string;
  name: string | null;
  speedKph: number;
  line: Position[];
  /** Per piece of the line (line.length - 1 entries). */
  bridge: boolean[];
  tunnel: boolean[];
}

export interface Centre {
  p: Position;
  name: string;
  /** town/city 3, suburb 2, village 1. */
  weight: number;
  radiusM: number;
}

/** A candidate point with a label for naming the sensor put there. */
export interface Site {
  p: Position;
  label: string;
  corridor?: string;
  highway?: string;
  speedKph?: number;
}

export interface CityMap {
  proj: Projection;
  roads: RoadLine[];
  centres: Centre[];
  waterways: Array<{ value: string; name: string | null; line: Position[] }>;
  /** Road nodes usable by vehicles, labelled with the street they lie on. */
  nodes: Site[];
  features: MapFeature[];
  bbox: [number, number, number, number];
  centrality(p: Position): number;
}

export const MAIN_ROADS = new Set(['motorway', 'trunk', 'primary', 'secondary']);
export const LOCAL_ROADS = new Set(['residential', 'living_street', 'unclassified', 'tertiary']);
const NOT_DRIVABLE = new Set(['path', 'footway', 'track', 'steps', 'bridleway', 'cycleway', 'pedestrian', 'construction', 'proposed', 'corridor', 'platform']);
const RIVER_VALUES = new Set(['river', 'stream', 'canal', 'drain']);
const CENTRE_KINDS: Record<string, { weight: number; radiusM: number }> = {
  city: { weight: 4, radiusM: 1500 },
  town: { weight: 3, radiusM: 900 },
  suburb: { weight: 2, radiusM: 600 },
  quarter: { weight: 1.5, radiusM: 450 },
  village: { weight: 1, radiusM: 400 },
};

const ROAD_ZH: Record<string, string> = {
  motorway: '高速公路', trunk: '快速路', primary: '主干道', secondary: '次干道', tertiary: '支路',
  residential: '居住区道路', living_street: '生活街道', unclassified: '乡村道路', service: '服务道路',
};

export function roadLabel(highway: string, name: string | null): string {
  return name ?? ROAD_ZH[highway] ?? '道路';
}

function segmentIndex(s: RoadSegment): number {
  const n = Number(s.id.slice(s.id.lastIndexOf(':') + 1));
  return Number.isFinite(n) ? n : 0;
}

export function buildCityMap(input: CityMapInput): CityMap {
  const pos = new Map<number, Position>();
  for (const n of input.nodes) pos.set(n.id, [n.lon, n.lat]);
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const n of input.nodes) {
    bbox[0] = Math.min(bbox[0], n.lon);
    bbox[1] = Math.min(bbox[1], n.lat);
    bbox[2] = Math.max(bbox[2], n.lon);
    bbox[3] = Math.max(bbox[3], n.lat);
  }
  const proj = projection(Number.isFinite(bbox[1]) ? (bbox[1] + bbox[3]) / 2 : 0);

  const segs = input.segments.slice().sort((a, b) => a.wayId - b.wayId || segmentIndex(a) - segmentIndex(b));
  const roads: RoadLine[] = [];
  let cur: RoadLine | null = null;
  let lastTo: number | null = null;
  for (const s of segs) {
    const a = pos.get(s.from);
    const b = pos.get(s.to);
    if (!a || !b) continue;
    if (!cur || cur.wayId !== s.wayId || lastTo !== s.from) {
      cur = { wayId: s.wayId, highway: s.highway, name: s.name, speedKph: s.speedKph, line: [a], bridge: [], tunnel: [] };
      roads.push(cur);
    }
    cur.line.push(b);
    cur.bridge.push(s.bridge);
    cur.tunnel.push(s.tunnel);
    lastTo = s.to;
  }

  const features = input.features.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const centres: Centre[] = [];
  for (const f of features) {
    const k = f.kind === 'place' ? CENTRE_KINDS[f.value] : undefined;
    if (k && f.coordinates.length > 0) centres.push({ p: centroid(f.coordinates), name: f.nameZh ?? f.name ?? f.value, ...k });
  }
  const waterways = features
    .filter((f) => f.kind === 'waterway' && RIVER_VALUES.has(f.value) && f.coordinates.length >= 2)
    .map((f) => ({ value: f.value, name: f.nameZh ?? f.name, line: f.coordinates }));

  const seen = new Set<string>();
  const nodes: Site[] = [];
  for (const r of roads) {
    if (NOT_DRIVABLE.has(r.highway)) continue;
    for (const p of r.line) {
      const key = `${p[0]},${p[1]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      nodes.push({ p, label: roadLabel(r.highway, r.name), highway: r.highway, corridor: r.name ?? `way:${r.wayId}` });
    }
  }

  if (centres.length === 0 && nodes.length > 0) {
    // No place names in the extract: the middle of the road network stands in for a centre.
    const mid: Position = [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2];
    let best = nodes[0]!;
    let bestD = Infinity;
    for (const n of nodes) {
      const d = proj.dist(n.p, mid);
      if (d < bestD) [best, bestD] = [n, d];
    }
    centres.push({ p: best.p, name: best.label, weight: 3, radiusM: 900 });
  }

  const centrality = (p: Position): number => {
    let c = 0;
    for (const ce of centres) c = Math.max(c, (ce.weight / 3) * Math.exp(-proj.dist(p, ce.p) / ce.radiusM));
    return Math.min(1, c);
  };
  return { proj, roads, centres, waterways, nodes, features, bbox, centrality };
}

const centreNodesMemo = new WeakMap<CityMap, Site[]>();

/** Road nodes within a centre's radius, labelled with the centre's name when the street has none. */
export function centreNodes(map: CityMap): Site[] {
  const memo = centreNodesMemo.get(map);
  if (memo) return memo;
  const out: Site[] = [];
  for (const n of map.nodes) {
    let best: Centre | undefined;
    for (const c of map.centres) if (map.proj.dist(n.p, c.p) <= c.radiusM && (!best || c.weight > best.weight)) best = c;
    if (best) out.push({ ...n, label: n.label in ROAD_LABEL_SET ? best.name : n.label });
  }
  centreNodesMemo.set(map, out);
  return out;
}

const ROAD_LABEL_SET: Record<string, true> = Object.fromEntries([...Object.values(ROAD_ZH), '道路'].map((v) => [v, true]));

/** A generic label ("主干道桥梁") gets the nearest place's name in front, so sensor names say where they are. */
export function siteName(map: CityMap, site: Site): string {
  const generic = Object.values(ROAD_ZH).some((w) => site.label.startsWith(w)) || site.label.startsWith('道路');
  return generic ? `${placeName(map, site.p)} ${site.label}` : site.label;
}

/** The nearest centre's name: a place label for sites that have no street. */
export function placeName(map: CityMap, p: Position): string {
  let best = '';
  let bestD = Infinity;
  for (const c of map.centres) {
    const d = map.proj.dist(p, c.p) / c.weight;
    if (d < bestD) [best, bestD] = [c.name, d];
  }
  return best || '城区';
}

/** Feature points (centroids for closed ways) of the given OSM key/value predicate. */
export function featurePoints(map: CityMap, match: (f: MapFeature) => boolean, label: string): Site[] {
  return map.features.filter((f) => match(f) && f.coordinates.length > 0).map((f) => {
    const p = centroid(f.coordinates);
    return { p, label: f.nameZh ?? f.name ?? `${placeName(map, p)}${label}` };
  });
}
