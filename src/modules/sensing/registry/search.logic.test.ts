/** The near filter: parsing, the pre-filter box, and the exact circle. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { distanceM, inBBox } from '../../../platform/geo/index.js';
import { bboxAround, intersectBBox, parseNear, withinRadius } from './search.logic.js';

describe('parseNear', () => {
  it('reads lon,lat,radiusM', () => {
    expect(parseNear('1.52, 42.51,500')).toEqual({ lon: 1.52, lat: 42.51, radiusM: 500 });
  });

  it.each(['1.52,42.51', '1.52,42.51,0', '1.52,42.51,-5', '1.52,42.51,999999', '200,42,100', 'a,b,c', '1.5,,100', '1,2,3,4'])('rejects "%s" with BAD_NEAR', (s) => {
    expect(() => parseNear(s)).toThrow(AppError);
    try {
      parseNear(s);
    } catch (e) {
      expect((e as AppError).code).toBe('BAD_NEAR');
    }
  });
});

describe('bboxAround and withinRadius', () => {
  it('the box contains every point of the circle, at several latitudes', () => {
    for (const lat of [0, 42.5, 70]) {
      const n = { lon: 10, lat, radiusM: 2000 };
      const b = bboxAround(n);
      for (let a = 0; a < 360; a += 15) {
        const rad = (a * Math.PI) / 180;
        // A point just inside the circle in direction a.
        const dLat = ((1999 * Math.cos(rad)) / 111_320);
        const dLon = ((1999 * Math.sin(rad)) / (111_320 * Math.cos((lat * Math.PI) / 180)));
        const p: [number, number] = [n.lon + dLon, n.lat + dLat];
        if (distanceM([n.lon, n.lat], p) <= n.radiusM) expect(inBBox(p, b)).toBe(true);
      }
    }
  });

  it('keeps points within the radius, nearest first, with their distance', () => {
    const c = { lon: 1.52, lat: 42.5, radiusM: 1000 };
    const pts = [
      { id: 'far', lon: 1.54, lat: 42.5 }, // ~1.6 km
      { id: 'mid', lon: 1.528, lat: 42.5 }, // ~650 m
      { id: 'near', lon: 1.521, lat: 42.5 }, // ~80 m
    ];
    const hits = withinRadius(pts, c);
    expect(hits.map((h) => h.id)).toEqual(['near', 'mid']);
    expect(hits[0]!.distanceM).toBeGreaterThan(70);
    expect(hits[0]!.distanceM).toBeLessThan(90);
  });

  it('intersects boxes, or says they do not overlap', () => {
    expect(intersectBBox([0, 0, 2, 2], [1, 1, 3, 3])).toEqual([1, 1, 2, 2]);
    expect(intersectBBox([0, 0, 1, 1], [2, 2, 3, 3])).toBeNull();
  });
});
