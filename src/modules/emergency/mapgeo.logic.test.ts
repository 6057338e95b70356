import { describe, expect, it } from 'vitest';
import { roadLines, type SegmentLine } from './mapgeo.logic.js';

const seg = (wayId: number, highway: string, a: [number, number], b: [number, number], name: string | null = null): SegmentLine => ({ wayId, highway, name, coordinates: [a, b] });

describe('roadLines', () => {
  it('chains the consecutive segments of a way into one rounded line', () => {
    const lines = roadLines([
      seg(1, 'primary', [1.5000001, 42.5000004], [1.501, 42.501], 'Avinguda'),
      seg(1, 'primary', [1.501, 42.501], [1.502, 42.5025]),
      seg(2, 'residential', [1.502, 42.5025], [1.6, 42.6]),
    ]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ type: 'Feature', geometry: { type: 'LineString', coordinates: [[1.5, 42.5], [1.501, 42.501], [1.502, 42.5025]] }, properties: { h: 'primary', n: 'Avinguda' } });
    expect(lines[1]!.properties).toEqual({ h: 'residential' });
  });

  it('starts a new line at a gap inside a way', () => {
    const lines = roadLines([seg(1, 'service', [0, 0], [0, 1]), seg(1, 'service', [0, 2], [0, 3])]);
    expect(lines.map((l) => l.geometry.coordinates)).toEqual([[[0, 0], [0, 1]], [[0, 2], [0, 3]]]);
  });

  it('gives nothing for no segments', () => {
    expect(roadLines([])).toEqual([]);
  });
});
