import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOsmCollector, type OsmElement } from './collect.logic.js';
import { nodeFeature, wayFeatures } from './features.logic.js';
import { parseOsmXml } from './osmxml.logic.js';

describe('map features', () => {
  it('keeps named places with their Chinese name', () => {
    expect(nodeFeature({ id: 5, lon: 1.52, lat: 42.51, tags: { place: 'town', name: 'Andorra la Vella', 'name:zh': '安道尔城' } })).toEqual({
      id: 'place:node/5', kind: 'place', value: 'town', name: 'Andorra la Vella', nameZh: '安道尔城', coordinates: [[1.52, 42.51]],
    });
  });

  it('ignores objects that are not useful (shops in general, benches, power towers, lone waterway nodes)', () => {
    const cases: Record<string, string>[] = [{ shop: 'bakery' }, { amenity: 'bench' }, { power: 'tower' }, { waterway: 'river' }, { highway: 'crossing' }, { amenity: 'no' }];
    for (const tags of cases) {
      expect(nodeFeature({ id: 1, lon: 0, lat: 0, tags })).toBeNull();
    }
  });

  it('keeps areas as their centre point and linear objects as lines', () => {
    const ring: [number, number][] = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];
    expect(wayFeatures({ id: 8, tags: { amenity: 'parking' } }, ring, false)).toEqual([
      { id: 'amenity:way/8', kind: 'amenity', value: 'parking', name: null, nameZh: null, coordinates: [[1, 1]] },
    ]);
    const river = wayFeatures({ id: 9, tags: { waterway: 'river', name: 'Gran Valira' } }, [[0, 0], [1, 1], [2, 1]], false);
    expect(river[0]).toMatchObject({ kind: 'waterway', value: 'river', coordinates: [[0, 0], [1, 1], [2, 1]] });
    expect(wayFeatures({ id: 10, tags: { power: 'line' } }, [[0, 0], [1, 1]], false)[0]!.coordinates).toHaveLength(2);
    expect(wayFeatures({ id: 11, tags: { power: 'substation' } }, ring, false)[0]!.coordinates).toEqual([[1, 1]]);
    // a line with fewer than two known points is nothing
    expect(wayFeatures({ id: 12, tags: { waterway: 'stream' } }, [[0, 0]], false)).toEqual([]);
  });

  it('adds a bridge or tunnel feature for roads on structures, named after the road', () => {
    const f = wayFeatures({ id: 13, tags: { highway: 'primary', bridge: 'viaduct', name: 'Pont' } }, [[0, 0], [1, 0]], true);
    expect(f).toEqual([{ id: 'bridge:way/13', kind: 'bridge', value: 'viaduct', name: 'Pont', nameZh: null, coordinates: [[0, 0], [1, 0]] }]);
    expect(wayFeatures({ id: 14, tags: { highway: 'primary', tunnel: 'yes', ref: 'CG-3' } }, [[0, 0], [1, 0]], true)[0]).toMatchObject({ kind: 'tunnel', name: 'CG-3' });
    expect(wayFeatures({ id: 15, tags: { highway: 'primary', tunnel: 'culvert' } }, [[0, 0], [1, 0]], true)).toEqual([]);
  });
});

describe('createOsmCollector', () => {
  const elements: OsmElement[] = [
    { type: 'node', id: 1, lon: 1.5, lat: 42.5 },
    { type: 'node', id: 2, lon: 1.501, lat: 42.5 },
    { type: 'node', id: 3, lon: 1.502, lat: 42.5 },
    { type: 'node', id: 4, lon: 1.501, lat: 42.501 },
    { type: 'node', id: 5, lon: 1.6, lat: 42.6 }, // on a footway only
    { type: 'node', id: 6, lon: 1.5005, lat: 42.5005, tags: { place: 'village', name: 'Vila' } },
    { type: 'node', id: 7, lon: 1.5008, lat: 42.5005, tags: { amenity: 'hospital', name: 'Hospital' } },
    { type: 'way', id: 20, refs: [1, 2, 3], tags: { highway: 'secondary', maxspeed: '50' } },
    { type: 'way', id: 21, refs: [2, 4, 99], tags: { highway: 'residential', oneway: 'yes' } },
    { type: 'way', id: 22, refs: [4, 5], tags: { highway: 'footway' } },
    { type: 'way', id: 23, refs: [1, 4], tags: { waterway: 'stream' } },
    { type: 'way', id: 24, refs: [1, 2, 4, 1], tags: { building: 'yes' } },
    { type: 'way', id: 25, refs: [3, 4] },
  ];

  it('builds segments from road ways only, keeps only the nodes they use, and collects features', () => {
    const c = createOsmCollector();
    for (const e of elements) c.add(e);
    const net = c.finish();
    expect(net.segments.map((s) => [s.id, s.from, s.to, s.highway, s.oneway, s.speedKph])).toEqual([
      ['20:0', 1, 2, 'secondary', false, 50],
      ['20:1', 2, 3, 'secondary', false, 50],
      ['21:0', 2, 4, 'residential', true, 30],
    ]);
    expect(net.nodes.map((n) => n.id)).toEqual([1, 2, 3, 4]);
    expect(net.features.map((f) => f.id)).toEqual(['amenity:node/7', 'building:way/24', 'place:node/6', 'waterway:way/23']);
    expect(net.stats).toEqual({ osmNodes: 7, osmWays: 6, roadWays: 2, missingNodeRefs: 1, droppedFeatures: 0 });
  });

  it('accepts ways before their nodes (unsorted files) and caps features per kind', () => {
    const c = createOsmCollector({ maxFeaturesPerKind: 1 });
    for (const e of [...elements].reverse()) c.add(e);
    const net = c.finish();
    expect(net.segments).toHaveLength(3);
    expect(net.features.map((f) => f.kind)).toEqual(['amenity', 'building', 'place', 'waterway']);
    const c2 = createOsmCollector({ maxFeaturesPerKind: 1 });
    for (const e of elements) c2.add(e);
    c2.add({ type: 'node', id: 8, lon: 1.5, lat: 42.5, tags: { amenity: 'police' } });
    expect(c2.finish().stats.droppedFeatures).toBe(1);
  });

  it('reads the Bautzen extract: motorways one-way, every segment endpoint a kept node', () => {
    const c = createOsmCollector();
    for (const e of parseOsmXml(fs.readFileSync(new URL('../../../assets/osm/bautzen.osm', import.meta.url), 'utf8'))) c.add(e);
    const net = c.finish();
    expect(net.nodes.length).toBe(224);
    expect(net.segments.length).toBe(228);
    const ids = new Set(net.nodes.map((n) => n.id));
    expect(net.segments.every((s) => ids.has(s.from) && ids.has(s.to) && s.lengthM > 0)).toBe(true);
    expect(net.segments.filter((s) => s.highway === 'motorway').every((s) => s.oneway)).toBe(true);
    expect(new Set(net.segments.map((s) => s.id)).size).toBe(net.segments.length);
    expect(net.features.some((f) => f.kind === 'bridge')).toBe(true);
  });
});
