/**
 * The sensors' latest values kept in memory, and what the map must show of them.
 * Stream rows ([id, tsMs, value]) only update the values here; the map draws each
 * sensor once (features()) and afterwards hears only the sensors whose state —
 * ok, stale or alarm, the only live thing it draws — changed (stateChanges()), so
 * 2,000+ readings a second cost no redraw unless a sensor's look changes.
 */
import type { LatestItem } from '../types.js';

export type LiveRow = [string, number, number];
/** ok, stale (nothing for a while) or alarm (an active alarm on it). */
export type SensorState = 'ok' | 'stale' | 'alarm';

interface SensorPoint {
  id: string;
  /** The map feature's id: the sensor's place in the feed, fixed once loaded. */
  fid: number;
  cls: string;
  lon: number;
  lat: number;
  ts: number | null;
  value: number | null;
  /** The state the map shows now. */
  shown: SensorState;
}

export interface SensorFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { id: string; c: string; s: SensorState };
}

/** A sensor is drawn faded when it has said nothing for this long. */
export const STALE_MS = 5 * 60_000;

export class SensorFeed {
  private readonly points = new Map<string, SensorPoint>();
  private alarmed: ReadonlyMap<string, string> = new Map();
  /** Readings applied since the start, and stream batches received. */
  readings = 0;
  batches = 0;
  newestTs = 0;

  load(items: LatestItem[]): void {
    for (const it of items) {
      const ts = it.ts === null ? null : Date.parse(it.ts);
      const known = this.points.get(it.sensor);
      if (known) {
        if (ts !== null && (known.ts === null || ts > known.ts)) Object.assign(known, { ts, value: it.value });
      } else {
        this.points.set(it.sensor, { id: it.sensor, fid: this.points.size, cls: it.class, lon: it.lon, lat: it.lat, ts, value: it.value, shown: 'ok' });
      }
      if (ts !== null && ts > this.newestTs) this.newestTs = ts;
    }
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
  }

  setAlarmed(bySensor: ReadonlyMap<string, string>): void {
    this.alarmed = bySensor;
  }

  get size(): number {
    return this.points.size;
  }

  get(id: string): SensorPoint | undefined {
    return this.points.get(id);
  }

  private stateOf(p: SensorPoint, now: number): SensorState {
    return this.alarmed.has(p.id) ? 'alarm' : p.ts === null || now - p.ts > STALE_MS ? 'stale' : 'ok';
  }

  /** Every sensor as a map feature in its current state (the map's first picture, or after sensors were added). */
  features(now: number): { type: 'FeatureCollection'; features: SensorFeature[] } {
    const features: SensorFeature[] = [];
    for (const p of this.points.values()) {
      p.shown = this.stateOf(p, now);
      features.push({ type: 'Feature', id: p.fid, geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { id: p.id, c: p.cls, s: p.shown } });
    }
    return { type: 'FeatureCollection', features };
  }

  /** The sensors whose state differs from what the map shows, as [feature id, new state]; they count as shown after. */
  stateChanges(now: number): Array<[number, SensorState]> {
    const out: Array<[number, SensorState]> = [];
    for (const p of this.points.values()) {
      const s = this.stateOf(p, now);
      if (s !== p.shown) {
        p.shown = s;
        out.push([p.fid, s]);
      }
    }
    return out;
  }
}
