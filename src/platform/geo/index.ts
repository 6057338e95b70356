/**
 * GeoJSON helpers (WGS84, longitude first): validated points, point-in-polygon,
 * distances in metres, bounding boxes. Pure functions only.
 */
import { badRequest } from '../errors.js';

export type Position = [number, number];
export interface Point { type: 'Point'; coordinates: Position }
export interface Polygon { type: 'Polygon'; coordinates: Position[][] }
export interface MultiPolygon { type: 'MultiPolygon'; coordinates: Position[][][] }
export type Area = Polygon | MultiPolygon;
/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

export function isValidLonLat(lon: unknown, lat: unknown): boolean {
  return typeof lon === 'number' && typeof lat === 'number' && Number.isFinite(lon) && Number.isFinite(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

/** A validated GeoJSON point; throws a 400 AppError naming the field when invalid. */
export function point(lon: unknown, lat: unknown, field = 'location'): Point {
  if (!isValidLonLat(lon, lat)) {
    throw badRequest('BAD_COORDINATES', `${field}: longitude must be -180..180 and latitude -90..90 (GeoJSON order: [lon, lat]); got [${String(lon)}, ${String(lat)}]`);
  }
  return { type: 'Point', coordinates: [lon as number, lat as number] };
}

/** Parse an untrusted GeoJSON point. */
export function parsePoint(v: unknown, field = 'location'): Point {
  const o = v as { type?: unknown; coordinates?: unknown } | null;
  if (!o || o.type !== 'Point' || !Array.isArray(o.coordinates) || o.coordinates.length < 2) {
    throw badRequest('BAD_COORDINATES', `${field}: expected a GeoJSON Point {"type":"Point","coordinates":[lon,lat]}`);
  }
  return point(o.coordinates[0], o.coordinates[1], field);
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres. */
export function distanceM(a: Position, b: Position): number {
  const dLat = rad(b[1] - a[1]);
  const dLon = rad(b[0] - a[0]);
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

function inRing(p: Position, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Even-odd point-in-polygon with holes. */
export function pointInPolygon(p: Position, area: Area): boolean {
  const polys = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  return polys.some((rings) => rings.length > 0 && inRing(p, rings[0]!) && !rings.slice(1).some((h) => inRing(p, h)));
}

export function bboxOf(area: Area): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const polys = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  for (const rings of polys) for (const ring of rings) for (const [x, y] of ring) {
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  }
  return b;
}

export function inBBox(p: Position, b: BBox): boolean {
  return p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
}

/** Parse "minLon,minLat,maxLon,maxLat"; throws 400 when malformed. */
export function parseBBox(s: string, field = 'bbox'): BBox {
  const parts = s.split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)) || !isValidLonLat(parts[0], parts[1]) || !isValidLonLat(parts[2], parts[3]) || parts[0]! > parts[2]! || parts[1]! > parts[3]!) {
    throw badRequest('BAD_BBOX', `${field}: expected "minLon,minLat,maxLon,maxLat" with min ≤ max; got "${s}"`);
  }
  return parts as BBox;
}

/** Mean of the distinct vertices of a line or ring (a closed ring repeats its first point). */
export function vertexCentre(coords: readonly Position[]): Position {
  const first = coords[0];
  const last = coords[coords.length - 1];
  const pts = coords.length > 1 && first && last && first[0] === last[0] && first[1] === last[1] ? coords.slice(0, -1) : coords;
  let x = 0;
  let y = 0;
  for (const p of pts) {
    x += p[0];
    y += p[1];
  }
  return [x / pts.length, y / pts.length];
}
