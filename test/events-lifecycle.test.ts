/**
 * City events end to end over HTTP, on SQLite and PostgreSQL: a citizen's
 * report through every state to closed, rework after a poor rating,
 * transfer, stale versions, idempotent intake, public tracking, bad input
 * and escalation of an overdue event (manual clock, no sleeping).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.js';
import { serviceAvailable, TEST_PG_URL } from '../src/platform/testing/services.js';
import type { Envelope } from '../src/platform/bus/types.js';
import { principalsFor, type TestPrincipal } from './helpers/auth.js';
import { startTestCity, type TestCity } from './helpers/city.js';
import { seedCityAndDistrict } from './helpers/org.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const H = 3_600_000;
const PIN = { type: 'Point', coordinates: [1.52, 42.51] };

type Who = Awaited<ReturnType<typeof principalsFor>>;
interface Ev { id: string; category: string; trackingCode: string; state: string; version: number; leadDepartment: string | null; reworkCount: number; escalationLevel: number; text: string; orgUnitId: string | null; timeline: Array<Record<string, unknown>> }

describe.each([{ name: 'sqlite', postgres: false }, { name: 'postgres', postgres: true }])('city events on $name', (t) => {
  const skip = t.postgres && !pgUp;
  let city: TestCity;
  let who: Who;
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 8));
  const published: Envelope[] = [];

  const call = async (p: TestPrincipal | undefined, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await city.app.inject({ method, url, headers: { ...(p?.headers ?? {}), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.json() as Ev & { error?: { code: string }; items?: Ev[]; total?: number } };
  };
  const report = async (body: Record<string, unknown> = {}, p?: TestPrincipal) =>
    (await call(p ?? who.citizen, 'POST', '/api/v1/events', { text: '人民路上井盖没了，晚上很危险', category: 'MANHOLE', location: PIN, ...body })).body;
  const act = async (p: TestPrincipal, ev: { id: string; version: number }, action: string, extra: Record<string, unknown> = {}) =>
    call(p, 'POST', `/api/v1/events/${ev.id}/actions`, { action, expectedVersion: ev.version, ...extra });
  const ok = async (p: TestPrincipal, ev: { id: string; version: number }, action: string, extra: Record<string, unknown> = {}) => {
    const r = await act(p, ev, action, extra);
    expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    if (skip) return;
    city = await startTestCity({ postgres: t.postgres, clock });
    await city.start();
    who = await principalsFor(city);
    await seedCityAndDistrict(city);
    for (const type of ['EventReceived', 'EventDispatched', 'EventAccepted', 'EventResultReported', 'EventRated', 'EventClosed', 'EventReopened', 'EventEscalated'] as const) {
      await city.kernel.bus.subscribe(type, (e) => { published.push(e as Envelope); });
    }
  });
  afterAll(async () => { if (!skip) await city.destroy(); });

  it.skipIf(skip)('takes a citizen report from received to closed, with audit, bus events and a public timeline', async () => {
    const html = '<script>alert(1)</script> 人民路12号门口井盖没了，晚上很危险';
    const r = await call(who.citizen, 'POST', '/api/v1/events', { text: html, category: 'MANHOLE', location: PIN });
    expect(r.status).toBe(201);
    let ev = r.body;
    expect([ev.state, ev.version, ev.leadDepartment, ev.text, ev.orgUnitId]).toEqual(['received', 1, 'CGJ', html, 'd1']);
    expect(ev.trackingCode).toMatch(/^[0-9A-Z]{10}$/);

    const queue = (await call(who.dispatcher, 'GET', '/api/v1/events?queue=dispatch')).body;
    expect(queue.items!.map((e) => e.id)).toContain(ev.id);
    ev = await ok(who.dispatcher, ev, 'dispatch', { note: 'internal: call the contractor' });
    expect([ev.state, ev.version]).toEqual(['dispatched', 2]);
    const inbox = (await call(who.handler, 'GET', '/api/v1/events')).body;
    expect(inbox.items!.map((e) => e.id)).toContain(ev.id);
    ev = await ok(who.handler, ev, 'accept');
    ev = await ok(who.handler, ev, 'report_result', { note: '已更换新井盖' });
    ev = await ok(who.citizen, ev, 'rate', { rating: 5, comment: '很快，谢谢' });
    expect(ev.state).toBe('rated');
    ev = await ok(who.dispatcher, ev, 'close');
    expect([ev.state, ev.version]).toEqual(['closed', 6]);

    const audit = await city.services.audit.list({ targetType: 'event', targetId: ev.id });
    expect(audit.map((a) => a.action)).toEqual(['event.receive', 'event.dispatch', 'event.accept', 'event.report_result', 'event.rate', 'event.close']);
    expect(published.filter((p) => (p.payload as { eventId: string }).eventId === ev.id).map((p) => p.type))
      .toEqual(['EventReceived', 'EventDispatched', 'EventAccepted', 'EventResultReported', 'EventRated', 'EventClosed']);

    const mine = (await call(who.citizen, 'GET', `/api/v1/events/${ev.id}`)).body;
    expect(mine.timeline.every((e) => !('actorId' in e))).toBe(true);
    const tracked = await call(undefined, 'GET', `/api/v1/track/${ev.trackingCode.toLowerCase()}`);
    expect(tracked.status).toBe(200);
    expect(JSON.stringify(tracked.body)).not.toContain(who.citizen.id);
    expect(tracked.body.timeline.map((e) => e.toState)).toEqual(['received', 'dispatched', 'in_progress', 'result_reported', 'rated', 'closed']);
    // The dispatcher's routing note is staff shorthand; the handler's result is for the citizen.
    expect(JSON.stringify(tracked.body)).not.toContain('call the contractor');
    expect(tracked.body.timeline.find((e) => e.toState === 'result_reported')?.note).toBe('已更换新井盖');
    expect((await call(undefined, 'GET', '/api/v1/track/NOSUCHCODE')).status).toBe(404);
  });

  it.skipIf(skip)('a rating of 2 or less sends the event back once; a dispatcher may reopen a closed one', async () => {
    let ev = await report();
    ev = await ok(who.dispatcher, ev, 'dispatch');
    ev = await ok(who.handler, ev, 'accept');
    ev = await ok(who.handler, ev, 'report_result', { note: 'done' });
    ev = await ok(who.citizen, ev, 'rate', { rating: 2, comment: '没修好' });
    expect([ev.state, ev.reworkCount, ev.leadDepartment]).toEqual(['dispatched', 1, 'CGJ']);
    ev = await ok(who.handler, ev, 'accept');
    ev = await ok(who.handler, ev, 'report_result', { note: 'done properly' });
    ev = await ok(who.citizen, ev, 'rate', { rating: 1 });
    expect(ev.state).toBe('rated');
    ev = await ok(who.dispatcher, ev, 'close');
    expect((await act(who.dispatcher, ev, 'reopen')).body.error?.code).toBe('REASON_REQUIRED');
    ev = await ok(who.dispatcher, ev, 'reopen', { reason: 'leader review: still broken' });
    expect(ev.state).toBe('dispatched');
  });

  it.skipIf(skip)('transfers with a reason; the old department may no longer act; internal entries stay internal', async () => {
    let ev = await report();
    ev = await ok(who.dispatcher, ev, 'dispatch');
    expect((await act(who.dispatcher, ev, 'transfer', { department: 'SWJ' })).body.error?.code).toBe('REASON_REQUIRED');
    expect((await act(who.dispatcher, ev, 'transfer', { department: 'XYZ', reason: 'x' })).body.error?.code).toBe('UNKNOWN_DEPARTMENT');
    ev = await ok(who.dispatcher, ev, 'transfer', { department: 'SWJ', reason: 'a burst water main, not a manhole' });
    expect(ev.leadDepartment).toBe('SWJ');
    // CGJ neither leads nor co-handles it any more: for its handler the event is out of view (404, not 403)
    expect((await act(who.handler, ev, 'accept')).status).toBe(404);
    expect((await call(who.handler, 'GET', `/api/v1/events/${ev.id}`)).status).toBe(404);
    expect((await act(who.citizen, ev, 'close')).status).toBe(403);
    expect((await act(who.dispatcher, ev, 'rate', { rating: 5 })).status).toBe(403);
    expect((await act(who.dispatcher, ev, 'close')).body.error?.code).toBe('INVALID_TRANSITION');
    const staff = (await call(who.dispatcher, 'GET', `/api/v1/events/${ev.id}`)).body;
    expect(staff.timeline.some((e) => e.action === 'transfer' && e.public === false)).toBe(true);
    const pub = (await call(undefined, 'GET', `/api/v1/track/${ev.trackingCode}`)).body;
    expect(pub.timeline.some((e) => e.action === 'transfer')).toBe(false);

    // CGJ is out of the lead, but a co-handling task brings the event back into its inbox until done
    const inbox = async () => (await call(who.handler, 'GET', '/api/v1/events?queue=inbox')).body.items!.map((e) => e.id);
    expect(await inbox()).not.toContain(ev.id);
    ev = await ok(who.dispatcher, ev, 'add_cohandler', { department: 'CGJ', note: 'lift the manhole cover' });
    expect(await inbox()).toContain(ev.id);
    ev = await ok(who.handler, ev, 'complete_cotask', { note: 'cover lifted' });
    expect(await inbox()).not.toContain(ev.id);
  });

  it.skipIf(skip)('a stale version answers 409 VERSION_CONFLICT; of two concurrent updates exactly one wins', async () => {
    const ev = await report();
    const [a, b] = await Promise.all([act(who.dispatcher, ev, 'dispatch'), act(who.admin, ev, 'escalate', { reason: 'VIP' })]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a, b].find((x) => x.status === 409)!.body.error?.code).toBe('VERSION_CONFLICT');
    const again = await act(who.dispatcher, ev, 'escalate');
    expect([again.status, again.body.error?.code]).toEqual([409, 'VERSION_CONFLICT']);
    expect((await call(who.dispatcher, 'GET', `/api/v1/events/${ev.id}`)).body.version).toBe(2);
  });

  it.skipIf(skip)('an Idempotency-Key makes a retry return the same event', async () => {
    const body = { text: 'Streetlight out on Carrer Major since Monday', category: 'STREETLIGHT', address: 'Carrer Major 3' };
    const key = { 'idempotency-key': `k-${t.name}-1` };
    const first = await call(who.grid_worker, 'POST', '/api/v1/events', body, key);
    const second = await call(who.grid_worker, 'POST', '/api/v1/events', body, key);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
    const other = await call(who.grid_worker, 'POST', '/api/v1/events', { ...body, text: 'another lamp' }, key);
    expect([other.status, other.body.error?.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const dupes = (await call(who.dispatcher, 'GET', '/api/v1/events?category=STREETLIGHT')).body.items!.filter((e) => e.text === body.text);
    expect(dupes).toHaveLength(1);
  });

  it.skipIf(skip)('rejects bad reports with clear 400 codes and hides other people\'s events', async () => {
    const bad = async (body: Record<string, unknown>) => (await call(who.citizen, 'POST', '/api/v1/events', { text: 'x', category: 'MANHOLE', location: PIN, ...body })).body.error?.code;
    expect(await bad({ text: '   ' })).toBe('EMPTY_TEXT');
    expect(await bad({ text: '坑'.repeat(4001) })).toBe('TEXT_TOO_LONG');
    expect(await bad({ category: 'ALIENS' })).toBe('UNKNOWN_CATEGORY');
    // without a category, the server's classifier chooses one (overgrown trees, a non-urgent 72 h category)
    const classified = await call(who.citizen, 'POST', '/api/v1/events', { text: '小区绿化带里的树枝长得太长了，都伸到三楼窗户上了，麻烦园林的来修剪一下', location: PIN });
    expect(classified.status).toBe(201);
    expect(classified.body.category).toBe('TREES_GREENING');
    expect(await bad({ location: { type: 'Point', coordinates: [200, 95] } })).toBe('BAD_COORDINATES');
    expect(await bad({ location: undefined })).toBe('LOCATION_REQUIRED');
    const theirs = await report({}, who.dispatcher);
    expect((await call(who.citizen, 'GET', `/api/v1/events/${theirs.id}`)).status).toBe(404);
    expect((await act(who.citizen, theirs, 'rate', { rating: 5 })).status).toBe(404);
  });

  it.skipIf(skip)('escalates an overdue event to the street station, then the city centre; a suspension pauses the clock', async () => {
    let ev = await report({ urgent: true }); // MANHOLE urgent: 2 h
    let paused = await report({ urgent: true });
    paused = await ok(who.dispatcher, paused, 'dispatch');
    paused = await ok(who.handler, paused, 'accept');
    paused = await ok(who.handler, paused, 'suspend', { reason: 'waiting for the road to be closed' });
    clock.advance(2 * H);
    expect(await city.services.events.sweep()).toMatchObject({ escalated: 1 });
    ev = (await call(who.dispatcher, 'GET', `/api/v1/events/${ev.id}`)).body;
    expect(ev.escalationLevel).toBe(1);
    const overdue = (await call(who.dispatcher, 'GET', '/api/v1/events?queue=overdue')).body.items!.map((e) => e.id);
    expect(overdue).toContain(ev.id);
    expect(overdue).not.toContain(paused.id);
    clock.advance(1 * H);
    await city.services.events.sweep();
    const top = (await call(who.dispatcher, 'GET', `/api/v1/events/${ev.id}`)).body as Ev & { escalatedTo: string };
    expect([top.escalationLevel, top.escalatedTo]).toEqual([2, 'city_centre']);
    paused = (await call(who.dispatcher, 'GET', `/api/v1/events/${paused.id}`)).body;
    expect(paused.escalationLevel).toBe(0);
  });
});
