/**
 * Duplicates, recurrence and hotspots over HTTP on SQLite and PostgreSQL: a
 * second report of the same problem nearby is proposed as a duplicate and
 * merges into the first (its code then tracks the first); far-away or
 * other-category reports are not proposed; the third report at one place in
 * 30 days is flagged; hotspots count and bin by hour and weekday (manual clock).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.js';
import { serviceAvailable, TEST_PG_URL } from '../src/platform/testing/services.js';
import type { Envelope } from '../src/platform/bus/types.js';
import { principalsFor, type TestPrincipal } from './helpers/auth.js';
import { startTestCity, type TestCity } from './helpers/city.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.UTC(2026, 10, 23, 8); // Monday 08:00 UTC
const at = (lon: number, lat: number, northM = 0) => ({ type: 'Point', coordinates: [lon, lat + northM / 111_320] });

type Who = Awaited<ReturnType<typeof principalsFor>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of several shapes, checked field by field
type Body = any;

describe.each([{ name: 'sqlite', postgres: false }, { name: 'postgres', postgres: true }])('duplicates and recurrence on $name', (t) => {
  const skip = t.postgres && !pgUp;
  let city: TestCity;
  let who: Who;
  const clock = new ManualClock(T0);
  const merged: Envelope[] = [];

  const call = async (p: TestPrincipal | undefined, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
    const res = await city.app.inject({ method, url, headers: p?.headers ?? {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.json() };
  };
  const report = async (text: string, category: string, location: unknown, p?: TestPrincipal) => {
    const r = await call(p ?? who.citizen, 'POST', '/api/v1/events', { text, category, location });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; trackingCode: string; version: number; state: string };
  };
  /** Move the clock on and sign in again: sessions expire on the manual clock too. */
  const setTime = async (t: number) => {
    clock.set(t);
    who = await principalsFor(city);
  };
  /** Setup reports at chosen times go through the service: no sign-in needed on the way. */
  const seed = async (t: number, text: string, category: string, location: unknown) => {
    clock.set(t);
    const { event } = await city.services.events.intake({ text, category, location }, { kind: 'user', id: who.citizen.id, name: 'citizen', roles: ['citizen'] });
    return event;
  };
  const suggested = async (id: string) => ((await call(who.dispatcher, 'GET', `/api/v1/events/${id}/duplicates`)).body.suggestions as Array<{ id: string }>).map((s) => s.id);

  beforeAll(async () => {
    if (skip) return;
    city = await startTestCity({ postgres: t.postgres, clock });
    await city.start();
    who = await principalsFor(city);
    await city.kernel.bus.subscribe('EventMerged', (e) => { merged.push(e as Envelope); });
  });
  afterAll(async () => { if (!skip) await city.destroy(); });

  it.skipIf(skip)('proposes a nearby look-alike, merges it, and the duplicate\'s code tracks the original', async () => {
    clock.set(T0);
    const first = await report('人民路12号门口井盖没了，晚上很危险', 'MANHOLE', at(1.52, 42.51));
    clock.advance(2 * H);
    const second = await report('人民路12号附近井盖丢失，有人差点掉下去', 'MANHOLE', at(1.52, 42.51, 30), who.grid_worker);
    const far = await report('人民路12号门口井盖没了，晚上很危险', 'MANHOLE', at(1.52, 42.51, 2000));
    const other = await report('人民路12号门口垃圾没人清运', 'GARBAGE', at(1.52, 42.51, 10));
    expect(await suggested(second.id)).toEqual([first.id]);
    expect(await suggested(far.id)).toEqual([]);
    expect(await suggested(other.id)).toEqual([]);
    expect(await suggested(first.id)).toEqual([]);

    expect((await call(who.citizen, 'POST', `/api/v1/events/${second.id}/merge`, { into: first.id })).status).toBe(403);
    expect((await call(who.handler, 'POST', `/api/v1/events/${second.id}/merge`, { into: first.id })).status).toBe(403);
    expect((await call(who.dispatcher, 'POST', `/api/v1/events/${second.id}/merge`, { into: second.id })).body.error.code).toBe('MERGE_INTO_SELF');
    expect((await call(who.dispatcher, 'POST', `/api/v1/events/${second.id}/merge`, { into: 'evt_nope' })).status).toBe(404);
    expect((await call(who.dispatcher, 'POST', `/api/v1/events/${second.id}/actions`, { action: 'merge', expectedVersion: 1 })).body.error.code).toBe('USE_MERGE_ENDPOINT');

    const m = await call(who.dispatcher, 'POST', `/api/v1/events/${second.id}/merge`, { into: first.id });
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    expect([m.body.state, m.body.mergedInto.id]).toEqual(['closed', first.id]);
    expect(merged.map((e) => (e.payload as { eventId: string }).eventId)).toContain(second.id);
    const again = await call(who.dispatcher, 'POST', `/api/v1/events/${second.id}/merge`, { into: first.id });
    expect([again.status, again.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    expect((await call(who.dispatcher, 'POST', `/api/v1/events/${far.id}/merge`, { into: second.id })).body.error.code).toBe('MERGE_TARGET_CLOSED');

    const dups = (await call(who.leader, 'GET', `/api/v1/events/${first.id}/duplicates`)).body;
    expect(dups.followers.map((f: { eventId: string; trackingCode: string }) => [f.eventId, f.trackingCode])).toEqual([[second.id, second.trackingCode]]);
    expect((await call(who.dispatcher, 'GET', `/api/v1/events/${second.id}/duplicates`)).body.mergedInto).toBe(first.id);

    // The follower's code now shows the original's public progress.
    const d = await call(who.dispatcher, 'POST', `/api/v1/events/${first.id}/actions`, { action: 'dispatch', expectedVersion: first.version });
    expect(d.status).toBe(200);
    const tracked = (await call(undefined, 'GET', `/api/v1/track/${second.trackingCode}`)).body;
    expect([tracked.trackingCode, tracked.state]).toEqual([first.trackingCode, 'dispatched']);
    expect(tracked.timeline.map((e: { toState: string }) => e.toState)).toEqual(['received', 'dispatched']);
    const own = (await call(who.grid_worker, 'GET', `/api/v1/events/${second.id}`)).body;
    expect(own.timeline.at(-1)).toMatchObject({ action: 'merge', toState: 'closed', note: `merged into ${first.trackingCode}` });
  });

  it.skipIf(skip)('flags a place when one category comes back the third time within 30 days', async () => {
    const place = (n: number) => at(1.6, 42.55, n);
    const recurring = async () => ((await call(who.handler, 'GET', '/api/v1/events/recurring?category=STREETLIGHT')).body.items as Array<{ eventId: string; count: number; related: string[] }>);
    const a = await seed(T0 + 10 * DAY, '路灯不亮', 'STREETLIGHT', place(0));
    await seed(T0 + 22 * DAY, 'Street light out again', 'STREETLIGHT', place(2000)); // elsewhere
    const b = await seed(T0 + 22 * DAY, '这里的路灯又坏了', 'STREETLIGHT', place(40));
    await setTime(T0 + 22 * DAY);
    expect(await recurring()).toEqual([]);
    await setTime(T0 + 34 * DAY);
    const c = await report('路灯第三次不亮了', 'STREETLIGHT', place(70));
    const items = await recurring();
    expect(items.map((i) => [i.eventId, i.count, i.related])).toEqual([[c.id, 3, [a.id, b.id]]]);
    expect((await call(who.grid_worker, 'GET', '/api/v1/events/recurring')).status).toBe(403);
  });

  it.skipIf(skip)('answers hotspots with counts, top categories and hour/weekday histograms', async () => {
    const base = T0 + 63 * DAY; // a Monday, 08:00 UTC
    // 10 m inside a 250 m hotspot cell, so the cluster does not straddle a cell edge.
    const spot = (n: number) => at(1.7, (Math.floor((42.6 * 111_320) / 250) * 250 + 10) / 111_320, n);
    const times = [base, base + H, base + DAY, base + 2 * DAY + 5 * H];
    const cats = ['TREES_GREENING', 'TREES_GREENING', 'GARBAGE', 'TREES_GREENING'];
    for (let i = 0; i < times.length; i++) {
      await seed(times[i]!, `树枝挡路 ${i}`, cats[i]!, spot(i * 10));
    }
    await setTime(base + 3 * DAY);
    const q = `area=1.69,42.59,1.71,42.61&from=${new Date(base - H).toISOString()}&to=${new Date(base + 3 * DAY).toISOString()}`;
    const all = await call(who.grid_worker, 'GET', `/api/v1/events/hotspots?${q}`);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.reports).toBe(4);
    expect(all.body.clusters).toHaveLength(1);
    const c = all.body.clusters[0];
    expect(c.count).toBe(4);
    expect(c.topCategories).toEqual([{ category: 'TREES_GREENING', count: 3 }, { category: 'GARBAGE', count: 1 }]);
    expect([c.byHour[8], c.byHour[9], c.byHour[13]]).toEqual([2, 1, 1]);
    expect(c.byWeekday).toEqual([2, 1, 1, 0, 0, 0, 0]);
    const trees = (await call(who.leader, 'GET', `/api/v1/events/hotspots?${q}&category=TREES_GREENING`)).body;
    expect(trees.clusters.map((x: { count: number }) => x.count)).toEqual([3]);
    expect((await call(who.leader, 'GET', `/api/v1/events/hotspots?${q}&utcOffset=480`)).body.clusters[0].byHour[16]).toBe(2);
    expect((await call(who.leader, 'GET', '/api/v1/events/hotspots?from=yesterday')).body.error.code).toBe('BAD_TIME');
    expect((await call(who.leader, 'GET', '/api/v1/events/hotspots?area=1,2,3')).body.error.code).toBe('BAD_BBOX');
    expect((await call(who.citizen, 'GET', '/api/v1/events/hotspots')).status).toBe(403);
  });
});
