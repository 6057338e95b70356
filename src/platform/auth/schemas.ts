/** TypeBox schemas shared by the auth and org routes (request validation and the /docs document). */
import { Type, type TSchema } from 'typebox';
import { DEVICE_ROLE, ROLES } from './roles.js';
import { ORG_LEVELS } from './org.logic.js';

/**
 * string | null as {"type":["string","null"]}: with coerceTypes on, an anyOf
 * union would let ajv coerce null into "" before the null branch is tried.
 */
export const NullableString = (opts: { maxLength?: number; description?: string } = {}) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], ...opts });

export const RoleSchema = Type.Enum([...ROLES], { description: 'A user role' });
export const PrincipalRoleSchema = Type.Enum([DEVICE_ROLE, ...ROLES], { description: 'A role an API key may act as' });
export const LevelSchema = Type.Enum([...ORG_LEVELS]);
export const Iso = Type.String({ format: 'date-time' });
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  orgUnitId: NullableString(),
  department: NullableString(),
  disabled: Type.Boolean(),
  createdAt: Iso,
});

export const PrincipalSchema = Type.Object({
  kind: Type.Enum(['user', 'apikey']),
  id: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  orgUnitId: Type.Optional(Type.String()),
  department: Type.Optional(Type.String()),
  autoProvision: Type.Optional(Type.Boolean()),
});

export const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'First characters of the key, to recognise it' }),
  roles: Type.Array(Type.String()),
  department: NullableString(),
  orgUnitId: NullableString(),
  autoProvision: Type.Boolean(),
  createdAt: Iso,
  revokedAt: NullableString({ description: 'ISO-8601 time of revocation, or null while the key works' }),
});

export const OrgUnitSchema = Type.Object({
  id: Type.String(),
  parentId: NullableString(),
  level: LevelSchema,
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  path: Type.String({ description: '"/cityId/districtId/…/selfId/": ancestors then self' }),
  boundary: Type.Optional(Type.Unknown({ description: 'GeoJSON Polygon or MultiPolygon (longitude first), or null' })),
});

export const DepartmentSchema = Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() });

/** Error answers, for the document only (the error handler shapes them). */
export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
});

export const errors = (...codes: number[]): Record<number, TSchema> => Object.fromEntries(codes.map((c) => [c, ErrorSchema]));
