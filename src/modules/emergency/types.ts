/** Emergency command (SPEC X). For now: the road network imported from OpenStreetMap, which routing will use. */
import type { Principal } from '../../platform/auth/roles.js';

export interface RoadNode {
  /** OpenStreetMap node id. */
  id: number;
  lon: number;
  lat: number;
}

export interface RoadSegment {
  /** "<wayId>:<index>" — stable across re-imports of the same extract. */
  id: string;
  wayId: number;
  from: number;
  to: number;
  /** OSM highway class: motorway, trunk, primary, secondary, tertiary, residential, service, … */
  highway: string;
  name: string | null;
  lengthM: number;
  speedKph: number;
  /** Travel allowed only from → to. */
  oneway: boolean;
  bridge: boolean;
  tunnel: boolean;
}

/** Non-road map features the demo city uses to place things (rivers, town centres, parking, …). */
export interface MapFeature {
  id: string;
  /** place, waterway, amenity, parking, power, building, … (the OSM key that matched). */
  kind: string;
  /** The OSM tag value, e.g. "town", "river", "hospital". */
  value: string;
  name: string | null;
  /** name:zh when the map has it (org-tree names prefer it). */
  nameZh?: string | null;
  /**
   * One position for point-like features (nodes, and the centre of areas such as
   * parking lots and buildings); the way's line for linear ones (waterways, power
   * lines, bridges, tunnels, water bodies' outlines).
   */
  coordinates: [number, number][];
}

export interface RoadNetworkSummary {
  nodes: number;
  segments: number;
  features: number;
  bbox: [number, number, number, number] | null;
  importedAt: number | null;
  source: string | null;
  /** Feature counts by kind, e.g. { place: 68, waterway: 111, amenity: 120 }. */
  featuresByKind: Record<string, number>;
  /** Segment counts by highway class. */
  segmentsByHighway: Record<string, number>;
  /** Sum of segment lengths in kilometres. */
  lengthKm: number;
  /** Map data licence notice to show wherever the map is shown. */
  attribution: string;
}

/** Published after an import replaced the stored network (routing caches reload on it). */
export interface RoadNetworkImportedPayload {
  source: string;
  nodes: number;
  segments: number;
  features: number;
}

declare module '../../platform/bus/types.js' {
  interface DomainEventMap {
    RoadNetworkImported: RoadNetworkImportedPayload;
  }
}

export interface RoadNetworkService {
  /** Parse an .osm.pbf or .osm (XML) file and replace the stored network. */
  importOsm(file: string, onProgress?: (done: number, total: number) => void, actor?: Principal | string): Promise<RoadNetworkSummary>;
  summary(): Promise<RoadNetworkSummary>;
  /** The whole graph in memory (Andorra: ~10^5 segments). */
  loadGraph(): Promise<{ nodes: RoadNode[]; segments: RoadSegment[] }>;
  features(kind?: string): Promise<MapFeature[]>;
}
