/**
 * The sensors' latest values kept in memory and turned into the map's GeoJSON.
 * Stream rows ([id, tsMs, value]) only mark sensors dirty; `collect()` builds a
 * new FeatureCollection when something changed, so the screen redraws the map at
 * its own pace (a few times a second) however fast readings arrive.
 */
import type { LatestItem } from '../types.js';

export type LiveRow = [string, number, number];
/** ok, stale (nothing for a while) or alarm (an active alarm on it). */
export type SensorState = 'ok' | 'stale' | 'alarm';

interface SensorPoint {
  id: string;
  cls: string;
  lon: number;
  lat: number;
  ts: number | null;
  value: number | null;
}

export interface SensorFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { id: string; c: string; v: number | null; t: number | null; s: SensorState };
}

/** A sensor is drawn faded when it has said nothing for this long. */
export const STALE_MS = 5 * 60_000;

export class SensorFeed {
  private readonly points = new Map<string, SensorPoint>();
  private dirty = false;
  private alarmed: ReadonlyMap<string, string> = new Map();
  /** Readings applied since the start, and stream batches received. */
  readings = 0;
  batches = 0;
  newestTs = 0;

  load(items: LatestItem[]): void {
    for (const it of items) {
      const ts = it.ts === null ? null : Date.parse(it.ts);
      this.points.set(it.sensor, { id: it.sensor, cls: it.class, lon: it.lon, lat: it.lat, ts, value: it.value });
      if (ts !== null && ts > this.newestTs) this.newestTs = ts;
    }
    this.dirty = true;
  }

  /** Apply one stream batch; rows of sensors not loaded yet are ignored (the next snapshot brings them). */
  apply(rows: LiveRow[]): void {
    this.batches++;
    for (const [id, ts, value] of rows) {
      const p = this.points.get(id);
      if (!p) continue;
      if (p.ts !== null && ts < p.ts) continue;
      p.ts = ts;
      p.value = value;
      this.readings++;
      if (ts > this.newestTs) this.newestTs = ts;
    }
    if (rows.length) this.dirty = true;
  }

  setAlarmed(bySensor: ReadonlyMap<string, string>): void {
    this.alarmed = bySensor;
    this.dirty = true;
  }

  get size(): number {
    return this.points.size;
  }

  get(id: string): SensorPoint | undefined {
    return this.points.get(id);
  }

  /** The features when something changed since the last call, else null. */
  collect(now: number): { type: 'FeatureCollection'; features: SensorFeature[] } | null {
    if (!this.dirty) return null;
    this.dirty = false;
    const features: SensorFeature[] = [];
    let i = 0;
    for (const p of this.points.values()) {
      const s: SensorState = this.alarmed.has(p.id) ? 'alarm' : p.ts === null || now - p.ts > STALE_MS ? 'stale' : 'ok';
      features.push({ type: 'Feature', id: i++, geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { id: p.id, c: p.cls, v: p.value, t: p.ts, s } });
    }
    return { type: 'FeatureCollection', features };
  }
}
