/**
 * Where each kind of sensor belongs on the map: traffic counters along main
 * roads, gauges along rivers and at low points, air and crowd sensors in town
 * centres, tilt meters on bridges and tunnels, and so on. Each function returns
 * at most `target` well-spread sites, falling back to road nodes so a small
 * map still gets every class.
 */
import type { Position } from '../platform/geo/index.js';
import type { MapFeature } from '../modules/emergency/types.js';
import { GridIndex, lineLength, pickSpread, pointsAlong } from './geometry.logic.js';
import { centreNodes, featurePoints, LOCAL_ROADS, MAIN_ROADS, placeName, roadLabel, type CityMap, type RoadLine, type Site } from './citymap.logic.js';
import type { Rng } from '../platform/random.js';

/** Sites spaced evenly along the given roads so that about `target` fit. */
export function alongRoads(map: CityMap, roads: RoadLine[], target: number, minSpacingM: number): Site[] {
  if (target <= 0 || roads.length === 0) return [];
  const total = roads.reduce((s, r) => s + lineLength(r.line, map.proj), 0);
  const spacing = Math.max(minSpacingM, total / target);
  const out: Site[] = [];
  let carry = spacing / 2;
  for (const r of roads) {
    const { points, carry: next } = pointsAlong(r.line, spacing, carry, map.proj);
    for (const p of points) out.push({ p, label: roadLabel(r.highway, r.name), corridor: r.name ?? `way:${r.wayId}`, highway: r.highway, speedKph: r.speedKph });
    carry = next;
  }
  return out.slice(0, target);
}

/** Fill up to target with spread sites from successive pools (first pool first). */
export function fill(map: CityMap, rng: Rng, target: number, pools: Array<{ sites: Site[]; share?: number; sepM: number }>): Site[] {
  const out: Site[] = [];
  for (const pool of pools) {
    const want = Math.min(target - out.length, Math.ceil(target * (pool.share ?? 1)));
    if (want <= 0) continue;
    const taken = new GridIndex<null>(map.proj, 50);
    for (const s of out) taken.add(s.p, null);
    // Never stack two sensors of one class within a few metres.
    const fresh = pool.sites.filter((s) => !taken.nearest(s.p, 15));
    out.push(...pickSpread(fresh, want, pool.sepM, map.proj, rng));
  }
  return out;
}

export function trafficSites(map: CityMap, target: number): Site[] {
  const main = map.roads.filter((r) => MAIN_ROADS.has(r.highway));
  const roads = main.length > 0 ? main : map.roads.filter((r) => LOCAL_ROADS.has(r.highway));
  return alongRoads(map, roads, target, 120);
}

export function waterSites(map: CityMap, rng: Rng, target: number): Site[] {
  const gaugesOnRivers: Site[] = [];
  const riverTarget = Math.round(target * 0.75);
  const rivers = map.waterways.filter((w) => w.value === 'river');
  const streams = map.waterways.filter((w) => w.value !== 'river');
  // Gauges stand where people live and drive, not on remote mountain streams.
  const roadsNear = new GridIndex<null>(map.proj, 500);
  for (const n of map.nodes) roadsNear.add(n.p, null);
  const reachable = (p: Position) => roadsNear.nearest(p, 500) !== undefined;
  const riverLen = rivers.reduce((s, w) => s + reachableLength(w.line), 0);
  const streamLen = streams.reduce((s, w) => s + reachableLength(w.line), 0);
  function reachableLength(line: Position[]): number {
    let len = 0;
    for (let i = 1; i < line.length; i++) if (reachable(line[i]!)) len += map.proj.dist(line[i - 1]!, line[i]!);
    return len;
  }
  // Streams get a gauge every 2.5 river spacings: rivers matter more for flooding.
  const spacing = Math.max(150, (riverLen + streamLen / 2.5) / Math.max(1, riverTarget));
  for (const [lines, k] of [[rivers, 1], [streams, 2.5]] as const) {
    let carry = (spacing * k) / 2;
    for (const w of lines) {
      const { points, carry: next } = pointsAlong(w.line, spacing * k, carry, map.proj);
      for (const p of points) if (reachable(p)) gaugesOnRivers.push({ p, label: w.name ?? `${placeName(map, p)}河道`, corridor: w.name ?? 'river' });
      carry = next;
    }
  }
  const water = new GridIndex<null>(map.proj, 200);
  for (const w of map.waterways) for (const p of w.line) water.add(p, null);
  const lowPoints: Site[] = [];
  const nearWater: Site[] = [];
  for (const r of map.roads) {
    r.line.forEach((p, i) => {
      const structure = r.bridge[i] || r.bridge[i - 1] || r.tunnel[i] || r.tunnel[i - 1];
      const wet = water.nearest(p, 200) !== undefined;
      const label = `${roadLabel(r.highway, r.name)}${r.tunnel[i] || r.tunnel[i - 1] ? '下穿通道' : '低洼点'}`;
      if (structure && (wet || r.tunnel[i] || r.tunnel[i - 1])) lowPoints.push({ p, label, corridor: 'low-point' });
      else if (wet && !structure) nearWater.push({ p, label: `${roadLabel(r.highway, r.name)}低洼点`, corridor: 'low-point' });
    });
  }
  return fill(map, rng, target, [
    { sites: gaugesOnRivers.slice(0, riverTarget), share: 0.75, sepM: 100 },
    { sites: lowPoints, sepM: 300 },
    { sites: nearWater, sepM: 300 },
    { sites: map.nodes, sepM: 1000 },
  ]);
}

export function rainSites(map: CityMap, rng: Rng, target: number): Site[] {
  return fill(map, rng, target, [{ sites: map.nodes.map((n) => ({ ...n, label: placeName(map, n.p) })), sepM: 2000 }]);
}

export function airSites(map: CityMap, rng: Rng, target: number, traffic: Site[]): Site[] {
  return fill(map, rng, target, [
    { sites: centreNodes(map), share: 0.6, sepM: 300 },
    { sites: traffic, sepM: 1500 },
    { sites: map.nodes, sepM: 1000 },
  ]);
}

export function noiseSites(map: CityMap, rng: Rng, target: number, traffic: Site[]): Site[] {
  return fill(map, rng, target, [
    { sites: traffic, share: 0.5, sepM: 500 },
    { sites: centreNodes(map), sepM: 150 },
    { sites: map.nodes, sepM: 500 },
  ]);
}

export function pipeSites(map: CityMap, rng: Rng, target: number): Site[] {
  const local = map.roads.filter((r) => LOCAL_ROADS.has(r.highway));
  const sites = alongRoads(map, local, target, 100);
  return sites.length >= target ? sites : fill(map, rng, target, [{ sites, sepM: 0 }, { sites: map.nodes, sepM: 300 }]);
}

export function energySites(map: CityMap, rng: Rng, target: number): Site[] {
  const substations = featurePoints(map, (f) => f.kind === 'power' && (f.value === 'substation' || f.value === 'transformer'), '变电站');
  return fill(map, rng, target, [
    { sites: substations, sepM: 50 },
    { sites: centreNodes(map), share: 0.6, sepM: 200 },
    { sites: map.nodes, sepM: 1200 },
  ]);
}

const isParking = (f: MapFeature) => f.kind === 'parking' || (f.kind === 'amenity' && (f.value === 'parking' || f.value === 'parking_space'));
/** Places people gather in (not fuel stations, hydrants or benches). */
const PUBLIC_PLACES = new Set([
  'amenity=restaurant', 'amenity=cafe', 'amenity=bar', 'amenity=fast_food', 'amenity=hospital', 'amenity=clinic', 'amenity=doctors',
  'amenity=pharmacy', 'amenity=place_of_worship', 'amenity=school', 'amenity=kindergarten', 'amenity=college', 'amenity=university',
  'amenity=library', 'amenity=townhall', 'amenity=public_building', 'amenity=courthouse', 'amenity=community_centre', 'amenity=marketplace',
  'amenity=bus_station', 'amenity=cinema', 'amenity=theatre', 'amenity=arts_centre', 'amenity=post_office',
  'tourism=hotel', 'tourism=attraction', 'tourism=museum', 'shop=mall', 'shop=supermarket', 'shop=department_store',
  'leisure=stadium', 'leisure=sports_centre', 'railway=station', 'aerialway=station', 'highway=bus_stop',
]);
const isPublicPlace = (f: MapFeature) => PUBLIC_PLACES.has(`${f.kind}=${f.value}`);

export function crowdSites(map: CityMap, rng: Rng, target: number): Site[] {
  const amenities = featurePoints(map, isPublicPlace, '公共场所');
  return fill(map, rng, target, [
    { sites: amenities, share: 0.5, sepM: 60 },
    { sites: centreNodes(map), sepM: 120 },
    { sites: map.nodes, sepM: 500 },
  ]);
}

export function parkingSites(map: CityMap, rng: Rng, target: number): Site[] {
  return fill(map, rng, target, [
    { sites: featurePoints(map, isParking, '停车场'), sepM: 30 },
    { sites: centreNodes(map).map((s) => ({ ...s, label: `${s.label}路侧停车` })), sepM: 150 },
    { sites: map.nodes, sepM: 500 },
  ]);
}

/** Bridges and tunnels (the middle of each, and every 400 m in long ones), then manhole covers on local streets. */
export function tiltSites(map: CityMap, rng: Rng, target: number): Site[] {
  const structures: Site[] = [];
  for (const r of map.roads) {
    for (const kind of ['bridge', 'tunnel'] as const) {
      const flags = r[kind];
      let start = -1;
      for (let i = 0; i <= flags.length; i++) {
        if (i < flags.length && flags[i]) {
          if (start < 0) start = i;
          continue;
        }
        if (start >= 0) {
          const piece: Position[] = r.line.slice(start, i + 1);
          const len = lineLength(piece, map.proj);
          const step = Math.max(400, len / Math.max(1, Math.ceil(len / 400)));
          const pts = len > 400 ? pointsAlong(piece, step, step / 2, map.proj).points : pointsAlong(piece, Math.max(len, 1), len / 2, map.proj).points;
          const label = `${roadLabel(r.highway, r.name)}${kind === 'bridge' ? '桥梁' : '隧道'}`;
          for (const p of pts) structures.push({ p, label, corridor: r.name ?? `way:${r.wayId}` });
          start = -1;
        }
      }
    }
  }
  const manholes = map.nodes.filter((n) => LOCAL_ROADS.has(n.highway ?? '')).map((n) => ({ ...n, label: `${n.label}井盖` }));
  return fill(map, rng, target, [
    { sites: structures, sepM: 40 },
    { sites: manholes, sepM: 250 },
    { sites: map.nodes, sepM: 250 },
  ]);
}

export function smokeSites(map: CityMap, rng: Rng, target: number): Site[] {
  const buildings = featurePoints(map, (f) => f.kind === 'building' || (isPublicPlace(f) && f.kind !== 'highway'), '楼宇');
  return fill(map, rng, target, [
    { sites: buildings, share: 0.6, sepM: 40 },
    { sites: centreNodes(map).map((s) => ({ ...s, label: `${s.label}沿街楼宇` })), sepM: 80 },
    { sites: map.nodes, sepM: 300 },
  ]);
}

export function sosSites(map: CityMap, rng: Rng, target: number): Site[] {
  const homes = map.nodes.filter((n) => n.highway === 'residential' || n.highway === 'living_street');
  const residential = featurePoints(map, (f) => f.kind === 'landuse' && f.value === 'residential', '居住区');
  return fill(map, rng, target, [
    { sites: [...homes, ...residential], sepM: 150 },
    { sites: map.nodes.filter((n) => LOCAL_ROADS.has(n.highway ?? '')), sepM: 200 },
    { sites: map.nodes, sepM: 300 },
  ]);
}
