/** HTTP for live state: the SSE stream of readings, and counters for the stream and MQTT ingestion. */
import { Type } from 'typebox';
import type { App } from '../../../platform/http/app.js';
import type { PrincipalRole } from '../../../platform/auth/roles.js';
import { badRequest } from '../../../platform/errors.js';
import type { SensorDirectory } from '../types.js';
import { parseLiveFilter, unknownSensorIds } from './filter.logic.js';
import type { LiveHub } from './service.js';
import type { LiveStats, MqttStats } from './types.js';

const LIVE_ROLES: readonly PrincipalRole[] = ['admin', 'dispatcher', 'handler', 'grid_worker', 'leader', 'data_officer', 'auditor'];
const STATS_ROLES: readonly PrincipalRole[] = ['admin', 'dispatcher'];

const STREAM_DOC = `Server-Sent Events (text/event-stream). First \`event: snapshot\` with the latest value of every matching sensor, then \`event: reading\` about every 250 ms while values change.
Data of both: [[sensorId, tsEpochMs, value], …] — at most one row per sensor per event, its newest value.
A reader too slow to keep up gets the newest values when it catches up, preceded by \`event: dropped\` with {"count": n}: the updates it missed.
A ": heartbeat" comment comes after 15 s of silence. A client that stops reading for 30 s is disconnected (EventSource reconnects by itself).
Browsers' EventSource cannot send headers: pass the session token as ?access_token=….`;

export function registerLiveRoutes(app: App, deps: { hub: LiveHub; directory: SensorDirectory; mqttStats: () => MqttStats }): void {
  app.get('/api/v1/live', {
    config: { access: LIVE_ROLES, allowQueryToken: true },
    schema: {
      tags: ['live'],
      summary: 'Live readings stream (SSE), filtered by class, area, bbox or sensor',
      description: STREAM_DOC,
      querystring: Type.Object({
        class: Type.Optional(Type.String({ description: 'Comma list of sensor classes, e.g. water_level,rainfall' })),
        area: Type.Optional(Type.String({ description: 'Org unit id (district, street or grid): its sensors and those of the units below it' })),
        bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat' })),
        sensor: Type.Optional(Type.String({ description: 'Comma list of sensor ids' })),
        access_token: Type.Optional(Type.String({ description: 'Session token, for clients that cannot send an Authorization header' })),
      }),
    },
  }, async (req, reply) => {
    const filter = parseLiveFilter(req.query);
    const unknown = unknownSensorIds(filter, (id) => deps.directory.byId(id) !== undefined);
    if (unknown.length) {
      throw badRequest('UNKNOWN_SENSOR', `sensor: no such sensor ${unknown.slice(0, 20).map((s) => `"${s}"`).join(', ')}${unknown.length > 20 ? ` and ${unknown.length - 20} more` : ''}`, { unknown: unknown.slice(0, 100) });
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: do not buffer the stream
    });
    const remove = deps.hub.addClient(filter, res);
    res.on('close', remove);
    req.log.debug({ filter: req.query }, 'live: client connected');
  });

  app.get('/api/v1/live/stats', {
    config: { access: STATS_ROLES },
    schema: { tags: ['live'], summary: 'Live stream counters: clients, pending values, buffered bytes, skipped and cut-off slow clients' },
  }, async (): Promise<LiveStats> => deps.hub.stats());

  app.get('/api/v1/ingest/mqtt/stats', {
    config: { access: STATS_ROLES },
    schema: { tags: ['telemetry'], summary: 'MQTT ingestion counters: messages received and refused, readings accepted, duplicate and rejected' },
  }, async (): Promise<MqttStats> => deps.mqttStats());
}
