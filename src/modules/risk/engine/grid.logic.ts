/**
 * A uniform grid over sensor positions for "which sensors of a class are
 * within r metres of this one": built once per index rebuild, each query looks
 * at the few cells around the point instead of every sensor.
 */
import { distanceM } from '../../../platform/geo/index.js';

export interface GridPoint {
  lon: number;
  lat: number;
}

const M_PER_DEG_LAT = 111_320;

export class GridIndex<T extends GridPoint> {
  private readonly cells = new Map<string, T[]>();
  private readonly mPerDegLon: number;

  constructor(points: readonly T[], private readonly cellM: number, refLat?: number) {
    const lat = refLat ?? (points.length ? points.reduce((s, p) => s + p.lat, 0) / points.length : 0);
    this.mPerDegLon = Math.max(1, M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180));
    for (const p of points) {
      const k = this.key(this.cx(p.lon), this.cy(p.lat));
      const list = this.cells.get(k);
      if (list) list.push(p);
      else this.cells.set(k, [p]);
    }
  }

  private cx(lon: number): number {
    return Math.floor((lon * this.mPerDegLon) / this.cellM);
  }

  private cy(lat: number): number {
    return Math.floor((lat * M_PER_DEG_LAT) / this.cellM);
  }

  private key(x: number, y: number): string {
    return `${x}:${y}`;
  }

  /** Points within radiusM metres of (lon, lat), by great-circle distance. */
  within(lon: number, lat: number, radiusM: number): T[] {
    // One spare ring of cells: the flat projection is only exact at the reference latitude.
    const r = Math.ceil(radiusM / this.cellM) + 1;
    const x0 = this.cx(lon);
    const y0 = this.cy(lat);
    const out: T[] = [];
    for (let x = x0 - r; x <= x0 + r; x++) {
      for (let y = y0 - r; y <= y0 + r; y++) {
        for (const p of this.cells.get(this.key(x, y)) ?? []) if (distanceM([lon, lat], [p.lon, p.lat]) <= radiusM) out.push(p);
      }
    }
    return out;
  }
}
