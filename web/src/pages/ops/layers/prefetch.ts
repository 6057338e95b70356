/**
 * The two big first answers (the road network and every sensor's latest value)
 * are requested as soon as the screen's code runs, in parallel with creating
 * the map, instead of after the map has loaded; the layer hooks take them from
 * here once (later mounts fetch afresh).
 */
import { api } from '../../../api/client.js';
import type { LatestItem } from '../types.js';

export interface RoadsFC extends GeoJSON.FeatureCollection {
  bbox?: [number, number, number, number];
}

let roads: Promise<RoadsFC> | null = null;
let latest: Promise<{ items: LatestItem[] }> | null = null;

export function prefetchOpsData(): void {
  roads ??= api<RoadsFC>('/api/v1/roads/geojson');
  latest ??= api<{ items: LatestItem[] }>('/api/v1/latest');
  // Unhandled rejections are reported by the hooks that take the promises.
  roads.catch(() => undefined);
  latest.catch(() => undefined);
}

export function takeRoads(): Promise<RoadsFC> {
  const p = roads ?? api<RoadsFC>('/api/v1/roads/geojson');
  roads = null;
  return p;
}

export function takeLatest(): Promise<{ items: LatestItem[] }> {
  const p = latest ?? api<{ items: LatestItem[] }>('/api/v1/latest');
  latest = null;
  return p;
}
