/**
 * Sensor search helpers (pure): parse the "near" filter, the bounding box a
 * circle fits in (a cheap SQL pre-filter), and the exact distance cut.
 */
import { badRequest } from '../../../platform/errors.js';
import { distanceM, isValidLonLat, type BBox } from '../../../platform/geo/index.js';
import type { SensorState } from '../types.js';
import type { Near } from './types.js';

export const SEARCH_STATES: readonly SensorState[] = ['active', 'inactive', 'maintenance', 'silent'];
/** Largest search radius: a city, not a continent. */
export const MAX_RADIUS_M = 100_000;
const M_PER_DEG_LAT = 111_320;

/** Parse "lon,lat,radiusM"; throws 400 BAD_NEAR when malformed. */
export function parseNear(s: string): Near {
  const parts = s.split(',').map((p) => p.trim());
  const [lon, lat, r] = parts.map(Number) as [number, number, number];
  if (parts.length !== 3 || parts.some((p) => p === '') || !isValidLonLat(lon, lat) || !Number.isFinite(r) || r <= 0 || r > MAX_RADIUS_M) {
    throw badRequest('BAD_NEAR', `near: expected "lon,lat,radiusM" with a radius of 1..${MAX_RADIUS_M} metres (e.g. "1.52,42.51,500"); got "${s}"`);
  }
  return { lon, lat, radiusM: r };
}

/** A box containing every point within the radius (slightly larger, never smaller). */
export function bboxAround(n: Near): BBox {
  const dLat = (n.radiusM / M_PER_DEG_LAT) * 1.01;
  const cos = Math.cos((Math.min(89, Math.abs(n.lat) + dLat) * Math.PI) / 180);
  const dLon = Math.min(180, (n.radiusM / (M_PER_DEG_LAT * cos)) * 1.01);
  return [Math.max(-180, n.lon - dLon), Math.max(-90, n.lat - dLat), Math.min(180, n.lon + dLon), Math.min(90, n.lat + dLat)];
}

/** Keep items within the radius, nearest first, each with its distance in metres. */
export function withinRadius<T extends { lon: number; lat: number }>(items: T[], n: Near): Array<T & { distanceM: number }> {
  const out: Array<T & { distanceM: number }> = [];
  for (const it of items) {
    const d = distanceM([n.lon, n.lat], [it.lon, it.lat]);
    if (d <= n.radiusM) out.push({ ...it, distanceM: Math.round(d * 10) / 10 });
  }
  return out.sort((a, b) => a.distanceM - b.distanceM);
}

/** Intersection of two boxes; null when they do not overlap. */
export function intersectBBox(a: BBox, b: BBox): BBox | null {
  const r: BBox = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[0] <= r[2] && r[1] <= r[3] ? r : null;
}
