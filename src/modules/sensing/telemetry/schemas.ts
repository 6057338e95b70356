/** Wire schemas of the telemetry API (TypeBox): request shapes for validation and docs, response shapes for fast serialisation. */
import { Type } from 'typebox';

export const WireReadingSchema = Type.Object({
  sensor: Type.String({ description: 'Sensor id' }),
  ts: Type.Union([Type.String({ description: 'ISO-8601 with a time zone, e.g. 2026-11-22T08:00:00Z' }), Type.Number({ description: 'Epoch milliseconds' })]),
  value: Type.Number({ description: 'A finite number within the sensor’s plausible range' }),
  class: Type.Optional(Type.String({ description: 'Auto-provisioning only: the class of an unknown sensor' })),
  metric: Type.Optional(Type.String({ description: 'Auto-provisioning only: its metric (default: the class’s first)' })),
  lon: Type.Optional(Type.Number({ description: 'Auto-provisioning only: longitude (WGS84)' })),
  lat: Type.Optional(Type.Number({ description: 'Auto-provisioning only: latitude (WGS84)' })),
});

export const IngestReply = Type.Object({
  accepted: Type.Integer({ description: 'Readings stored by this request' }),
  duplicates: Type.Integer({ description: 'Readings already stored (same sensor and ts): harmless retries, stored once' }),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), reason: Type.String() })),
});

export const INGEST_DOC = `Send a batch of readings as a JSON array (Content-Type: application/json) or as NDJSON (application/x-ndjson, one reading per line; a reading's index is its position among the non-blank lines).

A reading is {"sensor": "<id>", "ts": "<ISO-8601>" | <epoch ms>, "value": <finite number>}. Each is checked: the sensor is registered (or, for an API key with autoProvision, registered now from "class", "lon", "lat"), the value is a finite number within the sensor's plausible range, and ts is at most 5 minutes ahead of the server clock and not older than the class keeps raw data.

The answer comes only once the accepted readings are durable (committed to the store). Sending the same batch again is safe: readings already stored count as duplicates and are stored once.

Status codes:
- 200: every reading is stored (or was already): {accepted, duplicates, rejected: []}
- 207 Multi-Status: some readings were rejected; the good ones ARE stored. rejected lists {index, code, reason} for each bad one.
- 400: nothing to store — NO_VALID_READINGS (details.rejected lists every reading's reason), BODY_NOT_ARRAY, EMPTY_BATCH, INVALID_JSON (malformed JSON body)
- 413: BATCH_TOO_LARGE (more readings than the server's maximum batch) or BODY_TOO_LARGE
- 415: UNSUPPORTED_MEDIA_TYPE (send application/json or application/x-ndjson)
- 503: SERVICE_BUSY (the store is behind) or SHUTTING_DOWN — nothing was stored; retry after the Retry-After seconds.

Rejection codes: NOT_AN_OBJECT, BAD_SENSOR, UNKNOWN_SENSOR, VALUE_NOT_NUMBER, VALUE_NOT_FINITE, VALUE_IMPLAUSIBLE, BAD_TIMESTAMP, TS_IN_FUTURE, TS_TOO_OLD, INVALID_JSON (NDJSON line); when provisioning: UNKNOWN_CLASS, UNKNOWN_METRIC, LOCATION_REQUIRED, BAD_COORDINATES.`;

const Time = Type.String({ description: 'ISO-8601 with a time zone, or epoch milliseconds' });

export const SeriesQueryString = Type.Object({
  sensor: Type.String({ minLength: 1 }),
  from: Type.Optional(Type.String({ description: 'Start (inclusive); default: 24 h before "to"' })),
  to: Type.Optional(Type.String({ description: 'End (exclusive); default: now' })),
  step: Type.Optional(Type.Union([Type.Literal('raw'), Type.Literal('1m'), Type.Literal('1h'), Type.Literal('1d'), Type.Literal('auto')], { description: 'Resolution; auto (default) picks the finest giving at most ~1,000 points' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Most points returned (default 10,000)' })),
});

const Point = Type.Object({
  ts: Time,
  value: Type.Optional(Type.Number()),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  avg: Type.Optional(Type.Number()),
  count: Type.Optional(Type.Integer()),
});

export const SeriesReply = Type.Object({
  sensor: Type.String(),
  step: Type.String(),
  from: Time,
  to: Time,
  truncated: Type.Boolean({ description: 'More points exist than "limit" allowed' }),
  points: Type.Array(Point, { description: 'raw: {ts, value}; rollups: {ts (bucket start), min, max, avg, count}' }),
});

export const AggregateQueryString = Type.Object({
  class: Type.String({ description: 'Sensor class (required: values of different classes do not mix)' }),
  area: Type.Optional(Type.String({ description: 'Org unit id (city, district, street or grid): sensors located inside it' })),
  metric: Type.Optional(Type.String()),
  from: Type.Optional(Type.String({ description: 'Start; default: 24 h before "to"' })),
  to: Type.Optional(Type.String({ description: 'End (exclusive); default: now' })),
  step: Type.Optional(Type.Union([Type.Literal('1m'), Type.Literal('1h'), Type.Literal('1d'), Type.Literal('auto')])),
});

export const AggregateReply = Type.Object({
  class: Type.String(),
  area: Type.Union([Type.String(), Type.Null()]),
  metric: Type.Union([Type.String(), Type.Null()]),
  step: Type.String(),
  from: Time,
  to: Time,
  sensors: Type.Integer({ description: 'Sensors matching class, area and metric' }),
  buckets: Type.Array(Type.Object({ ts: Time, min: Type.Number(), max: Type.Number(), avg: Type.Number(), count: Type.Integer() })),
});

export const LatestQueryString = Type.Object({
  class: Type.Optional(Type.String()),
  area: Type.Optional(Type.String({ description: 'Org unit id' })),
  metric: Type.Optional(Type.String()),
  bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat' })),
});

export const LatestReply = Type.Object({
  items: Type.Array(Type.Object({
    sensor: Type.String(),
    class: Type.String(),
    metric: Type.String(),
    lon: Type.Number(),
    lat: Type.Number(),
    ts: Type.Union([Time, Type.Null()]),
    value: Type.Union([Type.Number(), Type.Null()]),
  })),
  count: Type.Integer(),
});
