import { describe, expect, it } from 'vitest';
import { bboxOf, distanceM, parseBBox, parsePoint, pointInPolygon, type Polygon } from './index.js';

const square: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6], [0.4, 0.4]]] };

describe('geo', () => {
  it('measures great-circle distance in metres', () => {
    // Andorra la Vella to Escaldes-Engordany, about 1.6 km
    const d = distanceM([1.5218, 42.5063], [1.5341, 42.5092]);
    expect(d).toBeGreaterThan(1000);
    expect(d).toBeLessThan(1200);
    expect(distanceM([0, 0], [0, 1])).toBeCloseTo(111_195, -2);
  });

  it('tests points against polygons with holes', () => {
    expect(pointInPolygon([0.2, 0.2], square)).toBe(true);
    expect(pointInPolygon([0.5, 0.5], square)).toBe(false);
    expect(pointInPolygon([1.5, 0.5], square)).toBe(false);
    expect(bboxOf(square)).toEqual([0, 0, 1, 1]);
  });

  it('rejects bad coordinates with a message naming the field', () => {
    expect(() => parsePoint({ type: 'Point', coordinates: [200, 10] }, 'sensor.location')).toThrow(/sensor.location: longitude must be -180..180/);
    expect(() => parsePoint({ type: 'Point', coordinates: [Number.NaN, 10] })).toThrow(/BAD_COORDINATES|longitude/);
    expect(() => parsePoint({ coordinates: [1, 2] })).toThrow(/GeoJSON Point/);
    expect(parsePoint({ type: 'Point', coordinates: [1.5, 42.5] }).coordinates).toEqual([1.5, 42.5]);
  });

  it('parses a bbox and refuses an inverted one', () => {
    expect(parseBBox('1.4,42.4,1.8,42.7')).toEqual([1.4, 42.4, 1.8, 42.7]);
    expect(() => parseBBox('1.8,42.4,1.4,42.7')).toThrow(/min ≤ max/);
    expect(() => parseBBox('a,b')).toThrow(/minLon,minLat,maxLon,maxLat/);
  });
});
