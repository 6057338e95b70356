/**
 * Group-committed intake and who sees what, over HTTP on SQLite and
 * PostgreSQL: many concurrent reports are all stored with their audit entries
 * (chain intact) and bus events; two concurrent requests with one
 * Idempotency-Key make one event; the outbox is emptied and a left-over
 * message is published again under its id; handlers, grid workers and
 * citizens see only their events (404 otherwise); a grid worker without an
 * org unit is told so; citizens never see the model version; Open311
 * personal fields are stored for dispatchers and never shown publicly.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.js';
import type { Envelope } from '../src/platform/bus/types.js';
import { serviceAvailable, TEST_PG_URL } from '../src/platform/testing/services.js';
import { principalsFor, TEST_PASSWORD, type TestPrincipal } from './helpers/auth.js';
import { startTestCity, type TestCity } from './helpers/city.js';
import { seedCityAndDistrict, square } from './helpers/org.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const IN_D1 = { type: 'Point', coordinates: [1.52, 42.51] };
const IN_D2 = { type: 'Point', coordinates: [1.72, 42.71] };

type Who = Awaited<ReturnType<typeof principalsFor>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of several shapes, checked field by field
type Body = any;

describe.each([{ name: 'sqlite', postgres: false }, { name: 'postgres', postgres: true }])('event intake and visibility on $name', (t) => {
  const skip = t.postgres && !pgUp;
  let city: TestCity;
  let who: Who;
  let gridD2: TestPrincipal;
  let swj: TestPrincipal;
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 8));
  const published: Envelope[] = [];

  const call = async (p: TestPrincipal | undefined, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Body; text: string }> => {
    const res = await city.app.inject({ method, url, headers: { ...(p?.headers ?? {}), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? res.json() : null, text: res.body };
  };
  const report = async (p: TestPrincipal, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    call(p, 'POST', '/api/v1/events', { text: '人民路上井盖没了', category: 'MANHOLE', location: IN_D1, ...body }, headers);
  const login = async (username: string, extra: { roles: Array<'grid_worker' | 'handler'>; orgUnitId?: string; department?: string }) => {
    const u = (await city.services.auth.findUser(username)) ?? await city.services.auth.createUser({ username, password: TEST_PASSWORD, ...extra }, 'test');
    const res = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
    return { id: u.id, headers: { authorization: `Bearer ${(res.json() as { token: string }).token}` } };
  };

  beforeAll(async () => {
    if (skip) return;
    city = await startTestCity({ postgres: t.postgres, clock });
    await city.start();
    who = await principalsFor(city);
    await seedCityAndDistrict(city);
    await city.services.auth.upsertOrgUnits([{ id: 'd2', parentId: 'c1', level: 'district', code: 'D2', nameZh: '二区', nameEn: 'District 2', boundary: square(1.7, 42.7, 1.8, 42.8) }], 'test');
    gridD2 = await login(`grid_d2_${t.name}`, { roles: ['grid_worker'], orgUnitId: 'd2' });
    swj = await login(`h_swj_${t.name}`, { roles: ['handler'], department: 'SWJ' });
    for (const type of ['EventReceived', 'EventDispatched'] as const) await city.kernel.bus.subscribe(type, (e) => { published.push(e as Envelope); });
  });
  afterAll(async () => { if (!skip) await city.destroy(); });

  it.skipIf(skip)('stores 40 concurrent reports with their audit entries and bus events, and empties the outbox', async () => {
    const auditBefore = (await city.services.audit.verify()).entries;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => report(i % 2 ? who.citizen : who.grid_worker, { text: `井盖 ${i}` })));
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(201));
    const ids = answers.map((a) => a.body.id as string);
    expect(new Set(ids).size).toBe(40);
    for (const id of ids) expect((await call(who.dispatcher, 'GET', `/api/v1/events/${id}`)).status).toBe(200);
    const verified = await city.services.audit.verify();
    expect(verified.ok).toBe(true);
    expect(verified.entries - auditBefore).toBeGreaterThanOrEqual(40);
    for (const id of ids) expect((await city.services.audit.list({ targetType: 'event', targetId: id })).map((e) => e.action)).toEqual(['event.receive']);
    await new Promise((r) => setImmediate(r));
    expect(ids.every((id) => published.some((p) => p.type === 'EventReceived' && (p.payload as { eventId: string }).eventId === id))).toBe(true);
    await city.services.events.outboxSettled();
    const left = await sql<{ n: number }>`SELECT count(*) AS n FROM events_outbox`.execute(city.kernel.database.db);
    expect(Number(left.rows[0]!.n)).toBe(0);
  });

  it.skipIf(skip)('two concurrent requests with one Idempotency-Key make one event; a different body with it is refused', async () => {
    const key = { 'idempotency-key': `same-${t.name}` };
    const [a, b] = await Promise.all([report(who.citizen, { text: 'Streetlight out' }, key), report(who.citizen, { text: 'Streetlight out' }, key)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    const c = await report(who.citizen, { text: 'Streetlight out' }, key);
    expect([c.status, c.body.id]).toEqual([200, a.body.id]);
    const [d, e] = await Promise.all([report(who.citizen, { text: 'one lamp' }, { 'idempotency-key': `other-${t.name}` }), report(who.citizen, { text: 'another lamp' }, { 'idempotency-key': `other-${t.name}` })]);
    expect([d.status, e.status].sort()).toEqual([201, 422]);
    const mine = (await call(who.citizen, 'GET', '/api/v1/events?queue=mine&limit=500')).body.items as Array<{ text: string }>;
    expect(mine.filter((x) => x.text === 'Streetlight out')).toHaveLength(1);
  });

  it.skipIf(skip)('publishes a message a crash left in the outbox again, under the same id', async () => {
    const payload = { eventId: 'evt_left', trackingCode: 'LEFT', action: 'receive', fromState: null, state: 'received', category: 'MANHOLE', leadDepartment: 'CGJ', orgUnitId: null, escalationLevel: 0, version: 1 };
    await sql`INSERT INTO events_outbox (id, type, payload, created_at) VALUES (${'evt_leftover1'}, ${'EventReceived'}, ${JSON.stringify(payload)}, ${clock.now() - 120_000})`.execute(city.kernel.database.db);
    expect(await city.services.events.republish()).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(published.filter((p) => p.id === 'evt_leftover1')).toHaveLength(1);
    expect(await city.services.events.republish()).toBe(0);
  });

  it.skipIf(skip)('handlers, grid workers and citizens see only their events: 404 for the others', async () => {
    const cgj = (await report(who.citizen)).body; // MANHOLE → CGJ, in d1
    const d2 = (await report(who.citizen, { location: IN_D2 })).body;
    const detail = (p: TestPrincipal, id: string) => call(p, 'GET', `/api/v1/events/${id}`);
    expect((await detail(who.handler, cgj.id)).status).toBe(200);
    expect((await detail(swj, cgj.id)).status).toBe(404);
    expect((await call(swj, 'POST', `/api/v1/events/${cgj.id}/actions`, { action: 'suspend', expectedVersion: cgj.version, reason: 'x' })).status).toBe(404);
    // a co-handling task brings it into SWJ's view
    const ev = (await call(who.dispatcher, 'POST', `/api/v1/events/${cgj.id}/actions`, { action: 'dispatch', expectedVersion: cgj.version })).body;
    expect((await call(who.dispatcher, 'POST', `/api/v1/events/${cgj.id}/actions`, { action: 'add_cohandler', expectedVersion: ev.version, department: 'SWJ' })).status).toBe(200);
    expect((await detail(swj, cgj.id)).status).toBe(200);
    // the grid worker of d2 sees d2 (list and detail), not d1
    expect((await detail(gridD2, d2.id)).status).toBe(200);
    expect((await detail(gridD2, cgj.id)).status).toBe(404);
    const grid = (await call(gridD2, 'GET', '/api/v1/events?limit=500')).body;
    expect(grid.scope).toEqual({ kind: 'org_unit', orgPath: expect.stringContaining('d2') });
    expect(grid.items.map((e: { id: string }) => e.id)).toContain(d2.id);
    expect(grid.items.map((e: { id: string }) => e.id)).not.toContain(cgj.id);
    // leaders see everything; another citizen sees nothing of it
    expect((await detail(who.leader, d2.id)).status).toBe(200);
    const other = await city.services.auth.createUser({ username: `cit2_${t.name}`, password: TEST_PASSWORD, roles: ['citizen'] }, 'test');
    const o = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `cit2_${t.name}`, password: TEST_PASSWORD } });
    expect((await detail({ id: other.id, headers: { authorization: `Bearer ${(o.json() as { token: string }).token}` } }, d2.id)).status).toBe(404);
  });

  it.skipIf(skip)('a grid worker without an org unit gets the reports they made, and the list says why', async () => {
    const own = (await report(who.grid_worker, { text: 'patrol: broken cover' })).body;
    const others = (await report(who.citizen)).body;
    const list = (await call(who.grid_worker, 'GET', '/api/v1/events?limit=500')).body;
    expect(list.scope).toEqual({ kind: 'own', reason: 'NO_ORG_UNIT' });
    expect(list.items.map((e: { id: string }) => e.id)).toContain(own.id);
    expect(list.items.map((e: { id: string }) => e.id)).not.toContain(others.id);
    expect((await call(who.grid_worker, 'GET', `/api/v1/events/${own.id}`)).status).toBe(200);
    expect((await call(who.grid_worker, 'GET', `/api/v1/events/${others.id}`)).status).toBe(404);
  });

  it.skipIf(skip)('citizens never see the model version or confidence; staff do', async () => {
    const r = await call(who.citizen, 'POST', '/api/v1/events', { text: '小区绿化带里的树枝长得太长了，都伸到三楼窗户上了，麻烦园林的来修剪一下', location: IN_D1 });
    expect(r.status).toBe(201);
    expect(r.body).not.toHaveProperty('classifierVersion');
    expect(r.body).not.toHaveProperty('classifierConfidence');
    const mine = await call(who.citizen, 'GET', `/api/v1/events/${r.body.id}`);
    expect(mine.text).not.toContain('classifierVersion');
    expect((await call(who.citizen, 'GET', '/api/v1/events?queue=mine')).text).not.toContain('classifierVersion');
    expect((await call(undefined, 'GET', `/api/v1/track/${r.body.trackingCode}`)).text).not.toContain('classifier');
    const staff = (await call(who.dispatcher, 'GET', `/api/v1/events/${r.body.id}`)).body;
    expect(typeof staff.classifierVersion).toBe('string');
  });

  it.skipIf(skip)('Open311 personal fields are stored for dispatchers and admins, never in public answers', async () => {
    const form = new URLSearchParams({
      api_key: '', service_code: 'MANHOLE', lat: '42.51', long: '1.52', description: 'cover missing',
      first_name: 'Lin', last_name: 'Wei', email: 'lin.wei@example.org', phone: '+86 138 0000 0000', device_id: 'dev-42', account_id: 'acct-7',
    }).toString();
    const res = await city.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { ...who.device.headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
    expect(res.statusCode, res.body).toBe(200);
    const code = (res.json() as Array<{ service_request_id: string }>)[0]!.service_request_id;
    const { event } = await city.services.events.track(code);
    const staff = (await call(who.dispatcher, 'GET', `/api/v1/events/${event.id}`)).body;
    expect(staff.reporterContact).toEqual({ firstName: 'Lin', lastName: 'Wei', email: 'lin.wei@example.org', phone: '+86 138 0000 0000', deviceId: 'dev-42', accountId: 'acct-7' });
    expect((await call(who.leader, 'GET', `/api/v1/events/${event.id}`)).text).not.toContain('lin.wei');
    for (const url of [`/open311/v2/requests/${code}.json`, `/open311/v2/requests/${code}.xml`, `/open311/v2/requests.json?service_request_id=${code}`, `/api/v1/track/${code}`]) {
      const pub = await call(undefined, 'GET', url);
      expect(pub.status, url).toBe(200);
      for (const secret of ['Lin', 'Wei', 'lin.wei', '138 0000', 'dev-42', 'acct-7']) expect(pub.text, `${url} leaks ${secret}`).not.toContain(secret);
    }
    const bad = await city.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { ...who.device.headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'service_code=MANHOLE&lat=42.51&long=1.52&email=not-an-address' });
    expect([bad.statusCode, bad.body]).toEqual([400, expect.stringContaining('BAD_EMAIL')]);
  });
});
