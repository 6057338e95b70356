/** HTTP for the org tree and departments. */
import { Type } from 'typebox';
import { badRequest } from '../errors.js';
import { isValidLonLat } from '../geo/index.js';
import { principalOf, type App } from '../http/app.js';
import type { OrgService } from './org.service.js';
import type { OrgUnitInput } from './org.logic.js';
import { DepartmentSchema, IdParams, LevelSchema, NullableString, OrgUnitSchema, errors } from './schemas.js';
import type { OrgUnit } from './types.js';

const ADMIN = ['admin'] as const;

const unitWire = (u: OrgUnit, withBoundary: boolean) => {
  const { boundary, ...rest } = u;
  return withBoundary ? { ...rest, boundary } : rest;
};

export function registerOrgRoutes(app: App, org: OrgService): void {
  app.get('/api/v1/org/units', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['org'],
      summary: 'List org units (city → district → street → grid); boundaries only with ?withBoundary=true',
      querystring: Type.Object({
        level: Type.Optional(LevelSchema),
        parent: Type.Optional(Type.String({ maxLength: 128, description: 'Only the direct children of this unit' })),
        withBoundary: Type.Optional(Type.Boolean({ default: false })),
      }),
      response: { 200: Type.Object({ items: Type.Array(OrgUnitSchema) }), ...errors(400, 401) },
    },
  }, async (req) => {
    const withBoundary = req.query.withBoundary ?? false;
    const units = await org.listUnits({ level: req.query.level, parentId: req.query.parent, withBoundary });
    return { items: units.map((u) => unitWire(u, withBoundary)) };
  });

  app.get('/api/v1/org/units/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['org'], summary: 'One org unit with its boundary', params: IdParams, response: { 200: OrgUnitSchema, ...errors(401, 404) } },
  }, async (req) => unitWire(await org.getOrThrow(req.params.id), true));

  app.get('/api/v1/org/locate', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['org'],
      summary: 'The deepest org unit (grid, else street, district, city) containing a point',
      querystring: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
      response: { 200: Type.Object({ unit: Type.Union([OrgUnitSchema, Type.Null()]) }), ...errors(400, 401) },
    },
  }, async (req) => {
    const { lon, lat } = req.query;
    if (!isValidLonLat(lon, lat)) throw badRequest('BAD_COORDINATES', `lon must be -180..180 and lat -90..90; got ${lon}, ${lat}`);
    const u = org.locate([lon, lat]);
    return { unit: u ? unitWire(u, false) : null };
  });

  app.post('/api/v1/org/units', {
    config: { access: ADMIN },
    schema: {
      tags: ['org'],
      summary: 'Insert or replace org units (admin); parents may come in the same list, in any order',
      description: 'All or nothing: one bad unit rejects the list with a 400 naming it. Paths of moved units and their descendants are recomputed.',
      body: Type.Object({
        units: Type.Array(
          Type.Object({
            id: Type.String({ maxLength: 128, description: '1–64 characters from A-Z a-z 0-9 . _ : -' }),
            parentId: NullableString({ maxLength: 128 }),
            level: LevelSchema,
            code: Type.String({ maxLength: 128 }),
            nameZh: Type.String({ maxLength: 400 }),
            nameEn: Type.String({ maxLength: 400 }),
            boundary: Type.Optional(Type.Unknown({ description: 'GeoJSON Polygon or MultiPolygon (longitude first), or null' })),
          }),
          { minItems: 1, maxItems: 20_000 },
        ),
      }),
      response: { 200: Type.Object({ upserted: Type.Integer() }), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const units: OrgUnitInput[] = req.body.units.map((u) => ({ ...u, boundary: (u.boundary ?? null) as OrgUnit['boundary'] }));
    await org.upsertOrgUnits(units, principalOf(req));
    return { upserted: units.length };
  });

  app.get('/api/v1/org/departments', {
    config: { access: 'authenticated' },
    schema: { tags: ['org'], summary: 'List departments (委办局)', response: { 200: Type.Object({ items: Type.Array(DepartmentSchema) }), ...errors(401) } },
  }, async () => ({ items: await org.listDepartments() }));

  app.post('/api/v1/org/departments', {
    config: { access: ADMIN },
    schema: {
      tags: ['org'],
      summary: 'Insert or rename departments (admin)',
      body: Type.Object({ departments: Type.Array(Type.Object({ code: Type.String({ maxLength: 128 }), nameZh: Type.String({ maxLength: 400 }), nameEn: Type.String({ maxLength: 400 }) }), { minItems: 1, maxItems: 1000 }) }),
      response: { 200: Type.Object({ upserted: Type.Integer() }), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    await org.upsertDepartments(req.body.departments, principalOf(req));
    return { upserted: req.body.departments.length };
  });
}
