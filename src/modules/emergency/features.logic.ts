/**
 * Which non-road map objects CityOps keeps, and in what shape: the places,
 * water, public services, crowd magnets and infrastructure the demo city uses
 * to put sensors where they belong and to name its districts. The list is
 * deliberately short (no shops, benches or power towers) so it stays useful.
 */
import { vertexCentre, type Position } from '../../platform/geo/index.js';
import type { MapFeature } from './types.js';
import { isBridge, isTunnel, roadName, type Tags } from './roads.logic.js';

type Shape = 'point' | 'line';

interface Rule {
  key: string;
  values: ReadonlySet<string>;
  /** How a way of this kind is kept: its line, or one point at its centre. */
  wayShape: Shape;
}

const rule = (key: string, values: string[], wayShape: Shape = 'point'): Rule => ({ key, values: new Set(values), wayShape });

/** First matching rule wins, so order says what an object mainly is. */
const RULES: readonly Rule[] = [
  rule('place', ['country', 'city', 'town', 'village', 'hamlet', 'suburb', 'borough', 'quarter', 'neighbourhood', 'locality']),
  rule('waterway', ['river', 'stream', 'canal', 'ditch', 'drain', 'dam', 'weir'], 'line'),
  rule('natural', ['water'], 'line'),
  rule('landuse', ['reservoir'], 'line'),
  rule('amenity', [
    'hospital', 'clinic', 'doctors', 'pharmacy', 'fire_station', 'police', 'school', 'kindergarten', 'college', 'university',
    'townhall', 'public_building', 'courthouse', 'community_centre', 'library', 'parking', 'parking_entrance', 'fuel',
    'charging_station', 'bus_station', 'post_office', 'marketplace', 'place_of_worship', 'theatre', 'cinema', 'arts_centre',
  ]),
  rule('emergency', ['fire_hydrant', 'ambulance_station', 'assembly_point', 'water_tank']),
  rule('power', ['line', 'minor_line', 'substation', 'plant', 'generator', 'transformer']),
  rule('highway', ['traffic_signals', 'bus_stop', 'speed_camera']),
  rule('railway', ['station', 'halt', 'tram_stop', 'subway_entrance']),
  rule('aerialway', ['station']),
  rule('tourism', ['hotel', 'attraction', 'museum']),
  rule('shop', ['mall', 'supermarket', 'department_store']),
  rule('leisure', ['stadium', 'sports_centre', 'park']),
  rule('building', ['*']),
];

/** power=line and minor_line are lines even though other power objects are points. */
const LINE_VALUES: ReadonlySet<string> = new Set(['power=line', 'power=minor_line']);

function matchRule(tags: Tags | undefined): { rule: Rule; value: string } | null {
  if (!tags) return null;
  for (const r of RULES) {
    const v = tags[r.key];
    if (v === undefined || v === 'no') continue;
    if (r.values.has(v) || r.values.has('*')) return { rule: r, value: v };
  }
  return null;
}

const isLine = (m: { rule: Rule; value: string }) => m.rule.wayShape === 'line' || LINE_VALUES.has(`${m.rule.key}=${m.value}`);

const round7 = (n: number) => Math.round(n * 1e7) / 1e7;

function names(tags: Tags): { name: string | null; nameZh: string | null } {
  return { name: tags.name ?? null, nameZh: tags['name:zh'] ?? null };
}

/** A feature for a tagged node, or null when the node is nothing we keep. */
export function nodeFeature(node: { id: number; lon: number; lat: number; tags?: Tags }): MapFeature | null {
  const m = matchRule(node.tags);
  if (!m || !node.tags) return null;
  // a waterway or power-line tag on a lone node is a mapping slip, not a feature
  if (isLine(m)) return null;
  return { id: `${m.rule.key}:node/${node.id}`, kind: m.rule.key, value: m.value, ...names(node.tags), coordinates: [[round7(node.lon), round7(node.lat)]] };
}

/** Does this way carry a kept feature (decided before its coordinates are known)? */
export function wayFeatureKind(tags: Tags | undefined): boolean {
  return matchRule(tags) !== null;
}

/**
 * Features of a way: its main one (if any) and, for roads, a bridge or tunnel
 * feature carrying the road's line (structure sensors go there).
 * `line` holds the coordinates of the way's nodes found in the extract.
 */
export function wayFeatures(way: { id: number; tags: Tags }, line: Position[], isRoad: boolean): MapFeature[] {
  const out: MapFeature[] = [];
  const m = matchRule(way.tags);
  if (m) {
    const asLine = isLine(m);
    const coords = asLine ? line : line.length > 0 ? [vertexCentre(line)] : [];
    if (coords.length >= (asLine ? 2 : 1)) {
      out.push({ id: `${m.rule.key}:way/${way.id}`, kind: m.rule.key, value: m.value, ...names(way.tags), coordinates: coords.map(roundPos) });
    }
  }
  if (isRoad && line.length >= 2) {
    const structure = isBridge(way.tags) ? 'bridge' : isTunnel(way.tags) ? 'tunnel' : null;
    if (structure) {
      out.push({
        id: `${structure}:way/${way.id}`,
        kind: structure,
        value: way.tags[structure] ?? 'yes',
        name: roadName(way.tags),
        nameZh: way.tags['name:zh'] ?? null,
        coordinates: line.map(roundPos),
      });
    }
  }
  return out;
}

const roundPos = (p: Position): [number, number] => [round7(p[0]), round7(p[1])];

/** Tag keys the parsers must keep (everything else is dropped while reading). */
export const FEATURE_KEYS: readonly string[] = [...new Set([...RULES.map((r) => r.key), 'name', 'name:zh'])];
