/**
 * The road network as one compact GeoJSON answer for drawing a map: consecutive
 * segments of the same OSM way are chained into one line (a way of 40 nodes is
 * one feature, not 39), coordinates are rounded (5 decimals ≈ 1 m) and the only
 * properties are the road class and name. Pure.
 */

export interface SegmentLine {
  wayId: number;
  highway: string;
  name: string | null;
  coordinates: [[number, number], [number, number]];
}

export interface RoadLineFeature {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  properties: { h: string; n?: string };
}

const roundTo = (digits: number) => {
  const f = 10 ** digits;
  return (x: number) => Math.round(x * f) / f;
};

/**
 * Chain segments (ordered by way, then position in the way) into lines: a new
 * line starts at a new way, a change of class, or a gap (a segment that does
 * not start where the previous one ended, e.g. after a split at an excluded node).
 */
export function roadLines(segments: Iterable<SegmentLine>, digits = 5): RoadLineFeature[] {
  const r = roundTo(digits);
  const out: RoadLineFeature[] = [];
  let cur: RoadLineFeature | null = null;
  let curWay = NaN;
  let last: [number, number] | null = null;
  for (const s of segments) {
    const [a, b] = s.coordinates;
    const start: [number, number] = [r(a[0]), r(a[1])];
    const end: [number, number] = [r(b[0]), r(b[1])];
    const continues = cur !== null && curWay === s.wayId && cur.properties.h === s.highway && last !== null && last[0] === start[0] && last[1] === start[1];
    if (continues) {
      cur!.geometry.coordinates.push(end);
    } else {
      cur = { type: 'Feature', geometry: { type: 'LineString', coordinates: [start, end] }, properties: s.name ? { h: s.highway, n: s.name } : { h: s.highway } };
      out.push(cur);
      curWay = s.wayId;
    }
    last = end;
  }
  return out;
}
