/** HTTP routes of the sensor registry: classes, sensor CRUD and search, bulk import. */
import { Type } from 'typebox';
import type { Role } from '../../../platform/auth/roles.js';
import { badRequest } from '../../../platform/errors.js';
import { principalOf, type App } from '../../../platform/http/app.js';
import { SENSOR_CLASS_INFO } from '../classes.js';
import type { SensorInput } from '../types.js';
import type { BulkService } from './bulk.service.js';
import type { SensorService } from './sensors.service.js';
import {
  IdParams, ImportReportWire, SensorCreateBody, SensorPatchBody, SensorQueryString, SensorWire, sensorToWire,
} from './schemas.js';
import type { SensorPatch } from './types.js';

export const READ_ROLES: readonly Role[] = ['admin', 'dispatcher', 'handler', 'grid_worker', 'data_officer', 'leader', 'auditor'];
export const WRITE_ROLES: readonly Role[] = ['admin', 'data_officer'];
const tags = ['sensing'];

const Retention = Type.Object({ rawDays: Type.Integer(), minuteDays: Type.Integer(), hourDays: Type.Integer(), dayDays: Type.Integer() });
const ClassWire = Type.Object({
  class: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  defaultMetric: Type.String(),
  retention: Retention,
  metrics: Type.Array(Type.Object({
    metric: Type.String(), unit: Type.String(), min: Type.Number(), max: Type.Number(), nameZh: Type.String(), nameEn: Type.String(), intervalS: Type.Integer(),
  })),
});

export async function registerSensorRoutes(app: App, sensors: SensorService, bulk: BulkService): Promise<void> {
  app.get('/api/v1/sensor-classes', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'The 12 indicator classes: metrics, units, plausible ranges, default intervals, retention', response: { 200: Type.Object({ items: Type.Array(ClassWire) }) } },
  }, async () => ({ items: SENSOR_CLASS_INFO.map((c) => ({ ...c })) }));

  app.get('/api/v1/sensors', {
    config: { access: READ_ROLES },
    schema: {
      tags,
      summary: 'Search sensors by class, metric, state, department, area (org unit), bbox, near (nearest first) and name',
      querystring: SensorQueryString,
      response: { 200: Type.Object({ items: Type.Array(SensorWire), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }) },
    },
  }, async (req) => {
    const page = await sensors.search(req.query);
    return { ...page, items: page.items.map(sensorToWire) };
  });

  app.post('/api/v1/sensors', {
    config: { access: WRITE_ROLES },
    schema: { tags, summary: 'Register a sensor (409 SENSOR_EXISTS when the id is taken)', body: SensorCreateBody, response: { 201: SensorWire } },
  }, async (req, reply) => {
    const s = await sensors.create(req.body as unknown as SensorInput, principalOf(req));
    return reply.status(201).send(sensorToWire(s));
  });

  app.get('/api/v1/sensors/:id', {
    config: { access: READ_ROLES },
    schema: { tags, summary: 'One sensor (404 SENSOR_NOT_FOUND)', params: IdParams, response: { 200: SensorWire } },
  }, async (req) => sensorToWire(await sensors.get(req.params.id)));

  app.patch('/api/v1/sensors/:id', {
    config: { access: WRITE_ROLES },
    schema: { tags, summary: 'Change a sensor; a new class or metric brings its unit and default range unless min/max are given', params: IdParams, body: SensorPatchBody, response: { 200: SensorWire } },
  }, async (req) => sensorToWire(await sensors.update(req.params.id, req.body as unknown as SensorPatch, principalOf(req))));

  app.delete('/api/v1/sensors/:id', {
    config: { access: WRITE_ROLES },
    schema: { tags, summary: 'Delete a sensor (its stored readings age out by retention)', params: IdParams },
  }, async (req, reply) => {
    await sensors.remove(req.params.id, principalOf(req));
    return reply.status(204).send();
  });

  // Import bodies are whole files read as text (text/plain is Fastify's own), in a scope so other routes keep their parsers.
  await app.register(async (scope) => {
    const asText = (_req: unknown, body: string, done: (err: Error | null, body?: unknown) => void) => done(null, body);
    scope.addContentTypeParser(['text/csv', 'application/geo+json'], { parseAs: 'string' }, asText);
    scope.post('/api/v1/sensors/import', {
      config: { access: WRITE_ROLES },
      schema: {
        tags,
        summary: 'Bulk import: send a CSV file (Content-Type: text/csv; header id,name,class,metric,lon,lat,department,interval_s,min,max) or a GeoJSON FeatureCollection of Points (application/geo+json or application/json). Good rows import (existing ids are updated); the answer is 200 with each bad row\'s line and reason. 400 when the file as a whole cannot be read.',
        consumes: ['text/csv', 'application/geo+json', 'application/json'],
        body: Type.Union([
          Type.String({ description: 'The CSV or GeoJSON file' }),
          Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown()) }, { additionalProperties: true }),
        ]),
        response: { 200: ImportReportWire },
      },
    }, async (req) => {
      const body = req.body;
      if (body === undefined || body === null || body === '') throw badRequest('IMPORT_EMPTY', 'The body is empty; send the CSV or GeoJSON file as the request body');
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
      return bulk.importText(body as string | object, type, principalOf(req));
    });
  });
}
