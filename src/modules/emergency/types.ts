/** Emergency command (SPEC X). For now: the road network imported from OpenStreetMap, which routing will use. */

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
  /** A point for nodes; a line (LineString coordinates) for ways. */
  coordinates: [number, number][];
}

export interface RoadNetworkSummary {
  nodes: number;
  segments: number;
  features: number;
  bbox: [number, number, number, number] | null;
  importedAt: number | null;
  source: string | null;
}

export interface RoadNetworkService {
  /** Parse an .osm.pbf or .osm (XML) file and replace the stored network. */
  importOsm(file: string, onProgress?: (done: number, total: number) => void): Promise<RoadNetworkSummary>;
  summary(): Promise<RoadNetworkSummary>;
  /** The whole graph in memory (Andorra: ~10^5 segments). */
  loadGraph(): Promise<{ nodes: RoadNode[]; segments: RoadSegment[] }>;
  features(kind?: string): Promise<MapFeature[]>;
}
