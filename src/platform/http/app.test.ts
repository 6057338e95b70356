import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import type { Principal } from '../auth/roles.js';
import { createHttpApp, type Authenticator } from './app.js';

// A header-driven authenticator: the platform's access check is under test here, not identity.
const byHeader: Authenticator = {
  async authenticate(headers) {
    const role = headers['x-test-role'];
    if (!role) return null;
    if (role === 'bad') throw new AppError(401, 'INVALID_TOKEN', 'token invalid');
    return { kind: 'user', id: 'u1', name: 'u1', roles: [String(role)] } as Principal;
  },
};

async function build() {
  const { app, routes } = await createHttpApp({ bodyLimitBytes: 2048, logLevel: 'silent', authenticator: byHeader, version: 'test' });
  app.post('/things', {
    config: { access: ['admin'] },
    schema: { body: Type.Object({ name: Type.String({ minLength: 1 }), count: Type.Integer({ minimum: 0 }) }) },
  }, async (req) => ({ ok: true, name: req.body.name }));
  app.get('/open', { config: { access: 'public' } }, async () => ({ ok: true }));
  app.get('/boom', { config: { access: 'public' } }, async () => {
    throw new Error('secret internals');
  });
  app.get('/gone', { config: { access: 'public' } }, async () => {
    throw new AppError(404, 'THING_NOT_FOUND', 'No thing with that id');
  });
  await app.ready();
  return { app, routes };
}

describe('HTTP platform', () => {
  it('refuses to mount a route that does not declare who may call it', async () => {
    const { app } = await createHttpApp({ bodyLimitBytes: 1024, logLevel: 'silent', authenticator: byHeader, version: 't' });
    expect(() => app.get('/undeclared', async () => ({}))).toThrow(/does not declare who may call it/);
  });

  it('checks access: 401 anonymous, 403 wrong role, 200 right role; bad credentials are 401', async () => {
    const { app, routes } = await build();
    const body = { name: 'x', count: 1 };
    expect((await app.inject({ method: 'POST', url: '/things', payload: body })).statusCode).toBe(401);
    const forbidden = await app.inject({ method: 'POST', url: '/things', payload: body, headers: { 'x-test-role': 'citizen' } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN');
    expect((await app.inject({ method: 'POST', url: '/things', payload: body, headers: { 'x-test-role': 'admin' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/things', payload: body, headers: { 'x-test-role': 'bad' } })).json().error.code).toBe('INVALID_TOKEN');
    // a stale token never locks anyone out of a public route
    expect((await app.inject({ method: 'GET', url: '/open', headers: { 'x-test-role': 'bad' } })).statusCode).toBe(200);
    expect(routes.find((r) => r.url === '/things')?.access).toEqual(['admin']);
  });

  it('answers every failure in the one error shape, never leaking internals', async () => {
    const { app } = await build();
    const admin = { 'x-test-role': 'admin', 'content-type': 'application/json' };
    const cases = [
      { req: { method: 'POST' as const, url: '/things', payload: '{"name":', headers: admin }, status: 400, code: 'INVALID_JSON' },
      { req: { method: 'POST' as const, url: '/things', payload: { name: '', count: -1 }, headers: admin }, status: 400, code: 'VALIDATION_FAILED' },
      { req: { method: 'POST' as const, url: '/things', payload: JSON.stringify({ name: 'x'.repeat(5000), count: 1 }), headers: admin }, status: 413, code: 'BODY_TOO_LARGE' },
      { req: { method: 'POST' as const, url: '/things', payload: 'name=x', headers: { ...admin, 'content-type': 'text/xml' } }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { req: { method: 'GET' as const, url: '/nowhere' }, status: 404, code: 'ROUTE_NOT_FOUND' },
      { req: { method: 'GET' as const, url: '/gone' }, status: 404, code: 'THING_NOT_FOUND' },
      { req: { method: 'GET' as const, url: '/boom' }, status: 500, code: 'INTERNAL' },
    ];
    for (const c of cases) {
      const res = await app.inject(c.req);
      expect(res.statusCode, c.code).toBe(c.status);
      const err = res.json().error;
      expect(err.code).toBe(c.code);
      expect(typeof err.message).toBe('string');
      expect(err.message).not.toMatch(/secret internals/);
    }
    const v = await app.inject({ method: 'POST', url: '/things', payload: { name: '', count: -1 }, headers: admin });
    expect(v.json().error.message).toMatch(/body\/name/);
    expect(v.json().error.message).toMatch(/body\/count/);
  });

  it('serves the OpenAPI document and UI at /docs', async () => {
    const { app } = await build();
    const doc = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toBe('3.0.3');
    expect(Object.keys(doc.json().paths)).toContain('/things');
    expect((await app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
  });
});
