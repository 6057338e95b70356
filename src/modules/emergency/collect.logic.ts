/**
 * Turns a stream of OpenStreetMap elements (from either parser) into the road
 * graph and the map features. Buffered in one pass: node coordinates are kept
 * in memory because ways (which come after nodes) say which nodes matter; for
 * a country-sized extract such as Andorra that is ~70,000 coordinates, far
 * cheaper than reading the file twice.
 */
import type { Position } from '../../platform/geo/index.js';
import type { MapFeature, RoadNode, RoadSegment } from './types.js';
import { nodeFeature, wayFeatureKind, wayFeatures } from './features.logic.js';
import { roadClass, waySegments, type Tags } from './roads.logic.js';

export interface OsmNodeElement {
  type: 'node';
  id: number;
  lon: number;
  lat: number;
  tags?: Tags;
}

export interface OsmWayElement {
  type: 'way';
  id: number;
  refs: number[];
  tags?: Tags;
}

export type OsmElement = OsmNodeElement | OsmWayElement;

export interface ParsedNetwork {
  nodes: RoadNode[];
  segments: RoadSegment[];
  features: MapFeature[];
  stats: {
    osmNodes: number;
    osmWays: number;
    roadWays: number;
    /** Node pairs skipped because a node is not in the extract. */
    missingNodeRefs: number;
    /** Features left out because their kind reached the per-kind cap. */
    droppedFeatures: number;
  };
}

/** Keeps memory and the features table bounded on big extracts (buildings first of all). */
export const MAX_FEATURES_PER_KIND = 20_000;

const round7 = (n: number) => Math.round(n * 1e7) / 1e7;

export interface OsmCollector {
  add(el: OsmElement): void;
  finish(): ParsedNetwork;
}

export function createOsmCollector(opts: { maxFeaturesPerKind?: number } = {}): OsmCollector {
  const maxPerKind = opts.maxFeaturesPerKind ?? MAX_FEATURES_PER_KIND;
  const coords = new Map<number, Position>();
  const nodeFeatures: MapFeature[] = [];
  const roadWays: Array<{ way: OsmWayElement & { tags: Tags }; highway: string }> = [];
  const featureWays: Array<OsmWayElement & { tags: Tags }> = [];
  let osmNodes = 0;
  let osmWays = 0;

  return {
    add(el) {
      if (el.type === 'node') {
        osmNodes++;
        coords.set(el.id, [round7(el.lon), round7(el.lat)]);
        if (el.tags) {
          const f = nodeFeature(el);
          if (f) nodeFeatures.push(f);
        }
        return;
      }
      osmWays++;
      if (!el.tags) return;
      const way = el as OsmWayElement & { tags: Tags };
      const highway = roadClass(el.tags);
      if (highway) roadWays.push({ way, highway });
      if (highway || wayFeatureKind(el.tags)) featureWays.push(way);
    },

    finish() {
      const coordOf = (id: number) => coords.get(id);
      const segments: RoadSegment[] = [];
      let missingNodeRefs = 0;
      roadWays.sort((a, b) => a.way.id - b.way.id);
      for (const { way, highway } of roadWays) {
        const r = waySegments(way, highway, coordOf);
        for (const s of r.segments) segments.push(s);
        missingNodeRefs += r.missing;
      }

      const used = new Set<number>();
      for (const s of segments) {
        used.add(s.from);
        used.add(s.to);
      }
      const nodes: RoadNode[] = [...used].sort((a, b) => a - b).map((id) => {
        const p = coords.get(id)!;
        return { id, lon: p[0], lat: p[1] };
      });

      const all = [...nodeFeatures];
      for (const way of featureWays) {
        const line: Position[] = [];
        for (const ref of way.refs) {
          const p = coords.get(ref);
          if (p) line.push(p);
        }
        for (const f of wayFeatures(way, line, roadClass(way.tags) !== null)) all.push(f);
      }
      all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const perKind = new Map<string, number>();
      const features: MapFeature[] = [];
      let droppedFeatures = 0;
      for (const f of all) {
        const n = perKind.get(f.kind) ?? 0;
        if (n >= maxPerKind) {
          droppedFeatures++;
          continue;
        }
        perKind.set(f.kind, n + 1);
        features.push(f);
      }

      return {
        nodes,
        segments,
        features,
        stats: { osmNodes, osmWays, roadWays: roadWays.length, missingNodeRefs, droppedFeatures },
      };
    },
  };
}
