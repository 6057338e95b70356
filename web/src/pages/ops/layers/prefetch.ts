/**
 * The two big first answers (the road network and every sensor's latest value)
 * are requested before the session check and the map when a session token is
 * there: by index.html's early script on a direct visit to /ops (see
 * web/vite.config.ts, window.__opsEarly), else as soon as the screen's code
 * runs. The layer hooks take them from here once (later mounts, or a failed
 * early request, fetch afresh and report errors themselves).
 */
import { api, apiToken } from '../../../api/client.js';
import type { LatestItem } from '../types.js';

export interface RoadsFC extends GeoJSON.FeatureCollection {
  bbox?: [number, number, number, number];
}

/** Where the session keeps its token (web/src/auth/AuthContext.tsx); read directly because this may run before it. */
const TOKEN_KEY = 'cityops.token';

let roads: Promise<RoadsFC> | null = null;
let latest: Promise<{ items: LatestItem[] }> | null = null;

/** The responses index.html's early script started, each taken once. */
type EarlyKey = 'roads' | 'latest';
const EARLY = window as unknown as { __opsEarly?: Partial<Record<EarlyKey, Promise<Response>>> };

function early<T>(key: EarlyKey, path: string): Promise<T> | null {
  const started = EARLY.__opsEarly?.[key];
  if (started) {
    delete EARLY.__opsEarly![key];
    const p = started.then(async (res) => {
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      return (await res.json()) as T;
    });
    p.catch(() => undefined);
    return p;
  }
  const token = apiToken() ?? sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const p = api<T>(path, { headers: { authorization: `Bearer ${token}` } });
  // A failure is not reported here: the hook that takes the promise asks again and reports its own.
  p.catch(() => undefined);
  return p;
}

export function prefetchOpsData(): void {
  roads ??= early<RoadsFC>('roads', '/api/v1/roads/geojson');
  latest ??= early<{ items: LatestItem[] }>('latest', '/api/v1/latest');
}

function take<T>(p: Promise<T> | null, path: string): Promise<T> {
  return p ? p.catch(() => api<T>(path)) : api<T>(path);
}

export function takeRoads(): Promise<RoadsFC> {
  const p = take(roads, '/api/v1/roads/geojson');
  roads = null;
  return p;
}

export function takeLatest(): Promise<{ items: LatestItem[] }> {
  const p = take(latest, '/api/v1/latest');
  latest = null;
  return p;
}
