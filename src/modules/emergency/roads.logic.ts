/**
 * Which OpenStreetMap ways are drivable roads, and what a way's tags say about
 * speed, direction, bridges and tunnels; and turning a way into graph segments.
 * Pure: tags and coordinates in, plain values out.
 */
import { distanceM, type Position } from '../../platform/geo/index.js';
import type { RoadSegment } from './types.js';

export type Tags = Record<string, string>;

/**
 * Typical free-flow speeds (km/h) when a way has no usable maxspeed. Footways,
 * paths, cycleways, steps and tracks are not roads here: emergency vehicles
 * and the traffic sensors live on the drivable network.
 */
export const DEFAULT_SPEED_KPH: Readonly<Record<string, number>> = {
  motorway: 110,
  trunk: 90,
  primary: 60,
  secondary: 50,
  tertiary: 50,
  unclassified: 40,
  residential: 30,
  living_street: 10,
  service: 20,
  road: 30,
  motorway_link: 60,
  trunk_link: 50,
  primary_link: 40,
  secondary_link: 40,
  tertiary_link: 30,
};

export const ROAD_CLASSES: readonly string[] = Object.keys(DEFAULT_SPEED_KPH);

/** The highway class of a drivable road way, or null when the way is not one. */
export function roadClass(tags: Tags | undefined): string | null {
  const h = tags?.highway;
  if (!h || !(h in DEFAULT_SPEED_KPH)) return null;
  // highway=* areas (squares, service yards drawn as polygons) are not lines to drive along
  if (tags.area === 'yes') return null;
  return h;
}

const KPH_PER_MPH = 1.609344;
const KPH_PER_KNOT = 1.852;

/** Implicit "CC:zone" limits (OSM wiki "Default speed limits"); country overrides first, then generic. */
const ZONE_KPH: Readonly<Record<string, number>> = {
  'de:rural': 100,
  'fr:rural': 80,
  'ru:urban': 60,
  'gb:nsl_single': 60 * KPH_PER_MPH,
  'gb:nsl_dual': 70 * KPH_PER_MPH,
  'gb:motorway': 70 * KPH_PER_MPH,
  urban: 50,
  rural: 90,
  trunk: 100,
  motorway: 120,
  living_street: 20,
  pedestrian: 6,
  walk: 6,
  school: 30,
  bicycle_road: 30,
};

const MIN_KPH = 1;
const MAX_KPH = 200;

/**
 * Parse an OSM maxspeed value to km/h: "50", "50 mph", "30 knots", "walk",
 * "RO:urban", "DE:zone30", "DE:zone:30", and lists "90;30" (the lowest wins,
 * so travel times are never optimistic). Null when absent, "none", "signals"
 * or unreadable: the caller falls back to the class default.
 */
export function parseMaxspeed(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  let best: number | null = null;
  for (const part of raw.split(';')) {
    const v = parseOne(part.trim().toLowerCase());
    if (v !== null && (best === null || v < best)) best = v;
  }
  return best;
}

function parseOne(v: string): number | null {
  if (v === '') return null;
  const num = /^(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/.exec(v);
  if (num) {
    const n = Number(num[1]);
    const unit = num[2];
    const kph = unit === 'mph' ? n * KPH_PER_MPH : unit === 'knots' ? n * KPH_PER_KNOT : n;
    return plausible(kph);
  }
  if (v === 'walk') return ZONE_KPH.walk!;
  const zone = /^([a-z]{2})(?:-[a-z0-9]+)?:(.+)$/.exec(v);
  if (!zone) return null;
  const country = zone[1]!;
  const kind = zone[2]!;
  const zoneN = /^zone:?\s*(\d+)$/.exec(kind);
  if (zoneN) return plausible(Number(zoneN[1]) * (country === 'gb' || country === 'us' ? KPH_PER_MPH : 1));
  const kph = ZONE_KPH[`${country}:${kind}`] ?? ZONE_KPH[kind];
  return kph === undefined ? null : plausible(kph);
}

function plausible(kph: number): number | null {
  return Number.isFinite(kph) && kph >= MIN_KPH && kph <= MAX_KPH ? Math.round(kph * 10) / 10 : null;
}

export function speedKph(tags: Tags, highway: string): number {
  return parseMaxspeed(tags.maxspeed) ?? DEFAULT_SPEED_KPH[highway] ?? 30;
}

/**
 * Travel direction along the way's node order: 1 one-way forward, -1 one-way
 * against the drawing direction, 0 both ways. An explicit oneway tag wins;
 * otherwise roundabouts and motorways (and their links, by OSM convention)
 * are one-way. Reversible/alternating roads count as two-way: either
 * direction can be open.
 */
export function onewayDirection(tags: Tags, highway: string): 1 | -1 | 0 {
  const v = tags.oneway?.trim().toLowerCase();
  if (v === 'yes' || v === '1' || v === 'true') return 1;
  if (v === '-1' || v === 'reverse') return -1;
  if (v === 'no' || v === '0' || v === 'false' || v === 'reversible' || v === 'alternating') return 0;
  if (tags.junction === 'roundabout' || tags.junction === 'circular') return 1;
  if (highway === 'motorway' || highway === 'motorway_link') return 1;
  return 0;
}

/** bridge=yes/viaduct/… is a bridge; bridge=no is not. */
export function isBridge(tags: Tags): boolean {
  const v = tags.bridge;
  return v !== undefined && v !== 'no';
}

/** tunnel=yes/building_passage/… is a tunnel; a culvert carries water under the road, not the road. */
export function isTunnel(tags: Tags): boolean {
  const v = tags.tunnel;
  return v !== undefined && v !== 'no' && v !== 'culvert';
}

export function roadName(tags: Tags): string | null {
  return tags.name ?? tags.ref ?? null;
}

/**
 * One segment per consecutive node pair of the way. Keeping every pair (rather
 * than merging runs between intersections) keeps the road's true shape without a
 * geometry column, gives ids "<wayId>:<index>" that survive re-imports, and lets
 * sensors sit on curves; routing over ~10^5 short edges is still instant.
 * Pairs with a node missing from the extract (ways cut at its border) or a
 * repeated node are skipped; `missing` counts the former.
 */
export function waySegments(
  way: { id: number; refs: readonly number[]; tags: Tags },
  highway: string,
  coordOf: (nodeId: number) => Position | undefined,
): { segments: RoadSegment[]; missing: number } {
  const segments: RoadSegment[] = [];
  let missing = 0;
  const dir = onewayDirection(way.tags, highway);
  const common = {
    wayId: way.id,
    highway,
    name: roadName(way.tags),
    speedKph: speedKph(way.tags, highway),
    oneway: dir !== 0,
    bridge: isBridge(way.tags),
    tunnel: isTunnel(way.tags),
  };
  for (let i = 0; i + 1 < way.refs.length; i++) {
    const a = way.refs[i]!;
    const b = way.refs[i + 1]!;
    if (a === b) continue;
    const pa = coordOf(a);
    const pb = coordOf(b);
    if (!pa || !pb) {
      missing++;
      continue;
    }
    segments.push({
      id: `${way.id}:${i}`,
      ...common,
      from: dir === -1 ? b : a,
      to: dir === -1 ? a : b,
      lengthM: Math.round(distanceM(pa, pb) * 100) / 100,
    });
  }
  return { segments, missing };
}
