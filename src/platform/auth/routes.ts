/** HTTP for sign-in, users and API keys: validate, call the service, shape the reply. */
import { Type } from 'typebox';
import { AppError, badRequest } from '../errors.js';
import { toIso } from '../clock.js';
import { principalOf, type App } from '../http/app.js';
import { ROLES, type Principal } from './roles.js';
import { ApiKeySchema, IdParams, Iso, NullableString, PrincipalRoleSchema, PrincipalSchema, RoleSchema, UserSchema, errors } from './schemas.js';
import type { ApiKeyInfo, User, UserAdmin, AuthService } from './types.js';

const ADMIN = ['admin'] as const;

export const userWire = (u: User) => ({ ...u, createdAt: toIso(u.createdAt) });
export const apiKeyWire = (k: ApiKeyInfo) => ({ ...k, createdAt: toIso(k.createdAt), revokedAt: k.revokedAt === null ? null : toIso(k.revokedAt) });
const principalWire = (p: Principal) => ({ ...p });

export function registerAuthRoutes(app: App, svc: AuthService & UserAdmin): void {
  app.post('/api/v1/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with username and password; returns a session token (send it as "Authorization: Bearer <token>")',
      description: 'After 5 consecutive failures for a username (or from an IP) further attempts answer 429 LOGIN_THROTTLED with Retry-After, doubling up to 15 minutes; a success resets.',
      security: [],
      body: Type.Object({ username: Type.String({ maxLength: 200 }), password: Type.String({ maxLength: 1024 }) }),
      response: { 200: Type.Object({ token: Type.String(), expiresAt: Iso, user: UserSchema }), ...errors(400, 401, 403, 429) },
    },
  }, async (req, reply) => {
    try {
      const r = await svc.login(req.body, req.ip);
      return { token: r.token, expiresAt: toIso(r.expiresAt), user: userWire(r.user) };
    } catch (err) {
      if (err instanceof AppError && err.code === 'LOGIN_THROTTLED') reply.header('Retry-After', String((err.details as { retryAfterSeconds: number }).retryAfterSeconds));
      throw err;
    }
  });

  app.get('/api/v1/auth/me', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: 'Who am I: the principal of this request (user or API key)', response: { 200: PrincipalSchema, ...errors(401) } },
  }, async (req) => principalWire(principalOf(req)));

  app.post('/api/v1/auth/password', {
    config: { access: ROLES },
    schema: {
      tags: ['auth'],
      summary: 'Change your own password (ends your other sessions; sign in again)',
      body: Type.Object({ currentPassword: Type.String({ maxLength: 1024 }), newPassword: Type.String({ maxLength: 2048 }) }),
      response: { 204: Type.Null(), ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    if (p.kind !== 'user') throw badRequest('NOT_A_USER', 'Only users have passwords');
    await svc.changeOwnPassword(p.id, req.body.currentPassword, req.body.newPassword);
    return reply.status(204).send(null);
  });

  const UserCreate = Type.Object({
    username: Type.String({ maxLength: 200, description: '3–64 characters from A-Z a-z 0-9 . _ - (case-insensitive)' }),
    password: Type.String({ maxLength: 2048, description: 'At least 10 characters' }),
    displayName: Type.Optional(Type.String({ maxLength: 400 })),
    roles: Type.Array(RoleSchema, { maxItems: 16 }),
    orgUnitId: Type.Optional(NullableString({ maxLength: 128 })),
    department: Type.Optional(NullableString({ maxLength: 128 })),
  }, { additionalProperties: false });

  app.post('/api/v1/users', {
    config: { access: ADMIN },
    schema: { tags: ['auth'], summary: 'Create a user (admin)', body: UserCreate, response: { 201: UserSchema, ...errors(400, 401, 403, 409) } },
  }, async (req, reply) => reply.status(201).send(userWire(await svc.createUser(req.body, principalOf(req)))));

  app.get('/api/v1/users', {
    config: { access: ADMIN },
    schema: {
      tags: ['auth'],
      summary: 'List users (admin), filtered by role, org unit (includes units below it) and department',
      querystring: Type.Object({
        role: Type.Optional(RoleSchema),
        orgUnit: Type.Optional(Type.String({ maxLength: 128 })),
        department: Type.Optional(Type.String({ maxLength: 128 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(UserSchema), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const q = req.query;
    const page = await svc.listUsers({ role: q.role, orgUnitId: q.orgUnit, department: q.department, limit: q.limit, offset: q.offset }, principalOf(req));
    return { ...page, items: page.items.map(userWire) };
  });

  app.get('/api/v1/users/:id', {
    config: { access: ADMIN },
    schema: { tags: ['auth'], summary: 'Read one user (admin)', params: IdParams, response: { 200: UserSchema, ...errors(401, 403, 404) } },
  }, async (req) => userWire(await svc.getUser(req.params.id, principalOf(req))));

  app.patch('/api/v1/users/:id', {
    config: { access: ADMIN },
    schema: {
      tags: ['auth'],
      summary: 'Change a user (admin): roles, display name, org unit, department, disabled, password',
      description: 'Disabling a user refuses their sessions at once. Setting a password ends their existing sessions. The last enabled admin cannot be disabled or lose the admin role (409 LAST_ADMIN).',
      params: IdParams,
      body: Type.Object({
        displayName: Type.Optional(Type.String({ maxLength: 400 })),
        roles: Type.Optional(Type.Array(RoleSchema, { maxItems: 16 })),
        orgUnitId: Type.Optional(NullableString({ maxLength: 128 })),
        department: Type.Optional(NullableString({ maxLength: 128 })),
        disabled: Type.Optional(Type.Boolean()),
        password: Type.Optional(Type.String({ maxLength: 2048 })),
      }, { additionalProperties: false }),
      response: { 200: UserSchema, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    if (Object.keys(req.body).length === 0) {
      await svc.getUser(req.params.id, principalOf(req)); // 404 first, so a wrong id is named as such
      throw badRequest('NOTHING_TO_CHANGE', 'Send at least one of displayName, roles, orgUnitId, department, disabled, password');
    }
    return userWire(await svc.updateUser(req.params.id, req.body, principalOf(req)));
  });

  app.post('/api/v1/api-keys', {
    config: { access: ADMIN },
    schema: {
      tags: ['auth'],
      summary: 'Create an API key for a device or outside system (admin); the key is shown once',
      description: 'Send the key as "X-API-Key: <key>" or "Authorization: ApiKey <key>". Only its SHA-256 hash is stored.',
      body: Type.Object({
        name: Type.String({ maxLength: 400 }),
        roles: Type.Optional(Type.Array(PrincipalRoleSchema, { maxItems: 16, description: 'Default ["device"]' })),
        department: Type.Optional(NullableString({ maxLength: 128 })),
        orgUnitId: Type.Optional(NullableString({ maxLength: 128 })),
        autoProvision: Type.Optional(Type.Boolean({ description: 'Register unknown sensors this key reports instead of rejecting them' })),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ key: Type.String({ description: 'The secret key; store it now, it is not shown again' }), info: ApiKeySchema }), ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    const { key, info } = await svc.createApiKey(req.body, principalOf(req));
    return reply.status(201).send({ key, info: apiKeyWire(info) });
  });

  app.get('/api/v1/api-keys', {
    config: { access: ADMIN },
    schema: {
      tags: ['auth'],
      summary: 'List API keys (admin); secrets are never shown',
      querystring: Type.Object({ includeRevoked: Type.Optional(Type.Boolean({ default: false })) }),
      response: { 200: Type.Object({ items: Type.Array(ApiKeySchema) }), ...errors(401, 403) },
    },
  }, async (req) => ({ items: (await svc.listApiKeys(req.query.includeRevoked ?? false, principalOf(req))).map(apiKeyWire) }));

  app.delete('/api/v1/api-keys/:id', {
    config: { access: ADMIN },
    schema: { tags: ['auth'], summary: 'Revoke an API key (admin); it is refused from the next request on', params: IdParams, response: { 200: ApiKeySchema, ...errors(401, 403, 404) } },
  }, async (req) => apiKeyWire(await svc.revokeApiKey(req.params.id, principalOf(req))));
}
