/** HTTP for the road network: summary, segments and features as GeoJSON, and (admins) re-import from a server file. */
import { Type } from 'typebox';
import { toIso } from '../../platform/clock.js';
import { badRequest } from '../../platform/errors.js';
import { parseBBox } from '../../platform/geo/index.js';
import { principalOf, type App } from '../../platform/http/app.js';
import { roadLines } from './mapgeo.logic.js';
import { ROAD_CLASSES } from './roads.logic.js';
import { OSM_ATTRIBUTION, type RoadsService } from './service.js';
import type { RoadNetworkSummary } from './types.js';

const TAGS = ['roads'];
const MAX_SEGMENTS = 20_000;
const MAX_FEATURES = 20_000;

const Counts = Type.Record(Type.String(), Type.Integer());

const SummaryReply = Type.Object({
  nodes: Type.Integer(),
  segments: Type.Integer(),
  features: Type.Integer(),
  bbox: Type.Union([Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }), Type.Null()], { description: '[minLon, minLat, maxLon, maxLat]' }),
  importedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  source: Type.Union([Type.String(), Type.Null()]),
  featuresByKind: Counts,
  segmentsByHighway: Counts,
  lengthKm: Type.Number(),
  attribution: Type.String(),
});

const onWire = (s: RoadNetworkSummary) => ({ ...s, importedAt: s.importedAt === null ? null : toIso(s.importedAt) });

function parseHighways(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const list = raw.split(',').map((h) => h.trim()).filter(Boolean);
  const bad = list.filter((h) => !ROAD_CLASSES.includes(h));
  if (bad.length) throw badRequest('BAD_HIGHWAY', `highway: unknown road class ${bad.join(', ')}; use a comma list of ${ROAD_CLASSES.join(', ')}`);
  return list;
}

export function registerRoadRoutes(app: App, deps: { roads: RoadsService; importRoots: () => string[] }): void {
  const { roads } = deps;

  app.get('/api/v1/roads/summary', {
    config: { access: 'authenticated' },
    schema: { tags: TAGS, summary: 'The stored road network: counts, extent, source and map attribution', response: { 200: SummaryReply } },
  }, async () => onWire(await roads.summary()));

  app.get('/api/v1/roads/segments', {
    config: { access: 'authenticated' },
    schema: {
      tags: TAGS,
      summary: 'Road segments as a GeoJSON FeatureCollection of LineStrings, by area and road class',
      description: `One feature per segment between two consecutive OSM nodes. At most \`limit\` (default 5,000, at most ${MAX_SEGMENTS.toLocaleString('en')}) features; "truncated": true when more match — narrow the bbox.`,
      querystring: Type.Object({
        bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat' })),
        highway: Type.Optional(Type.String({ description: `Comma list of road classes: ${ROAD_CLASSES.join(', ')}` })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEGMENTS, default: 5000 })),
      }),
    },
  }, async (req) => {
    const q = req.query;
    const bbox = q.bbox === undefined ? undefined : parseBBox(q.bbox);
    const { segments, truncated } = await roads.segmentsIn({ bbox, highways: parseHighways(q.highway), limit: q.limit ?? 5000 });
    return {
      type: 'FeatureCollection' as const,
      truncated,
      attribution: OSM_ATTRIBUTION,
      features: segments.map(({ coordinates, ...p }) => ({ type: 'Feature' as const, id: p.id, geometry: { type: 'LineString' as const, coordinates }, properties: p })),
    };
  });

  // The whole network as one compact answer for the operations map, built once per import.
  let drawn: { key: string; json: string } | null = null;
  app.get('/api/v1/roads/geojson', {
    config: { access: 'authenticated' },
    schema: {
      tags: TAGS,
      summary: 'The whole road network for drawing a map: one GeoJSON FeatureCollection of lines (one per run of an OSM way), compact',
      description: 'Consecutive segments of a way are chained into one LineString; coordinates are rounded to 5 decimals (about 1 m); '
        + 'properties are only "h" (the road class) and "n" (the name, when it has one). The answer is built once per import and cached. '
        + 'For routing-grade data (one feature per segment with length, speed and direction) use /api/v1/roads/segments.',
    },
  }, async (_req, reply) => {
    const meta = await roads.summary();
    const key = `${meta.source ?? ''}@${meta.importedAt ?? ''}`;
    if (drawn?.key !== key) {
      const { segments } = await roads.segmentsIn({ limit: Math.max(1, meta.segments) });
      const fc = { type: 'FeatureCollection', attribution: OSM_ATTRIBUTION, bbox: meta.bbox ?? undefined, features: roadLines(segments) };
      drawn = { key, json: JSON.stringify(fc) };
    }
    return reply.type('application/geo+json; charset=utf-8').header('cache-control', 'private, no-cache').send(drawn.json);
  });

  app.get('/api/v1/roads/features', {
    config: { access: 'authenticated' },
    schema: {
      tags: TAGS,
      summary: 'Map features (places, waterways, public services, bridges …) as GeoJSON Points and LineStrings',
      querystring: Type.Object({
        kind: Type.Optional(Type.String({ description: 'place, waterway, natural, landuse, amenity, emergency, power, highway, railway, aerialway, tourism, shop, leisure, building, bridge, tunnel' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FEATURES, default: 5000 })),
      }),
    },
  }, async (req) => {
    const all = await roads.features(req.query.kind);
    const limit = req.query.limit ?? 5000;
    return {
      type: 'FeatureCollection' as const,
      truncated: all.length > limit,
      attribution: OSM_ATTRIBUTION,
      features: all.slice(0, limit).map(({ coordinates, ...p }) => ({
        type: 'Feature' as const,
        id: p.id,
        geometry: coordinates.length === 1 ? { type: 'Point' as const, coordinates: coordinates[0]! } : { type: 'LineString' as const, coordinates },
        properties: p,
      })),
    };
  });

  app.post('/api/v1/roads/import', {
    config: { access: ['admin'] },
    schema: {
      tags: TAGS,
      summary: 'Replace the road network from an OpenStreetMap file on the server (.osm.pbf or .osm)',
      description: 'The file must lie in the server\'s assets directory or data directory; a relative name is looked up in each, e.g. "osm/andorra.osm.pbf". Takes a few seconds for a country-sized extract.',
      body: Type.Object({ file: Type.String({ minLength: 1, maxLength: 1000, description: 'Path of the file, relative to the assets or data directory' }) }, { additionalProperties: false }),
      response: { 200: SummaryReply },
    },
  }, async (req) => onWire(await roads.importFromRoots(req.body.file, deps.importRoots(), principalOf(req))));
}
