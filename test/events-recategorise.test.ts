/**
 * Category-only correction (POST /api/v1/events/:id/category) on SQLite and
 * PostgreSQL: a dispatcher fixes the category of an auto-dispatched event
 * whose department is right. The state and department stay; the category,
 * time limit and deadline change; an internal timeline entry, an audit entry,
 * a bus event and a classifier label are written. Stale versions, the same
 * or an unknown category, closed events, other roles and unknown ids are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoutingStore } from '../src/modules/events/routing/store.js';
import type { EventChangedPayload } from '../src/modules/events/types.js';
import { serviceAvailable, TEST_PG_URL } from '../src/platform/testing/services.js';
import { loadTaxonomy } from '../src/modules/events/index.js';
import { principalsFor } from './helpers/auth.js';
import { startTestCity, type TestCity } from './helpers/city.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const taxonomy = loadTaxonomy();

interface Detail {
  id: string; category: string; urgent: boolean; state: string; leadDepartment: string | null; version: number;
  time: { limitHours: number; deadlineAt: string | null };
  timeline: Array<{ action: string; note: string | null; public?: boolean; actorName?: string }>;
}

describe.each([{ name: 'sqlite', postgres: false }, { name: 'postgres', postgres: true }])('category-only correction on $name', (t) => {
  const skip = t.postgres && !pgUp;
  let city: TestCity;
  let who: Awaited<ReturnType<typeof principalsFor>>;
  const seen: EventChangedPayload[] = [];
  const call = async (role: keyof typeof who, method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await city.app.inject({ method, url, headers: who[role].headers, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() as Detail & { error?: { code: string; message: string } } & { limitHours: number; deadlineAt: string | null } };
  };

  beforeAll(async () => {
    if (skip) return;
    // Every classified report is dispatched by the machine: the case a category-only correction is for.
    city = await startTestCity({ postgres: t.postgres, config: { dispatchMinConfidence: 0 } });
    await city.start();
    who = await principalsFor(city);
    await city.kernel.bus.subscribe('EventRecategorised', (e) => { seen.push(e.payload); });
  });
  afterAll(async () => { await city?.destroy(); });

  it.skipIf(skip)('corrects only the category of an auto-dispatched event, with timeline, audit, bus event and label', async () => {
    const reported = await call('citizen', 'POST', '/api/v1/events', { text: '路口积水很深，车辆无法通行', address: '人民路口' });
    expect(reported.status).toBe(201);
    const ev = reported.body;
    expect(ev.state).toBe('dispatched');
    const dept = ev.leadDepartment!;
    // Another category of the same department, with another time limit.
    const from = taxonomy.categories.find((c) => c.code === ev.category)!;
    const hours = (c: { hours: number; urgentHours: number }) => (ev.urgent ? c.urgentHours : c.hours);
    const to = taxonomy.categories.find((c) => c.department === dept && c.code !== ev.category && hours(c) !== hours(from))
      ?? taxonomy.categories.find((c) => c.department === dept && c.code !== ev.category)!;
    expect(to, `no second category for ${dept}`).toBeTruthy();

    const fixed = await call('dispatcher', 'POST', `/api/v1/events/${ev.id}/category`, { category: to.code, expectedVersion: ev.version, reason: 'it is a burst main' });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body).toMatchObject({ id: ev.id, category: to.code, version: ev.version + 1, limitHours: hours(to) });

    const after = (await call('dispatcher', 'GET', `/api/v1/events/${ev.id}`)).body;
    expect([after.state, after.leadDepartment, after.category, after.version, after.time.limitHours]).toEqual(['dispatched', dept, to.code, ev.version + 1, hours(to)]);
    expect(Date.parse(after.time.deadlineAt!) - Date.parse(ev.time.deadlineAt!)).toBe((hours(to) - hours(from)) * 3_600_000);
    expect(after.timeline.at(-1)).toMatchObject({ action: 'recategorise', public: false, note: `${from.code} → ${to.code}: it is a burst main` });
    // The reporter's timeline leaves the internal entry out.
    expect((await call('citizen', 'GET', `/api/v1/events/${ev.id}`)).body.timeline.map((e) => e.action)).not.toContain('recategorise');

    const audit = await city.services.audit.list({ action: 'event.recategorise', targetId: ev.id });
    expect(audit.map((a) => [a.actorId, a.details])).toEqual([[who.dispatcher.id, { from: from.code, to: to.code, version: ev.version + 1, reason: 'it is a burst main' }]]);
    await (city.kernel.bus as { drain?: () => Promise<void> }).drain?.();
    expect(seen.filter((p) => p.eventId === ev.id)).toEqual([expect.objectContaining({ action: 'recategorise', category: to.code, state: 'dispatched', leadDepartment: dept, version: ev.version + 1 })]);
    const labels = await createRoutingStore(city.kernel.database).labels(ev.id);
    expect(labels.map((l) => [l.text, l.category, l.department, l.correctedBy])).toEqual([['路口积水很深，车辆无法通行', to.code, dept, who.dispatcher.id]]);
  });

  it.skipIf(skip)('refuses stale versions, the same or an unknown category, closed events, other roles and unknown ids', async () => {
    const ev = (await call('dispatcher', 'POST', '/api/v1/events', { text: 'manhole cover missing', category: 'MANHOLE', address: 'No. 5' })).body;
    const url = `/api/v1/events/${ev.id}/category`;
    const code = async (role: keyof typeof who, body: object) => { const r = await call(role, 'POST', url, body); return [r.status, r.body.error?.code]; };
    expect(await code('dispatcher', { category: 'STREETLIGHT', expectedVersion: ev.version + 1 })).toEqual([409, 'VERSION_CONFLICT']);
    expect(await code('dispatcher', { category: 'MANHOLE', expectedVersion: ev.version })).toEqual([400, 'SAME_CATEGORY']);
    expect(await code('dispatcher', { category: 'NOPE', expectedVersion: ev.version })).toEqual([400, 'UNKNOWN_CATEGORY']);
    expect((await code('dispatcher', { category: 'STREETLIGHT' }))[0]).toBe(400); // no expectedVersion
    expect((await code('handler', { category: 'STREETLIGHT', expectedVersion: ev.version }))[0]).toBe(403);
    expect((await code('citizen', { category: 'STREETLIGHT', expectedVersion: ev.version }))[0]).toBe(403);
    expect(await code('admin', { category: 'STREETLIGHT', expectedVersion: ev.version })).toEqual([200, undefined]);
    const r = await call('dispatcher', 'POST', '/api/v1/events/evt_nope/category', { category: 'STREETLIGHT', expectedVersion: 1 });
    expect([r.status, r.body.error?.code]).toEqual([404, 'EVENT_NOT_FOUND']);

    // A closed event: refused, and nothing was written.
    const dup = (await call('dispatcher', 'POST', '/api/v1/events', { text: 'manhole cover missing again', category: 'MANHOLE', address: 'No. 5' })).body;
    const merged = await call('dispatcher', 'POST', `/api/v1/events/${dup.id}/merge`, { into: ev.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const closed = (await call('dispatcher', 'GET', `/api/v1/events/${dup.id}`)).body;
    expect(closed.state).toBe('closed');
    const refused = await call('dispatcher', 'POST', `/api/v1/events/${dup.id}/category`, { category: 'STREETLIGHT', expectedVersion: closed.version });
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'EVENT_CLOSED']);
    expect((await call('dispatcher', 'GET', `/api/v1/events/${dup.id}`)).body).toMatchObject({ category: 'MANHOLE', version: closed.version });
  });
});
