/** HTTP for telemetry: ingest batches of readings, read a sensor's history, aggregate by class and area, latest values. */
import { Type, type Static } from 'typebox';
import type { PrincipalRole, Role } from '../../../platform/auth/roles.js';
import { AppError, badRequest, isAppError } from '../../../platform/errors.js';
import { principalOf, type App } from '../../../platform/http/app.js';
import type { IngestResult, RejectedReading } from '../types.js';
import type { IngestService } from './ingest.service.js';
import type { AggregateQuery, LatestQuery, QueryService, SeriesQuery } from './query.service.js';
import {
  AggregateQueryString, AggregateReply, INGEST_DOC, IngestReply, LatestQueryString, LatestReply, SeriesQueryString, SeriesReply, WireReadingSchema,
} from './schemas.js';
import { parseNdjson } from './validate.logic.js';

const INGEST_ROLES: readonly PrincipalRole[] = ['device', 'admin', 'dispatcher'];
export const READ_ROLES: readonly Role[] = ['admin', 'dispatcher', 'handler', 'grid_worker', 'data_officer', 'leader', 'auditor'];
const tags = ['sensing'];
const iso = (ms: number) => new Date(ms).toISOString();

export interface IngestGate {
  /** True while the writer is too far behind: refuse before reading the body. */
  saturated(): boolean;
}

export function registerTelemetryRoutes(app: App, ingest: IngestService['ingest'], queries: QueryService, gate: IngestGate): void {
  app.post('/api/v1/readings', {
    config: { access: INGEST_ROLES },
    schema: {
      tags,
      summary: 'Ingest a batch of readings (JSON array or NDJSON); answers once they are durable — 200, or 207 when some were rejected',
      description: INGEST_DOC,
      body: {
        content: {
          'application/json': { schema: Type.Array(WireReadingSchema) },
          'application/x-ndjson': { schema: Type.String({ description: 'One reading (a JSON object) per line' }) },
        },
      },
      response: { 200: IngestReply, 207: IngestReply },
    },
    // Readings are checked by hand (validate.logic.ts): a schema check per item would cost more than storing it.
    validatorCompiler: () => () => true,
    // Backpressure before the body is read: a busy server should not buffer megabytes it cannot store.
    onRequest: async (_req, reply) => {
      if (!gate.saturated()) return;
      void reply.header('Retry-After', '1');
      throw new AppError(503, 'SERVICE_BUSY', 'The store is behind; nothing was read or stored — retry after a second (see Retry-After)', { retryAfterS: 1 });
    },
  }, async (req, reply) => {
    const principal = principalOf(req);
    const type = String(req.headers['content-type'] ?? '');
    let items: unknown = req.body;
    let pre: Map<number, RejectedReading> | undefined;
    if (/ndjson/i.test(type) && typeof items === 'string') {
      const parsed = parseNdjson(items);
      items = parsed.items;
      pre = parsed.bad;
    } else if (!/json/i.test(type)) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type ${type || '(none)'} is not accepted here; send application/json or application/x-ndjson`);
    }
    let result: IngestResult;
    try {
      result = await ingest(items as unknown[], principal, pre);
    } catch (err) {
      if (isAppError(err) && err.status === 503) void reply.header('Retry-After', String((err.details as { retryAfterS?: number } | undefined)?.retryAfterS ?? 1));
      throw err;
    }
    if (result.rejected.length === 0) return reply.status(200).send(result);
    if (result.accepted + result.duplicates > 0) return reply.status(207).send(result);
    throw badRequest('NO_VALID_READINGS', `None of the ${result.rejected.length} readings can be stored; details.rejected gives each one's index and reason`, { rejected: result.rejected });
  });

  app.get('/api/v1/readings', {
    config: { access: READ_ROLES },
    schema: {
      tags,
      summary: 'One sensor’s readings over a time range: raw or minute/hour/day rollups (min, max, avg, count); step=auto picks ≤ ~1,000 points',
      description: 'Errors: 404 SENSOR_NOT_FOUND, 400 BAD_TIME, BAD_RANGE (from ≥ to), RANGE_TOO_LONG_FOR_RAW (raw covers at most 24 h). Rollup buckets are those starting in [from rounded down to the step, to).',
      querystring: SeriesQueryString,
      response: { 200: SeriesReply },
    },
  }, async (req) => {
    const r = await queries.series(req.query as SeriesQuery);
    return { ...r, from: iso(r.from), to: iso(r.to), points: r.points.map((p) => ({ ...p, ts: iso(p.ts) })) };
  });

  app.get('/api/v1/readings/aggregate', {
    config: { access: READ_ROLES },
    schema: {
      tags,
      summary: 'Aggregate one class of sensors in an area over a time range: per-bucket min, max, avg and count across the matching sensors',
      description: 'area is an org unit id (sensors located inside it). step: 1m, 1h, 1d or auto (≤ ~1,000 buckets). Errors: 400 UNKNOWN_CLASS, BAD_TIME, BAD_RANGE, TOO_MANY_BUCKETS.',
      querystring: AggregateQueryString,
      response: { 200: AggregateReply },
    },
  }, async (req) => {
    const r = await queries.aggregate(req.query as AggregateQuery);
    return { ...r, from: iso(r.from), to: iso(r.to), buckets: r.buckets.map((b) => ({ ...b, ts: iso(b.ts) })) };
  });

  app.get('/api/v1/latest', {
    config: { access: READ_ROLES },
    schema: {
      tags,
      summary: 'Latest value of every matching sensor (from memory), filtered by class, area (org unit id), metric and bbox',
      description: 'Sensors without any reading yet have ts and value null. Errors: 400 UNKNOWN_CLASS, BAD_BBOX.',
      querystring: LatestQueryString,
      response: { 200: LatestReply },
    },
  }, async (req, reply) => {
    // Pre-built JSON (10,000 sensors in a few milliseconds); a string with a JSON content type is sent as is,
    // so the schema above only documents the shape — hence the cast.
    const json = queries.latestJson(req.query as LatestQuery) as unknown as Static<typeof LatestReply>;
    return reply.type('application/json; charset=utf-8').send(json);
  });
}
