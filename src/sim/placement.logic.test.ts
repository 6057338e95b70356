/** Sensor placement on the real Andorra map and on a tiny made-up one. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OSM_FILE } from '../config.js';
import { createOsmCollector, type ParsedNetwork } from '../modules/emergency/collect.logic.js';
import { readOsmFile } from '../modules/emergency/osmfile.js';
import type { MapFeature, RoadNode, RoadSegment } from '../modules/emergency/types.js';
import { definitionFor } from '../modules/sensing/classes.js';
import { SENSOR_CLASSES } from '../modules/sensing/types.js';
import type { Position } from '../platform/geo/index.js';
import { projection, type Projection } from './geometry.logic.js';
import { placeSensors, type Placement } from './placement.logic.js';

const TAXONOMY_DEPTS = new Set(['CGJ', 'JTJ', 'JJ', 'HBJ', 'SWJ', 'ZJJ', 'YLJ', 'SCJ', 'YJJ', 'XFJ', 'WJW', 'GYJ', 'MZJ', 'JD']);

/** Distance from p to the segment a–b, metres. */
function toSegment(p: Position, a: Position, b: Position, proj: Projection): number {
  const [px, py] = proj.toXY(p);
  const [ax, ay] = proj.toXY(a);
  const [bx, by] = proj.toXY(b);
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function nearestLine(p: Position, lines: Position[][], proj: Projection): number {
  let best = Infinity;
  for (const l of lines) for (let i = 1; i < l.length; i++) best = Math.min(best, toSegment(p, l[i - 1]!, l[i]!, proj));
  return best;
}

describe('placeSensors on the Andorra road network', () => {
  let net: ParsedNetwork;
  let placed: Placement;
  const proj = projection(42.55);

  beforeAll(async () => {
    const c = createOsmCollector();
    await readOsmFile(path.resolve(DEFAULT_OSM_FILE), (e) => c.add(e));
    net = c.finish();
    placed = placeSensors(net);
  });

  it('places at least 2,000 sensors of all 12 classes with unique ids', () => {
    expect(placed.sensors.length).toBeGreaterThanOrEqual(2000);
    for (const c of SENSOR_CLASSES) expect(placed.counts[c], c).toBeGreaterThanOrEqual(20);
    expect(Object.keys(placed.counts).sort()).toEqual([...SENSOR_CLASSES].sort());
    expect(new Set(placed.sensors.map((s) => s.id)).size).toBe(placed.sensors.length);
  });

  it('gives every sensor a valid location inside the map, a known metric, a name and a taxonomy department', () => {
    const [w, s, e, n] = placed.bbox;
    for (const x of placed.sensors) {
      expect(x.lon >= w - 0.01 && x.lon <= e + 0.01 && x.lat >= s - 0.01 && x.lat <= n + 0.01, x.id).toBe(true);
      expect(definitionFor(x.class, x.metric), `${x.id} ${x.metric}`).toBeDefined();
      expect(x.name.length).toBeGreaterThan(3);
      expect(TAXONOMY_DEPTS.has(x.department), x.department).toBe(true);
      expect(x.profile.seed >= 0 && x.profile.seed < 1).toBe(true);
    }
    expect(placed.sensors.find((x) => x.class === 'water_level')!.department).toBe('SWJ');
    expect(placed.sensors.find((x) => x.class === 'smoke')!.department).toBe('XFJ');
  });

  it('puts traffic sensors on main roads', () => {
    const pos = new Map(net.nodes.map((n) => [n.id, [n.lon, n.lat] as Position]));
    const main = net.segments.filter((g) => ['motorway', 'trunk', 'primary', 'secondary'].includes(g.highway)).map((g) => [pos.get(g.from)!, pos.get(g.to)!]);
    const traffic = placed.sensors.filter((x) => x.class === 'traffic');
    for (const t of traffic.filter((_, i) => i % 5 === 0)) expect(nearestLine([t.lon, t.lat], main, proj), t.id).toBeLessThan(2);
  });

  it('puts most water-level gauges along rivers and streams', () => {
    const rivers = net.features.filter((f) => f.kind === 'waterway' && ['river', 'stream', 'canal', 'drain'].includes(f.value)).map((f) => f.coordinates);
    const gauges = placed.sensors.filter((x) => x.class === 'water_level');
    const near = gauges.filter((g) => nearestLine([g.lon, g.lat], rivers, proj) < 250);
    expect(near.length / gauges.length).toBeGreaterThan(0.8);
  });

  it('puts air quality and crowd sensors mostly in town centres, tilt meters on bridges and tunnels', () => {
    const central = (c: string) => {
      const xs = placed.sensors.filter((x) => x.class === c);
      return xs.filter((x) => x.profile.centrality > 0.1).length / xs.length;
    };
    expect(central('air_quality')).toBeGreaterThan(0.5);
    expect(central('crowd')).toBeGreaterThan(0.5);
    expect(central('smoke')).toBeGreaterThan(0.5);
    const structures = net.features.filter((f) => f.kind === 'bridge' || f.kind === 'tunnel').map((f) => f.coordinates);
    const tilt = placed.sensors.filter((x) => x.class === 'tilt');
    expect(tilt.filter((t) => nearestLine([t.lon, t.lat], structures, proj) < 5).length).toBeGreaterThanOrEqual(60);
  });

  it('is deterministic: the same map gives the same sensors', () => {
    const again = placeSensors(net);
    expect(again.sensors.map((s) => `${s.id}@${s.lon},${s.lat}`)).toEqual(placed.sensors.map((s) => `${s.id}@${s.lon},${s.lat}`));
  });
});

describe('placeSensors on a tiny map', () => {
  // A crossroads village with a river under a bridge: fallbacks must still give every class.
  const nodes: RoadNode[] = [];
  const segments: RoadSegment[] = [];
  const road = (wayId: number, highway: string, name: string | null, pts: Position[], flags: { bridge?: boolean } = {}) => {
    pts.forEach((p, i) => {
      const id = wayId * 100 + i;
      nodes.push({ id, lon: p[0], lat: p[1] });
      if (i > 0) segments.push({ id: `${wayId}:${i - 1}`, wayId, from: id - 1, to: id, highway, name, lengthM: 0, speedKph: 50, oneway: false, bridge: !!flags.bridge, tunnel: false });
    });
  };
  const line = (a: Position, b: Position, n: number): Position[] => Array.from({ length: n + 1 }, (_, i) => [a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n]);
  road(1, 'primary', 'Main Street', line([10.0, 50.0], [10.03, 50.0], 30));
  road(2, 'residential', null, line([10.015, 49.99], [10.015, 50.01], 20));
  road(3, 'secondary', 'Bridge Road', line([10.02, 49.995], [10.02, 49.996], 2), { bridge: true });
  const features: MapFeature[] = [
    { id: 'place:node/1', kind: 'place', value: 'village', name: 'Testdorf', coordinates: [[10.015, 50.0]] },
    { id: 'waterway:way/2', kind: 'waterway', value: 'river', name: 'Test River', coordinates: line([10.0, 49.9955], [10.03, 49.9955], 10) },
  ];

  it('places every class, at most the requested number of stations each', () => {
    const p = placeSensors({ nodes, segments, features }, { stations: { traffic: 5, sos: 3 } });
    for (const c of SENSOR_CLASSES) expect(p.counts[c], c).toBeGreaterThanOrEqual(1);
    expect(p.counts.traffic).toBe(10); // five stations, flow and speed each
    expect(p.counts.sos).toBe(3);
    expect(p.sensors.find((s) => s.class === 'traffic')!.name).toContain('Main Street');
    expect(p.sensors.find((s) => s.class === 'water_level')!.name).toContain('Test River');
    expect(p.centre).toEqual([10.015, 50.0]);
  });
});
