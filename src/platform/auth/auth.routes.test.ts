/**
 * Auth routes end to end, in-process, against SQLite and (when reachable) the
 * local PostgreSQL: sign-in and throttling, sessions, API keys, users, org tree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCity, type TestCity } from '../../../test/helpers/city.js';
import { TEST_PASSWORD, principalsFor, type TestPrincipal } from '../../../test/helpers/auth.js';
import { ManualClock } from '../clock.js';
import { serviceAvailable, TEST_PG_URL } from '../testing/services.js';
import type { Role } from './roles.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);

type Who = Record<Role | 'device', TestPrincipal>;

const square = (x0: number, y0: number, x1: number, y1: number) => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });

function authSuite(dialect: 'sqlite' | 'postgres') {
  let city: TestCity;
  let who: Who;
  let clock: ManualClock;
  let n = 0;

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 22, 8, 0, 0));
    city = await startTestCity({ postgres: dialect === 'postgres', clock });
    await city.start();
    who = await principalsFor(city);
  });
  afterAll(async () => {
    await city?.destroy();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: unknown, remoteAddress?: string) =>
    city.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}), ...(remoteAddress ? { remoteAddress } : {}) });
  const login = (username: string, password: string, remoteAddress = `10.1.0.${++n}`) => call('POST', '/api/v1/auth/login', {}, { username, password }, remoteAddress);
  const admin = () => who.admin.headers;
  const newUser = async (extra: Record<string, unknown> = {}) => {
    const username = `u${++n}_${dialect}`;
    const res = await call('POST', '/api/v1/users', admin(), { username, password: 'long-enough-pw', roles: ['dispatcher'], ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return { username, id: (res.json() as { id: string }).id };
  };
  const errCode = (res: { json(): unknown }) => (res.json() as { error: { code: string } }).error.code;

  it('signs in, answers /me with the principal, and audits the login', async () => {
    const u = await newUser({ displayName: '王小明' });
    const res = await login(u.username.toUpperCase(), 'long-enough-pw');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { token: string; expiresAt: string; user: { username: string; roles: string[] } };
    expect(body.user).toMatchObject({ username: u.username, roles: ['dispatcher'], displayName: '王小明' });
    expect(new Date(body.expiresAt).getTime()).toBe(clock.now() + city.config.sessionTtlSeconds * 1000);
    const me = await call('GET', '/api/v1/auth/me', { authorization: `Bearer ${body.token}` });
    expect(me.json()).toEqual({ kind: 'user', id: u.id, name: '王小明', roles: ['dispatcher'] });
    const entries = await city.services.audit.list({ action: 'user.login', targetId: u.id });
    expect(entries).toHaveLength(1);
  });

  it('answers wrong password and unknown user alike with 401 INVALID_CREDENTIALS', async () => {
    const u = await newUser();
    const wrong = await login(u.username, 'not-the-password');
    const unknown = await login('nobody-here', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(errCode(wrong)).toBe('INVALID_CREDENTIALS');
    const failed = await city.services.audit.list({ action: 'user.login_failed', targetId: u.id });
    expect(failed.length).toBeGreaterThan(0);
  });

  it('throttles a username after 5 failures with a doubling Retry-After, and a success resets', async () => {
    const u = await newUser();
    for (let i = 0; i < 5; i++) expect((await login(u.username, 'wrong-password-x')).statusCode).toBe(401);
    let res = await login(u.username, 'long-enough-pw'); // even the right password waits
    expect(res.statusCode).toBe(429);
    expect(errCode(res)).toBe('LOGIN_THROTTLED');
    expect(res.headers['retry-after']).toBe('1');
    clock.advance(1000);
    expect((await login(u.username, 'wrong-password-x')).statusCode).toBe(401);
    res = await login(u.username, 'wrong-password-x');
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('2');
    clock.advance(2000);
    expect((await login(u.username, 'wrong-password-x')).statusCode).toBe(401);
    expect((await login(u.username, 'wrong-password-x')).headers['retry-after']).toBe('4');
    clock.advance(4000);
    expect((await login(u.username, 'long-enough-pw')).statusCode).toBe(200);
    expect((await login(u.username, 'wrong-password-x')).statusCode).toBe(401); // counting starts afresh
  });

  it('throttles an IP separately, across usernames', async () => {
    const ip = '10.9.9.9';
    for (let i = 0; i < 5; i++) expect((await login(`ghost${i}`, 'wrong-password-x', ip)).statusCode).toBe(401);
    const res = await login('ghost-next', 'wrong-password-x', ip);
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect((await login('ghost-next', 'wrong-password-x', '10.9.9.10')).statusCode).toBe(401);
    clock.advance(1000);
  });

  it('refuses a disabled user at once, on existing tokens and at login', async () => {
    const u = await newUser();
    const token = (await login(u.username, 'long-enough-pw')).json().token as string;
    expect((await call('GET', '/api/v1/auth/me', { authorization: `Bearer ${token}` })).statusCode).toBe(200);
    const patch = await call('PATCH', `/api/v1/users/${u.id}`, admin(), { disabled: true });
    expect(patch.statusCode, patch.body).toBe(200);
    const me = await call('GET', '/api/v1/auth/me', { authorization: `Bearer ${token}` });
    expect(me.statusCode).toBe(401);
    expect(errCode(me)).toBe('ACCOUNT_DISABLED');
    const again = await login(u.username, 'long-enough-pw');
    expect(again.statusCode).toBe(403);
    expect(errCode(again)).toBe('ACCOUNT_DISABLED');
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const u = await newUser();
    const token = (await login(u.username, 'long-enough-pw')).json().token as string;
    clock.advance(city.config.sessionTtlSeconds * 1000 - 1000);
    expect((await call('GET', '/api/v1/auth/me', { authorization: `Bearer ${token}` })).statusCode).toBe(200);
    clock.advance(2000);
    const res = await call('GET', '/api/v1/auth/me', { authorization: `Bearer ${token}` });
    expect(res.statusCode).toBe(401);
    expect(errCode(res)).toBe('TOKEN_EXPIRED');
    who = await principalsFor(city); // fresh tokens for the tests after this one
  });

  it('refuses forged, malformed and unsupported credentials with 401', async () => {
    const token = who.dispatcher.headers.authorization!.slice(7);
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.from('x'.repeat(32)).toString('base64url')}`;
    for (const [headers, code] of [
      [{ authorization: `Bearer ${forged}` }, 'INVALID_TOKEN'],
      [{ authorization: 'Bearer nonsense' }, 'INVALID_TOKEN'],
      [{ authorization: 'Basic dXNlcjpwdw==' }, 'INVALID_TOKEN'],
      [{ 'x-api-key': 'co_deadbeef_AAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 'INVALID_API_KEY'],
      [{ 'x-api-key': 'hello' }, 'INVALID_API_KEY'],
    ] as const) {
      const res = await call('GET', '/api/v1/auth/me', headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(errCode(res)).toBe(code);
    }
    expect((await call('GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('accepts an API key in X-API-Key and Authorization: ApiKey, and refuses it once revoked', async () => {
    const created = await call('POST', '/api/v1/api-keys', admin(), { name: 'river gauge gateway', department: 'SWJ', autoProvision: true });
    expect(created.statusCode, created.body).toBe(201);
    const { key, info } = created.json() as { key: string; info: { id: string; prefix: string; roles: string[]; revokedAt: null } };
    expect(key.startsWith(`${info.prefix}_`)).toBe(true);
    expect(info.roles).toEqual(['device']);
    const me = await call('GET', '/api/v1/auth/me', { 'x-api-key': key });
    expect(me.json()).toEqual({ kind: 'apikey', id: info.id, name: 'river gauge gateway', roles: ['device'], department: 'SWJ', autoProvision: true });
    expect((await call('GET', '/api/v1/auth/me', { authorization: `ApiKey ${key}` })).statusCode).toBe(200);
    const list = await call('GET', '/api/v1/api-keys', admin());
    expect(list.body).not.toContain(key);
    expect((list.json() as { items: Array<{ id: string }> }).items.map((k) => k.id)).toContain(info.id);
    const del = await call('DELETE', `/api/v1/api-keys/${info.id}`, admin());
    expect(del.statusCode).toBe(200);
    expect(del.json().revokedAt).toBe(new Date(clock.now()).toISOString());
    const after = await call('GET', '/api/v1/auth/me', { 'x-api-key': key });
    expect(after.statusCode).toBe(401);
    expect(errCode(after)).toBe('INVALID_API_KEY');
    expect((await call('DELETE', '/api/v1/api-keys/key_nope', admin())).statusCode).toBe(404);
    const actions = (await city.services.audit.list({ targetId: info.id })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['apikey.create', 'apikey.revoke']));
  });

  it('answers bad user input with 400/409 and clear codes, writing nothing', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ username: 'shortpw', password: 'short', roles: ['admin'] }, 400, 'PASSWORD_TOO_SHORT'],
      [{ username: 'a b', password: 'long-enough-pw', roles: ['admin'] }, 400, 'INVALID_USERNAME'],
      [{ username: 'norole', password: 'long-enough-pw', roles: [] }, 400, 'NO_ROLES'],
      [{ username: 'badrole', password: 'long-enough-pw', roles: ['root'] }, 400, 'VALIDATION_FAILED'],
      [{ username: 'baddept', password: 'long-enough-pw', roles: ['handler'], department: 'NOPE' }, 400, 'UNKNOWN_DEPARTMENT'],
      [{ username: 'badunit', password: 'long-enough-pw', roles: ['grid_worker'], orgUnitId: 'nowhere' }, 400, 'UNKNOWN_ORG_UNIT'],
      [{ username: 't_admin', password: 'long-enough-pw', roles: ['admin'] }, 409, 'USERNAME_TAKEN'],
      [{ username: 'T_ADMIN', password: 'long-enough-pw', roles: ['admin'] }, 409, 'USERNAME_TAKEN'],
      [{ username: 'extra', password: 'long-enough-pw', roles: ['admin'], role: 'x' }, 400, 'VALIDATION_FAILED'],
    ];
    const before = await city.services.auth.countUsers();
    for (const [body, status, code] of cases) {
      const res = await call('POST', '/api/v1/users', admin(), body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(errCode(res), JSON.stringify(body)).toBe(code);
    }
    expect(await city.services.auth.countUsers()).toBe(before);
    const bad = await call('POST', '/api/v1/auth/login', {}, { username: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(errCode(bad)).toBe('VALIDATION_FAILED');
    const notJson = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(notJson.statusCode).toBe(400);
  });

  it('lists users with filters and pagination, reads and patches one, and audits the reads', async () => {
    const all = await call('GET', '/api/v1/users?limit=2&offset=0', admin());
    expect(all.statusCode).toBe(200);
    const page = all.json() as { items: unknown[]; total: number; limit: number };
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(8);
    const handlers = (await call('GET', '/api/v1/users?role=handler', admin())).json() as { items: Array<{ username: string; department: string }> };
    expect(handlers.items.map((u) => u.username)).toEqual(['t_handler']);
    const byDept = (await call('GET', '/api/v1/users?department=CGJ', admin())).json() as { total: number };
    expect(byDept.total).toBe(1);
    const one = await call('GET', `/api/v1/users/${who.auditor.id}`, admin());
    expect(one.json()).toMatchObject({ username: 't_auditor', roles: ['auditor'], disabled: false });
    expect((await call('GET', '/api/v1/users/usr_nope', admin())).statusCode).toBe(404);
    const reads = await city.services.audit.list({ action: 'user.read', targetId: who.auditor.id });
    expect(reads.length).toBe(1);
    expect((await city.services.audit.list({ action: 'user.list' })).length).toBeGreaterThanOrEqual(3);
    const patched = await call('PATCH', `/api/v1/users/${who.auditor.id}`, admin(), { roles: ['auditor', 'leader'], displayName: 'Chief auditor' });
    expect(patched.json()).toMatchObject({ roles: ['auditor', 'leader'], displayName: 'Chief auditor' });
    const me = await call('GET', '/api/v1/auth/me', who.auditor.headers);
    expect(me.json().roles).toEqual(['auditor', 'leader']);
    const empty = await call('PATCH', `/api/v1/users/${who.auditor.id}`, admin(), {});
    expect(errCode(empty)).toBe('NOTHING_TO_CHANGE');
  });

  it('ends sessions when the password changes, by the admin or by the user', async () => {
    const u = await newUser();
    const t1 = (await login(u.username, 'long-enough-pw')).json().token as string;
    clock.advance(1000);
    expect((await call('PATCH', `/api/v1/users/${u.id}`, admin(), { password: 'a-new-password-1' })).statusCode).toBe(200);
    expect(errCode(await call('GET', '/api/v1/auth/me', { authorization: `Bearer ${t1}` }))).toBe('INVALID_TOKEN');
    const t2 = (await login(u.username, 'a-new-password-1')).json().token as string;
    clock.advance(1000);
    const wrong = await call('POST', '/api/v1/auth/password', { authorization: `Bearer ${t2}` }, { currentPassword: 'nope-nope-nope', newPassword: 'another-password' });
    expect(errCode(wrong)).toBe('WRONG_PASSWORD');
    const ok = await call('POST', '/api/v1/auth/password', { authorization: `Bearer ${t2}` }, { currentPassword: 'a-new-password-1', newPassword: 'another-password' });
    expect(ok.statusCode).toBe(204);
    expect((await call('GET', '/api/v1/auth/me', { authorization: `Bearer ${t2}` })).statusCode).toBe(401);
    expect((await login(u.username, 'another-password')).statusCode).toBe(200);
  });

  it('keeps at least one enabled admin', async () => {
    // t_admin is the only admin in this city
    const res = await call('PATCH', `/api/v1/users/${who.admin.id}`, admin(), { disabled: true });
    expect(res.statusCode).toBe(409);
    expect(errCode(res)).toBe('LAST_ADMIN');
    expect((await call('PATCH', `/api/v1/users/${who.admin.id}`, admin(), { roles: ['auditor'] })).statusCode).toBe(409);
    const second = await newUser({ roles: ['admin'] });
    expect((await call('PATCH', `/api/v1/users/${second.id}`, admin(), { disabled: true })).statusCode).toBe(200);
  });

  it('upserts an org tree given in any order, lists, reads, locates, and scopes user filters to subtrees', async () => {
    const units = [
      { id: 'g1', parentId: 's1', level: 'grid', code: 'G1', nameZh: '网格一', nameEn: 'Grid 1', boundary: square(1.5, 42.5, 1.52, 42.52) },
      { id: 's1', parentId: 'd1', level: 'street', code: 'S1', nameZh: '街道一', nameEn: 'Street 1', boundary: square(1.5, 42.5, 1.55, 42.55) },
      { id: 'd1', parentId: 'ad', level: 'district', code: 'D1', nameZh: '区一', nameEn: 'District 1', boundary: square(1.4, 42.4, 1.6, 42.6) },
      { id: 'ad', parentId: null, level: 'city', code: 'AD', nameZh: '安道尔城', nameEn: 'Andorra la Vella', boundary: square(1.3, 42.3, 1.8, 42.7) },
    ];
    const up = await call('POST', '/api/v1/org/units', admin(), { units });
    expect(up.statusCode, up.body).toBe(200);
    const list = (await call('GET', '/api/v1/org/units', who.citizen.headers)).json() as { items: Array<{ id: string; path: string; boundary?: unknown }> };
    expect(list.items.map((u) => [u.id, u.path])).toEqual([['ad', '/ad/'], ['d1', '/ad/d1/'], ['s1', '/ad/d1/s1/'], ['g1', '/ad/d1/s1/g1/']]);
    expect(list.items[0]).not.toHaveProperty('boundary');
    const withB = (await call('GET', '/api/v1/org/units?level=grid&withBoundary=true', who.citizen.headers)).json() as { items: Array<{ boundary: { type: string } }> };
    expect(withB.items).toHaveLength(1);
    expect(withB.items[0]!.boundary.type).toBe('Polygon');
    const children = (await call('GET', '/api/v1/org/units?parent=d1', who.citizen.headers)).json() as { items: Array<{ id: string }> };
    expect(children.items.map((u) => u.id)).toEqual(['s1']);
    const one = await call('GET', '/api/v1/org/units/g1', who.citizen.headers);
    expect(one.json()).toMatchObject({ id: 'g1', path: '/ad/d1/s1/g1/', boundary: { type: 'Polygon' } });
    expect((await call('GET', '/api/v1/org/units/zz', who.citizen.headers)).statusCode).toBe(404);
    expect(city.services.auth.locate([1.51, 42.51])?.id).toBe('g1');
    expect(city.services.auth.locate([1.45, 42.45])?.id).toBe('d1');
    expect(city.services.auth.locate([0, 0])).toBeNull();
    const loc = (await call('GET', '/api/v1/org/locate?lon=1.53&lat=42.53', who.grid_worker.headers)).json() as { unit: { id: string } };
    expect(loc.unit.id).toBe('s1');

    // move the street under a new district: the grid follows
    const d2 = { id: 'd2', parentId: 'ad', level: 'district', code: 'D2', nameZh: '区二', nameEn: 'District 2', boundary: null };
    expect((await call('POST', '/api/v1/org/units', admin(), { units: [{ ...units[1], parentId: 'd2' }, d2] })).statusCode).toBe(200);
    expect((await city.services.auth.get('g1'))?.path).toBe('/ad/d2/s1/g1/');

    await newUser({ orgUnitId: 'g1' });
    await newUser({ orgUnitId: 'd1' });
    const inD2 = (await call('GET', '/api/v1/users?orgUnit=d2', admin())).json() as { total: number };
    expect(inD2.total).toBe(1);
    const inCity = (await call('GET', '/api/v1/users?orgUnit=ad', admin())).json() as { total: number };
    expect(inCity.total).toBe(2);
    expect((await call('GET', '/api/v1/users?orgUnit=nowhere', admin())).statusCode).toBe(404);
    expect((await city.services.audit.list({ action: 'org.upsert' })).length).toBe(2);
  });

  it('rejects a bad org list whole, naming the unit and the problem', async () => {
    const before = (await city.services.auth.list()).length;
    const cases: Array<[unknown, string]> = [
      [{ units: [{ id: 'x1', parentId: 'missing', level: 'district', code: 'X', nameZh: 'x', nameEn: 'x' }] }, 'UNKNOWN_PARENT'],
      [{ units: [{ id: 'x2', parentId: 'ad', level: 'street', code: 'X', nameZh: 'x', nameEn: 'x', boundary: { type: 'Polygon', coordinates: [[[0, 0], [1, 1]]] } }] }, 'BAD_BOUNDARY'],
      [{ units: [{ id: 'ok1', parentId: 'ad', level: 'district', code: 'OK', nameZh: 'x', nameEn: 'x' }, { id: 'x/3', parentId: 'ad', level: 'district', code: 'X', nameZh: 'x', nameEn: 'x' }] }, 'BAD_ORG_UNIT'],
      [{ units: [{ id: 'x4', parentId: 'g1', level: 'street', code: 'X', nameZh: 'x', nameEn: 'x' }] }, 'BAD_ORG_PARENT'],
      [{ units: [] }, 'VALIDATION_FAILED'],
      [{}, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const res = await call('POST', '/api/v1/org/units', admin(), body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(errCode(res), JSON.stringify(body)).toBe(code);
    }
    expect((await city.services.auth.list()).length).toBe(before);
  });

  it('seeds the default departments and lets an admin add or rename one', async () => {
    const list = (await call('GET', '/api/v1/org/departments', who.handler.headers)).json() as { items: Array<{ code: string; nameEn: string }> };
    expect(list.items.length).toBe(14);
    expect(list.items.find((d) => d.code === 'SWJ')?.nameEn).toBe('Water Authority');
    const res = await call('POST', '/api/v1/org/departments', admin(), { departments: [{ code: 'SWJ', nameZh: '水务局', nameEn: 'Water Board' }, { code: 'DSJ', nameZh: '数据局', nameEn: 'Data Bureau' }] });
    expect(res.statusCode, res.body).toBe(200);
    const after = await city.services.auth.listDepartments();
    expect(after).toHaveLength(15);
    expect(after.find((d) => d.code === 'SWJ')?.nameEn).toBe('Water Board');
  });
}

describe('auth routes (SQLite)', () => authSuite('sqlite'));
describe.skipIf(!pgUp)('auth routes (PostgreSQL)', () => authSuite('postgres'));

describe('session secret', () => {
  it('is generated once and shared through the store when none is configured', async () => {
    const a = await startTestCity({ config: { jwtSecret: undefined } });
    const { createCityOps } = await import('../../main.js');
    const b = await createCityOps(a.config, { clock: a.clock });
    try {
      await a.services.auth.createUser({ username: 'shared', password: TEST_PASSWORD, roles: ['leader'] }, 'test');
      const res = await a.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'shared', password: TEST_PASSWORD } });
      const token = (res.json() as { token: string }).token;
      const me = await b.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.statusCode, me.body).toBe(200);
    } finally {
      await b.close();
      await a.destroy();
    }
  });
});
