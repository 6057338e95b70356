import { describe, expect, it } from 'vitest';
import { distanceM, type Position } from '../../platform/geo/index.js';
import { isBridge, isTunnel, onewayDirection, parseMaxspeed, roadClass, speedKph, waySegments } from './roads.logic.js';

describe('roadClass', () => {
  it('keeps drivable classes and drops paths, tracks and areas', () => {
    expect(roadClass({ highway: 'primary' })).toBe('primary');
    expect(roadClass({ highway: 'motorway_link' })).toBe('motorway_link');
    expect(roadClass({ highway: 'living_street' })).toBe('living_street');
    for (const h of ['footway', 'path', 'cycleway', 'steps', 'track', 'pedestrian', 'construction', 'bus_stop']) expect(roadClass({ highway: h })).toBeNull();
    expect(roadClass({ highway: 'service', area: 'yes' })).toBeNull();
    expect(roadClass({ waterway: 'river' })).toBeNull();
    expect(roadClass(undefined)).toBeNull();
  });
});

describe('parseMaxspeed', () => {
  it.each([
    ['50', 50],
    [' 80 ', 80],
    ['50 km/h', 50],
    ['30 mph', 48.3],
    ['30mph', 48.3],
    ['10 knots', 18.5],
    ['walk', 6],
    ['RO:urban', 50],
    ['RO:rural', 90],
    ['DE:rural', 100],
    ['FR:rural', 80],
    ['RU:urban', 60],
    ['DE:zone30', 30],
    ['DE:zone:30', 30],
    ['GB:nsl_single', 96.6],
    ['DE:living_street', 20],
    ['90;30;90;30', 30],
    ['none;50', 50],
  ])('%s → %d km/h', (raw, kph) => {
    expect(parseMaxspeed(raw)).toBe(kph);
  });

  it.each([undefined, '', 'none', 'signals', 'variable', 'fast', '0', '-5', '999', 'NaN', 'XX:unknown_zone'])('%s → null (class default applies)', (raw) => {
    expect(parseMaxspeed(raw)).toBeNull();
  });

  it('falls back to the highway class default', () => {
    expect(speedKph({}, 'residential')).toBe(30);
    expect(speedKph({}, 'primary')).toBe(60);
    expect(speedKph({}, 'motorway')).toBe(110);
    expect(speedKph({ maxspeed: 'none' }, 'motorway')).toBe(110);
    expect(speedKph({ maxspeed: '70' }, 'residential')).toBe(70);
    expect(speedKph({ maxspeed: 'garbage' }, 'service')).toBe(20);
  });
});

describe('onewayDirection', () => {
  it('reads the oneway tag', () => {
    for (const v of ['yes', '1', 'true', 'YES']) expect(onewayDirection({ oneway: v }, 'primary')).toBe(1);
    for (const v of ['-1', 'reverse']) expect(onewayDirection({ oneway: v }, 'primary')).toBe(-1);
    for (const v of ['no', '0', 'false', 'reversible', 'alternating']) expect(onewayDirection({ oneway: v }, 'primary')).toBe(0);
    expect(onewayDirection({}, 'residential')).toBe(0);
  });

  it('implies one-way for roundabouts and motorways unless tagged otherwise', () => {
    expect(onewayDirection({ junction: 'roundabout' }, 'primary')).toBe(1);
    expect(onewayDirection({ junction: 'circular' }, 'tertiary')).toBe(1);
    expect(onewayDirection({}, 'motorway')).toBe(1);
    expect(onewayDirection({}, 'motorway_link')).toBe(1);
    expect(onewayDirection({ oneway: 'no' }, 'motorway')).toBe(0);
    expect(onewayDirection({ junction: 'roundabout', oneway: '-1' }, 'primary')).toBe(-1);
    expect(onewayDirection({}, 'trunk')).toBe(0);
  });
});

describe('bridge and tunnel flags', () => {
  it('reads them, ignoring "no" and culverts', () => {
    expect(isBridge({ bridge: 'yes' })).toBe(true);
    expect(isBridge({ bridge: 'viaduct' })).toBe(true);
    expect(isBridge({ bridge: 'no' })).toBe(false);
    expect(isBridge({})).toBe(false);
    expect(isTunnel({ tunnel: 'yes' })).toBe(true);
    expect(isTunnel({ tunnel: 'culvert' })).toBe(false);
    expect(isTunnel({ tunnel: 'no' })).toBe(false);
  });
});

describe('waySegments', () => {
  const coords = new Map<number, Position>([
    [1, [1.5, 42.5]],
    [2, [1.501, 42.5]],
    [3, [1.502, 42.5005]],
    [4, [1.503, 42.501]],
  ]);
  const at = (id: number) => coords.get(id);

  it('makes one segment per consecutive node pair with haversine lengths and way attributes', () => {
    const { segments, missing } = waySegments({ id: 77, refs: [1, 2, 3], tags: { highway: 'primary', name: 'Avinguda Meritxell', maxspeed: '50', bridge: 'yes' } }, 'primary', at);
    expect(missing).toBe(0);
    expect(segments.map((s) => [s.id, s.from, s.to])).toEqual([['77:0', 1, 2], ['77:1', 2, 3]]);
    expect(segments[0]).toMatchObject({ wayId: 77, highway: 'primary', name: 'Avinguda Meritxell', speedKph: 50, oneway: false, bridge: true, tunnel: false });
    expect(segments[0]!.lengthM).toBeCloseTo(distanceM([1.5, 42.5], [1.501, 42.5]), 1);
    expect(segments[0]!.lengthM).toBeGreaterThan(80);
    expect(segments[0]!.lengthM).toBeLessThan(83);
  });

  it('reverses from/to for oneway=-1 and keeps ids in drawing order', () => {
    const { segments } = waySegments({ id: 5, refs: [1, 2, 3], tags: { highway: 'residential', oneway: '-1' } }, 'residential', at);
    expect(segments.map((s) => [s.id, s.from, s.to, s.oneway])).toEqual([['5:0', 2, 1, true], ['5:1', 3, 2, true]]);
  });

  it('uses ref when there is no name', () => {
    const { segments } = waySegments({ id: 6, refs: [1, 2], tags: { highway: 'primary', ref: 'CG-2' } }, 'primary', at);
    expect(segments[0]!.name).toBe('CG-2');
  });

  it('skips repeated nodes and pairs with a node missing from the extract, keeping index-based ids', () => {
    const { segments, missing } = waySegments({ id: 9, refs: [1, 1, 2, 99, 3, 4], tags: { highway: 'service' } }, 'service', at);
    expect(segments.map((s) => s.id)).toEqual(['9:1', '9:4']);
    expect(missing).toBe(2);
  });
});
