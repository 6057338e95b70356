/**
 * Road-network use cases: import an OpenStreetMap file (parse, build the graph,
 * replace the stored network, audit, announce), and read it back whole or by area.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AuditLog } from '../../platform/audit/types.js';
import type { Principal } from '../../platform/auth/roles.js';
import type { Bus } from '../../platform/bus/types.js';
import type { Clock } from '../../platform/clock.js';
import { badRequest, conflict } from '../../platform/errors.js';
import { createOsmCollector, type ParsedNetwork } from './collect.logic.js';
import { checkOsmFile, readOsmFile } from './osmfile.js';
import type { NetworkMeta, RoadStore, SegmentWithLine } from './store.js';
import type { MapFeature, RoadNetworkService, RoadNetworkSummary } from './types.js';

export const OSM_ATTRIBUTION = '© OpenStreetMap contributors (ODbL 1.0)';

/** Share of the progress bar spent parsing; the rest is writing to the store. */
const PARSE_SHARE = 0.6;
const PROGRESS_STEPS = 100;

export interface RoadsService extends RoadNetworkService {
  segmentsIn(q: { bbox?: [number, number, number, number]; highways?: string[]; limit: number }): Promise<{ segments: SegmentWithLine[]; truncated: boolean }>;
  /** Import a file named relative to (or inside) one of `roots` only: the HTTP route's guard against reading arbitrary server files. */
  importFromRoots(file: string, roots: string[], actor: Principal | string): Promise<RoadNetworkSummary>;
}

export function summarise(net: ParsedNetwork, source: string, importedAt: number): NetworkMeta {
  const featuresByKind: Record<string, number> = {};
  for (const f of net.features) featuresByKind[f.kind] = (featuresByKind[f.kind] ?? 0) + 1;
  const segmentsByHighway: Record<string, number> = {};
  let lengthM = 0;
  for (const s of net.segments) {
    segmentsByHighway[s.highway] = (segmentsByHighway[s.highway] ?? 0) + 1;
    lengthM += s.lengthM;
  }
  let bbox: NetworkMeta['bbox'] = null;
  for (const n of net.nodes) {
    if (!bbox) bbox = [n.lon, n.lat, n.lon, n.lat];
    else bbox = [Math.min(bbox[0], n.lon), Math.min(bbox[1], n.lat), Math.max(bbox[2], n.lon), Math.max(bbox[3], n.lat)];
  }
  return {
    source, importedAt, nodes: net.nodes.length, segments: net.segments.length, features: net.features.length,
    bbox, featuresByKind, segmentsByHighway, lengthKm: Math.round(lengthM / 10) / 100,
  };
}

function toSummary(m: NetworkMeta | null): RoadNetworkSummary {
  if (!m) return { nodes: 0, segments: 0, features: 0, bbox: null, importedAt: null, source: null, featuresByKind: {}, segmentsByHighway: {}, lengthKm: 0, attribution: OSM_ATTRIBUTION };
  return { ...m, attribution: OSM_ATTRIBUTION };
}

export function createRoadService(deps: { store: RoadStore; audit: AuditLog; bus: Bus; clock: Clock }): RoadsService {
  const { store, audit, bus, clock } = deps;
  let importing = false;

  async function importOsm(file: string, onProgress?: (done: number, total: number) => void, actor: Principal | string = 'system'): Promise<RoadNetworkSummary> {
    const abs = path.resolve(file);
    checkOsmFile(abs);
    if (importing) throw conflict('OSM_IMPORT_RUNNING', 'An OpenStreetMap import is already running; try again when it has finished');
    importing = true;
    try {
      let last = -1;
      const report = (fraction: number) => {
        const step = Math.min(PROGRESS_STEPS, Math.floor(fraction * PROGRESS_STEPS));
        if (step > last) {
          last = step;
          onProgress?.(step, PROGRESS_STEPS);
        }
      };
      report(0);
      const collector = createOsmCollector();
      const format = await readOsmFile(abs, collector.add, (read, total) => report((PARSE_SHARE * read) / Math.max(1, total)));
      const net = collector.finish();
      if (net.segments.length === 0) {
        throw badRequest('OSM_NO_ROADS', `${path.basename(abs)} holds no drivable roads (highway=motorway … residential, service); the stored network was left unchanged`, net.stats);
      }
      const meta = summarise(net, path.basename(abs), clock.now());
      await store.replaceNetwork(net, meta, (done, total) => report(PARSE_SHARE + ((1 - PARSE_SHARE) * done) / Math.max(1, total)));
      report(1);
      await audit.append({
        actor,
        action: 'roads.import',
        targetType: 'road_network',
        targetId: meta.source,
        details: { file: abs, format, nodes: meta.nodes, segments: meta.segments, features: meta.features, featuresByKind: meta.featuresByKind, ...net.stats },
      });
      await bus.publish('RoadNetworkImported', { source: meta.source, nodes: meta.nodes, segments: meta.segments, features: meta.features });
      return toSummary(meta);
    } finally {
      importing = false;
    }
  }

  return {
    importOsm,

    async importFromRoots(file, roots, actor) {
      return importOsm(resolveUnderRoots(file, roots), undefined, actor);
    },

    async summary() {
      return toSummary(await store.meta());
    },

    async loadGraph() {
      const [nodes, segments] = await Promise.all([store.nodes(), store.segments()]);
      return { nodes, segments };
    },

    async features(kind?: string): Promise<MapFeature[]> {
      return store.features(kind);
    },

    async segmentsIn(q) {
      const rows = await store.segmentsIn({ ...q, limit: q.limit + 1 });
      return { segments: rows.slice(0, q.limit), truncated: rows.length > q.limit };
    },
  };
}

/**
 * The real path of `file` when it lies inside one of `roots` (relative names
 * are tried against each root in turn); 400 OSM_FILE_NOT_ALLOWED when it lies
 * elsewhere (also through "..", or a symlink), 400 OSM_FILE_NOT_FOUND when absent.
 */
export function resolveUnderRoots(file: string, roots: string[]): string {
  const realRoots = roots.filter((r) => fs.existsSync(r)).map((r) => fs.realpathSync(r));
  const candidates = path.isAbsolute(file) ? [file] : roots.map((r) => path.resolve(r, file));
  let outside = false;
  for (const c of candidates) {
    if (!fs.existsSync(c)) continue;
    const real = fs.realpathSync(c);
    if (realRoots.some((r) => real.startsWith(r + path.sep))) return real;
    outside = true;
  }
  const where = `the server's assets directory or data directory (${roots.join(', ')})`;
  if (outside) throw badRequest('OSM_FILE_NOT_ALLOWED', `${file} is outside ${where}; copy the file there first`);
  throw badRequest('OSM_FILE_NOT_FOUND', `No file ${file} in ${where}; give a path such as "osm/andorra.osm.pbf"`);
}
