/**
 * Small planar geometry for placing sensors over a city-sized area: a local
 * metric projection, a grid index for "what is near here", points spaced
 * along lines, and picking well-spread points from many candidates.
 */
import { vertexCentre, type Position } from '../platform/geo/index.js';
import { shuffled, type Rng } from '../platform/random.js';

const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON_EQ = 111_320;

/** Equirectangular projection around a reference latitude: fine (< 0.1 %) over a city. */
export interface Projection {
  toXY(p: Position): [number, number];
  dist(a: Position, b: Position): number;
}

export function projection(refLat: number): Projection {
  const kx = M_PER_DEG_LON_EQ * Math.cos((refLat * Math.PI) / 180);
  return {
    toXY: (p) => [p[0] * kx, p[1] * M_PER_DEG_LAT],
    dist: (a, b) => Math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * M_PER_DEG_LAT),
  };
}

/** Items bucketed by grid cell, for radius queries in O(items nearby). */
export class GridIndex<T> {
  private readonly cells = new Map<string, Array<{ p: Position; item: T }>>();
  constructor(
    private readonly proj: Projection,
    private readonly cellM: number,
  ) {}

  private key(x: number, y: number): string {
    return `${Math.floor(x / this.cellM)},${Math.floor(y / this.cellM)}`;
  }

  add(p: Position, item: T): void {
    const [x, y] = this.proj.toXY(p);
    const k = this.key(x, y);
    let cell = this.cells.get(k);
    if (!cell) this.cells.set(k, (cell = []));
    cell.push({ p, item });
  }

  /** Items within radiusM of p, nearest first. */
  near(p: Position, radiusM: number): Array<{ item: T; p: Position; d: number }> {
    const [x, y] = this.proj.toXY(p);
    const r = Math.ceil(radiusM / this.cellM);
    const cx = Math.floor(x / this.cellM);
    const cy = Math.floor(y / this.cellM);
    const out: Array<{ item: T; p: Position; d: number }> = [];
    for (let i = cx - r; i <= cx + r; i++) {
      for (let j = cy - r; j <= cy + r; j++) {
        for (const e of this.cells.get(`${i},${j}`) ?? []) {
          const d = this.proj.dist(p, e.p);
          if (d <= radiusM) out.push({ item: e.item, p: e.p, d });
        }
      }
    }
    return out.sort((a, b) => a.d - b.d);
  }

  nearest(p: Position, maxM: number): { item: T; p: Position; d: number } | undefined {
    return this.near(p, maxM)[0];
  }
}

/** Points every spacingM along a polyline, the first at offsetM from its start. Returns where the next line should start counting. */
export function pointsAlong(line: readonly Position[], spacingM: number, offsetM: number, proj: Projection): { points: Position[]; carry: number } {
  const points: Position[] = [];
  let next = offsetM;
  let walked = 0;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1]!;
    const b = line[i]!;
    const len = proj.dist(a, b);
    while (len > 0 && next <= walked + len) {
      const f = (next - walked) / len;
      points.push([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]);
      next += spacingM;
    }
    walked += len;
  }
  return { points, carry: next - walked };
}

export function lineLength(line: readonly Position[], proj: Projection): number {
  let len = 0;
  for (let i = 1; i < line.length; i++) len += proj.dist(line[i - 1]!, line[i]!);
  return len;
}

/** Mean of the vertices: a point for a small closed way (a parking lot, a building). */
export const centroid = vertexCentre;

/**
 * Up to `target` candidates, shuffled, keeping those at least minSepM from the
 * ones already kept; when that leaves too few, the separation is halved and
 * the rest are considered again. Deterministic for a given rng.
 */
export function pickSpread<T extends { p: Position }>(candidates: readonly T[], target: number, minSepM: number, proj: Projection, rng: Rng): T[] {
  const order = shuffled(candidates, rng);
  const kept: T[] = [];
  const used = new Set<number>();
  let sep = minSepM;
  while (kept.length < target && used.size < order.length) {
    const index = new GridIndex<null>(proj, Math.max(sep, 10));
    for (const k of kept) index.add(k.p, null);
    for (let i = 0; i < order.length && kept.length < target; i++) {
      if (used.has(i)) continue;
      const c = order[i]!;
      if (sep > 0 && index.nearest(c.p, sep)) continue;
      kept.push(c);
      used.add(i);
      index.add(c.p, null);
    }
    if (sep === 0) break;
    sep = sep < 5 ? 0 : sep / 2;
  }
  return kept;
}
