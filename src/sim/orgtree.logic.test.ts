import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOsmCollector, type ParsedNetwork } from '../modules/emergency/collect.logic.js';
import { readOsmFile } from '../modules/emergency/osmfile.js';
import { parseOsmXml } from '../modules/emergency/osmxml.logic.js';
import { checkOrgUnit, computePaths } from '../platform/auth/org.logic.js';
import type { Polygon } from '../platform/geo/index.js';
import { checkGridCoverage, clipConvex, clipHalfPlane, deriveOrgTree, kMeans, signedArea, slugify, voronoiCells, type OrgUnitDraft, type XY } from './orgtree.logic.js';

const square = (x0: number, y0: number, s: number): XY[] => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s]];

describe('planar geometry', () => {
  it('clips a polygon by a half-plane', () => {
    const half = clipHalfPlane(square(0, 0, 10), 1, 0, 4); // x ≤ 4
    expect(signedArea(half)).toBeCloseTo(40);
    expect(half.every(([x]) => x <= 4 + 1e-9)).toBe(true);
    expect(clipHalfPlane(square(0, 0, 10), 1, 0, -1)).toEqual([]);
    expect(signedArea(clipHalfPlane(square(0, 0, 10), 1, 0, 20))).toBeCloseTo(100);
  });

  it('clips by a convex polygon (Sutherland–Hodgman)', () => {
    expect(signedArea(clipConvex(square(0, 0, 10), square(5, 5, 10)))).toBeCloseTo(25);
    const triangle: XY[] = [[0, 0], [10, 0], [0, 10]];
    expect(signedArea(clipConvex(square(0, 0, 10), triangle))).toBeCloseTo(50);
    expect(clipConvex(square(0, 0, 1), square(5, 5, 1))).toEqual([]);
  });

  it('Voronoi cells tile the region and each holds its own site', () => {
    const region = square(0, 0, 100);
    const sites: XY[] = [[10, 10], [80, 20], [50, 50], [20, 90], [90, 90]];
    const cells = voronoiCells(sites, region);
    expect(cells.reduce((s, c) => s + signedArea(c), 0)).toBeCloseTo(10_000, 6);
    cells.forEach((c, i) => {
      expect(signedArea(c)).toBeGreaterThan(0);
      // nearer to its own site than to any other, checked at the cell's vertices
      for (const v of c) {
        const own = Math.hypot(v[0] - sites[i]![0], v[1] - sites[i]![1]);
        for (const o of sites) expect(own).toBeLessThanOrEqual(Math.hypot(v[0] - o[0], v[1] - o[1]) + 1e-6);
      }
    });
  });

  it('k-means is deterministic and finds obvious clusters', () => {
    const pts: XY[] = [];
    for (let i = 0; i < 50; i++) pts.push([i % 5, Math.floor(i / 5) % 5], [100 + (i % 5), 100 + (Math.floor(i / 5) % 5)]);
    const a = kMeans(pts, 2);
    expect(a).toEqual(kMeans(pts, 2));
    const sorted = [...a].sort((p, q) => p[0] - q[0]);
    expect(sorted[0]![0]).toBeCloseTo(2);
    expect(sorted[1]![0]).toBeCloseTo(102);
  });

  it('slugs are lowercase ASCII', () => {
    expect(slugify('Sant Julià de Lòria')).toBe('sant-julia-de-loria');
    expect(slugify('l’Aldosa de Canillo')).toBe('laldosa-de-canillo');
    expect(slugify('安道尔城')).toBe('');
    expect(slugify('x'.repeat(60)).length).toBe(40);
  });
});

function ringOf(u: OrgUnitDraft) {
  return (u.boundary as Polygon).coordinates[0]!;
}

/** Properties every derived tree must have. */
function expectValidTree(units: OrgUnitDraft[], net: ParsedNetwork) {
  units.forEach((u, i) => checkOrgUnit(u, `units[${i}]`)); // ids, codes, names, closed rings, lon/lat ranges
  const paths = computePaths([], units); // one city, parents exist and come in level order
  expect(paths.size).toBe(units.length);
  expect(units.filter((u) => u.level === 'city')).toHaveLength(1);
  const [minLon, minLat, maxLon, maxLat] = [Math.min(...net.nodes.map((n) => n.lon)), Math.min(...net.nodes.map((n) => n.lat)), Math.max(...net.nodes.map((n) => n.lon)), Math.max(...net.nodes.map((n) => n.lat))];
  const city = ringOf(units[0]!);
  expect(Math.min(...city.map((p) => p[0]))).toBeLessThan(minLon);
  expect(Math.max(...city.map((p) => p[1]))).toBeGreaterThan(maxLat);
  for (const u of units) {
    const ring = ringOf(u);
    expect(ring.length).toBeGreaterThanOrEqual(4);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    // longitude first: every x near the map's longitudes, every y near its latitudes
    for (const [x, y] of ring) {
      expect(x).toBeGreaterThan(minLon - 0.1);
      expect(x).toBeLessThan(maxLon + 0.1);
      expect(y).toBeGreaterThan(minLat - 0.1);
      expect(y).toBeLessThan(maxLat + 0.1);
    }
    expect(signedArea(ring.slice(0, -1) as XY[])).toBeGreaterThan(0); // counter-clockwise (RFC 7946)
  }
  // children tile their parent: their areas add up to it
  const area = (u: OrgUnitDraft) => signedArea(ringOf(u).slice(0, -1) as XY[]);
  for (const parent of units.filter((u) => u.level === 'city' || u.level === 'district')) {
    const kids = units.filter((u) => u.parentId === parent.id);
    expect(kids.reduce((s, k) => s + area(k), 0) / area(parent)).toBeCloseTo(1, 4); // up to rounding to 1e-7°
  }
  const cover = checkGridCoverage(units, net.nodes);
  expect(cover).toEqual({ unassigned: [], multiple: [] });
}

describe('deriveOrgTree on Andorra (place=town nodes → districts)', () => {
  let net: ParsedNetwork;
  let units: OrgUnitDraft[];
  beforeAll(async () => {
    const c = createOsmCollector();
    await readOsmFile(new URL('../../assets/osm/andorra.osm.pbf', import.meta.url).pathname, c.add);
    net = c.finish();
    units = deriveOrgTree(net);
  });

  it('has the seven parishes\' towns as districts, each with at least two streets, and a few hundred grids', () => {
    const districts = units.filter((u) => u.level === 'district');
    expect(districts.map((d) => d.id).sort()).toEqual(['d-andorra-la-vella', 'd-canillo', 'd-encamp', 'd-la-massana', 'd-les-escaldes', 'd-ordino', 'd-sant-julia-de-loria']);
    expect(districts.find((d) => d.id === 'd-andorra-la-vella')).toMatchObject({ nameZh: '安道尔城', nameEn: 'Andorra la Vella' });
    for (const d of districts) expect(units.filter((u) => u.parentId === d.id).length).toBeGreaterThanOrEqual(2);
    const grids = units.filter((u) => u.level === 'grid');
    expect(grids.length).toBeGreaterThan(100);
    expect(grids.length).toBeLessThanOrEqual(400);
    expect(units[0]).toMatchObject({ id: 'c-andorra', level: 'city', nameZh: '安道尔', nameEn: 'Andorra' });
    expect(units.find((u) => u.id === 's-santa-coloma')).toMatchObject({ parentId: 'd-andorra-la-vella', nameEn: 'Santa Coloma' });
    expect(grids[0]!.nameZh).toMatch(/^.+ 网格 1$/);
    expect(grids[0]!.nameEn).toMatch(/^.+ grid 1$/);
  });

  it('is a valid tiling: every road node in exactly one grid, polygons closed and in lon/lat order', () => {
    expectValidTree(units, net);
  });

  it('is deterministic (re-running the demo reuses the same ids and codes)', () => {
    expect(deriveOrgTree(net)).toEqual(units);
  });

  it('honours a given city name and grid size', () => {
    const big = deriveOrgTree({ ...net, cityName: { zh: '示范市', en: 'Model City' }, gridSizeM: 1000 });
    expect(big[0]).toMatchObject({ id: 'c-model-city', nameZh: '示范市' });
    expect(big.filter((u) => u.level === 'grid').length).toBeLessThan(units.filter((u) => u.level === 'grid').length);
    expectValidTree(big, net);
    const few = deriveOrgTree({ ...net, maxGrids: 150 });
    expect(few.filter((u) => u.level === 'grid').length).toBeLessThanOrEqual(150);
    expectValidTree(few, net);
    // fewer grids than streets is impossible: it stops growing cells instead of looping
    const streets = units.filter((u) => u.level === 'street').length;
    expect(deriveOrgTree({ ...net, maxGrids: 1 }).filter((u) => u.level === 'grid').length).toBeLessThanOrEqual(streets * 4);
  });
});

describe('deriveOrgTree on Bautzen (no place nodes → k-means fallback)', () => {
  const c = createOsmCollector();
  for (const e of parseOsmXml(fs.readFileSync(new URL('../../assets/osm/bautzen.osm', import.meta.url), 'utf8'))) c.add(e);
  const net = c.finish();

  it('splits the road nodes into districts and streets and stays valid', () => {
    const units = deriveOrgTree(net);
    const districts = units.filter((u) => u.level === 'district');
    expect(districts.length).toBeGreaterThanOrEqual(2);
    for (const d of districts) expect(units.filter((u) => u.parentId === d.id).length).toBeGreaterThanOrEqual(2);
    expect(units.filter((u) => u.level === 'grid').length).toBeGreaterThan(0);
    expect(units[0]).toMatchObject({ id: 'c-demo-city', nameEn: 'Demo City' });
    expectValidTree(units, net);
    expect(deriveOrgTree(net)).toEqual(units);
  });

  it('refuses an empty network', () => {
    expect(() => deriveOrgTree({ nodes: [], segments: [], features: [] })).toThrow(/import an OpenStreetMap file/);
  });
});
