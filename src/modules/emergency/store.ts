/**
 * All SQL of the road network: nodes, segments, map features and one meta row.
 * An import replaces everything in one transaction. On SQLite that transaction
 * runs synchronously on the raw driver: it is ~20x faster than batched Kysely
 * inserts and nothing else on the shared connection can interleave with it (or
 * be rolled back with it). On PostgreSQL, batched Kysely inserts in a transaction.
 */
import type { Kysely } from 'kysely';
import { bigintType, doubleType, sqliteIdle, type Database, type Migration } from '../../platform/db/index.js';
import type { MapFeature, RoadNode, RoadSegment } from './types.js';

type NodeRow = { id: number; lon: number; lat: number }
type SegmentRow = {
  id: string; way_id: number; idx: number; from_node: number; to_node: number; highway: string; name: string | null;
  length_m: number; speed_kph: number; oneway: number; bridge: number; tunnel: number;
  lon1: number; lat1: number; lon2: number; lat2: number; min_lon: number; min_lat: number; max_lon: number; max_lat: number;
}
type FeatureRow = { id: string; kind: string; value: string; name: string | null; name_zh: string | null; coordinates: string; lon: number; lat: number }
type MetaRow = {
  id: number; source: string; imported_at: number; nodes: number; segments: number; features: number;
  min_lon: number | null; min_lat: number | null; max_lon: number | null; max_lat: number | null;
  features_by_kind: string; segments_by_highway: string; length_km: number;
}

type Tables = {
  emergency_road_nodes: NodeRow;
  emergency_road_segments: SegmentRow;
  emergency_map_features: FeatureRow;
  emergency_network_meta: MetaRow;
}

export const migrations: Migration[] = [
  {
    name: 'emergency_001_road_network',
    async up(db, dialect) {
      const big = bigintType(dialect);
      const dbl = doubleType(dialect);
      await db.schema.createTable('emergency_road_nodes')
        .addColumn('id', big, (c) => c.primaryKey())
        .addColumn('lon', dbl, (c) => c.notNull())
        .addColumn('lat', dbl, (c) => c.notNull())
        .execute();
      let seg = db.schema.createTable('emergency_road_segments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('way_id', big, (c) => c.notNull())
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('from_node', big, (c) => c.notNull())
        .addColumn('to_node', big, (c) => c.notNull())
        .addColumn('highway', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('length_m', dbl, (c) => c.notNull())
        .addColumn('speed_kph', dbl, (c) => c.notNull())
        .addColumn('oneway', 'integer', (c) => c.notNull())
        .addColumn('bridge', 'integer', (c) => c.notNull())
        .addColumn('tunnel', 'integer', (c) => c.notNull());
      for (const col of ['lon1', 'lat1', 'lon2', 'lat2', 'min_lon', 'min_lat', 'max_lon', 'max_lat']) seg = seg.addColumn(col, dbl, (c) => c.notNull());
      await seg.execute();
      await db.schema.createIndex('emergency_road_segments_way').on('emergency_road_segments').columns(['way_id', 'idx']).execute();
      await db.schema.createIndex('emergency_road_segments_box').on('emergency_road_segments').columns(['min_lon', 'max_lon']).execute();
      await db.schema.createTable('emergency_map_features')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('name_zh', 'text')
        .addColumn('coordinates', 'text', (c) => c.notNull())
        .addColumn('lon', dbl, (c) => c.notNull())
        .addColumn('lat', dbl, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('emergency_map_features_kind').on('emergency_map_features').columns(['kind', 'id']).execute();
      let meta = db.schema.createTable('emergency_network_meta')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('imported_at', big, (c) => c.notNull())
        .addColumn('nodes', 'integer', (c) => c.notNull())
        .addColumn('segments', 'integer', (c) => c.notNull())
        .addColumn('features', 'integer', (c) => c.notNull());
      for (const col of ['min_lon', 'min_lat', 'max_lon', 'max_lat']) meta = meta.addColumn(col, dbl);
      await meta
        .addColumn('features_by_kind', 'text', (c) => c.notNull())
        .addColumn('segments_by_highway', 'text', (c) => c.notNull())
        .addColumn('length_km', dbl, (c) => c.notNull())
        .execute();
    },
  },
];

export interface NetworkMeta {
  source: string;
  importedAt: number;
  nodes: number;
  segments: number;
  features: number;
  bbox: [number, number, number, number] | null;
  featuresByKind: Record<string, number>;
  segmentsByHighway: Record<string, number>;
  lengthKm: number;
}

export type SegmentWithLine = RoadSegment & { coordinates: [[number, number], [number, number]] };

const nodeRow = (n: RoadNode): NodeRow => ({ id: n.id, lon: n.lon, lat: n.lat });

function segmentRow(s: RoadSegment, at: Map<number, RoadNode>): SegmentRow {
  const a = at.get(s.from)!;
  const b = at.get(s.to)!;
  return {
    id: s.id, way_id: s.wayId, idx: Number(s.id.slice(s.id.indexOf(':') + 1)), from_node: s.from, to_node: s.to, highway: s.highway, name: s.name,
    length_m: s.lengthM, speed_kph: s.speedKph, oneway: s.oneway ? 1 : 0, bridge: s.bridge ? 1 : 0, tunnel: s.tunnel ? 1 : 0,
    lon1: a.lon, lat1: a.lat, lon2: b.lon, lat2: b.lat,
    min_lon: Math.min(a.lon, b.lon), min_lat: Math.min(a.lat, b.lat), max_lon: Math.max(a.lon, b.lon), max_lat: Math.max(a.lat, b.lat),
  };
}

const featureRow = (f: MapFeature): FeatureRow => ({
  id: f.id, kind: f.kind, value: f.value, name: f.name, name_zh: f.nameZh ?? null,
  coordinates: JSON.stringify(f.coordinates), lon: f.coordinates[0]![0], lat: f.coordinates[0]![1],
});

function metaRow(m: NetworkMeta): MetaRow {
  const [minLon, minLat, maxLon, maxLat] = m.bbox ?? [null, null, null, null];
  return {
    id: 1, source: m.source, imported_at: m.importedAt, nodes: m.nodes, segments: m.segments, features: m.features,
    min_lon: minLon, min_lat: minLat, max_lon: maxLon, max_lat: maxLat,
    features_by_kind: JSON.stringify(m.featuresByKind), segments_by_highway: JSON.stringify(m.segmentsByHighway), length_km: m.lengthKm,
  };
}

function toSegment(r: SegmentRow): RoadSegment {
  return {
    id: r.id, wayId: r.way_id, from: r.from_node, to: r.to_node, highway: r.highway, name: r.name,
    lengthM: r.length_m, speedKph: r.speed_kph, oneway: r.oneway === 1, bridge: r.bridge === 1, tunnel: r.tunnel === 1,
  };
}

const TABLES = ['emergency_road_segments', 'emergency_road_nodes', 'emergency_map_features', 'emergency_network_meta'] as const;
/** Rows per INSERT on PostgreSQL: 19 columns × 2,000 stays under its 65,535 parameters. */
const PG_BATCH = 2000;

export function createRoadStore(database: Database) {
  const db: Kysely<Tables> = database.db.withTables<Tables>();

  return {
    /** Replace the whole network; onRows(done, total) after each batch. Nothing changes unless all of it commits. */
    async replaceNetwork(net: { nodes: RoadNode[]; segments: RoadSegment[]; features: MapFeature[] }, meta: NetworkMeta, onRows?: (done: number, total: number) => void): Promise<void> {
      const at = new Map(net.nodes.map((n) => [n.id, n]));
      const total = net.nodes.length + net.segments.length + net.features.length;
      const sqlite = database.sqlite;
      if (sqlite) {
        await sqliteIdle(sqlite);
        const run = sqlite.transaction(() => {
          for (const t of TABLES) sqlite.prepare(`DELETE FROM ${t}`).run();
          const insert = <R extends object>(table: string, rows: Iterable<R>, cols: (keyof R & string)[]) => {
            const stmt = sqlite.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map((c) => '@' + c).join(',')})`);
            for (const r of rows) stmt.run(r);
          };
          insert('emergency_road_nodes', net.nodes.map(nodeRow), ['id', 'lon', 'lat']);
          const segs = net.segments.map((s) => segmentRow(s, at));
          if (segs[0]) insert('emergency_road_segments', segs, Object.keys(segs[0]) as (keyof SegmentRow)[]);
          const feats = net.features.map(featureRow);
          if (feats[0]) insert('emergency_map_features', feats, Object.keys(feats[0]) as (keyof FeatureRow)[]);
          const m = metaRow(meta);
          insert('emergency_network_meta', [m], Object.keys(m) as (keyof MetaRow)[]);
        });
        run();
        onRows?.(total, total);
        return;
      }
      await db.transaction().execute(async (trx) => {
        for (const t of TABLES) await trx.deleteFrom(t).execute();
        let done = 0;
        const batches = async <T extends keyof Tables>(table: T, rows: Tables[T][]) => {
          for (let i = 0; i < rows.length; i += PG_BATCH) {
            const chunk = rows.slice(i, i + PG_BATCH);
            // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely cannot narrow a generic table's insert type
            await trx.insertInto(table).values(chunk as any).execute();
            done += chunk.length;
            onRows?.(done, total);
          }
        };
        await batches('emergency_road_nodes', net.nodes.map(nodeRow));
        await batches('emergency_road_segments', net.segments.map((s) => segmentRow(s, at)));
        await batches('emergency_map_features', net.features.map(featureRow));
        await trx.insertInto('emergency_network_meta').values(metaRow(meta)).execute();
      });
    },

    async meta(): Promise<NetworkMeta | null> {
      const r = await db.selectFrom('emergency_network_meta').selectAll().where('id', '=', 1).executeTakeFirst();
      if (!r) return null;
      return {
        source: r.source, importedAt: r.imported_at, nodes: r.nodes, segments: r.segments, features: r.features,
        bbox: r.min_lon === null || r.min_lat === null || r.max_lon === null || r.max_lat === null ? null : [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
        featuresByKind: JSON.parse(r.features_by_kind) as Record<string, number>,
        segmentsByHighway: JSON.parse(r.segments_by_highway) as Record<string, number>,
        lengthKm: r.length_km,
      };
    },

    async nodes(): Promise<RoadNode[]> {
      return db.selectFrom('emergency_road_nodes').select(['id', 'lon', 'lat']).orderBy('id').execute();
    },

    async segments(): Promise<RoadSegment[]> {
      const rows = await db.selectFrom('emergency_road_segments').selectAll().orderBy('way_id').orderBy('idx').execute();
      return rows.map(toSegment);
    },

    async segmentsIn(q: { bbox?: [number, number, number, number]; highways?: string[]; limit: number }): Promise<SegmentWithLine[]> {
      let query = db.selectFrom('emergency_road_segments').selectAll();
      if (q.bbox) {
        const [minLon, minLat, maxLon, maxLat] = q.bbox;
        query = query.where('min_lon', '<=', maxLon).where('max_lon', '>=', minLon).where('min_lat', '<=', maxLat).where('max_lat', '>=', minLat);
      }
      if (q.highways?.length) query = query.where('highway', 'in', q.highways);
      const rows = await query.orderBy('way_id').orderBy('idx').limit(q.limit).execute();
      return rows.map((r) => ({ ...toSegment(r), coordinates: [[r.lon1, r.lat1], [r.lon2, r.lat2]] }));
    },

    async features(kind?: string): Promise<MapFeature[]> {
      let query = db.selectFrom('emergency_map_features').selectAll();
      if (kind !== undefined) query = query.where('kind', '=', kind);
      const rows = await query.execute();
      // sorted here, not in SQL: PostgreSQL's text collation would order ids differently from SQLite
      rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return rows.map((r) => ({ id: r.id, kind: r.kind, value: r.value, name: r.name, nameZh: r.name_zh, coordinates: JSON.parse(r.coordinates) as [number, number][] }));
    },
  };
}

export type RoadStore = ReturnType<typeof createRoadStore>;
