/**
 * Alarms over HTTP (SPEC R3, R4) on SQLite and PostgreSQL: signals through
 * the sink, the lifecycle (ack, clear, source clear, re-raise), notes, stale
 * versions (409), handlers' department scope, filters and paging, summary,
 * flood control, the live stream, the alarm → city event link and the
 * event's closure, the risk map with its history, and the active index
 * surviving a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.js';
import type { Bus } from '../src/platform/bus/types.js';
import { serviceAvailable, TEST_PG_URL } from '../src/platform/testing/services.js';
import type { AlarmSignal } from '../src/modules/risk/types.js';
import { principalsFor, type TestPrincipal } from './helpers/auth.js';
import { startTestCity, type TestCity } from './helpers/city.js';
import { square } from './helpers/org.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const T0 = Date.UTC(2026, 10, 22, 8);
const PIN = { type: 'Point' as const, coordinates: [1.52, 42.51] as [number, number] };

type Who = Awaited<ReturnType<typeof principalsFor>>;
interface AlarmW { id: string; state: string; severity: string; count: number; version: number; department: string | null; eventId: string | null; incidentId: string | null; notes: Array<{ text: string; by: string }>; clearedBy: string | null }

describe.each([{ name: 'sqlite', postgres: false }, { name: 'postgres', postgres: true }])('alarms on $name', (t) => {
  const skip = t.postgres && !pgUp;
  let city: TestCity;
  let who: Who;
  const clock = new ManualClock(T0);

  const call = async (p: TestPrincipal | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await city.app.inject({ method, url, headers: p?.headers ?? {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.json() as AlarmW & { error?: { code: string; message: string }; items?: AlarmW[]; total?: number; [k: string]: unknown } };
  };
  const alarms = () => city.services.risk.alarms;
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await alarms().flush();
      await (city.kernel.bus as Bus & { drain(): Promise<void> }).drain();
    }
  };
  const signal = (p: Partial<AlarmSignal> = {}) => alarms().sink.signal({
    kind: 'raise', source: 'rule', ruleId: 'rule-test', ruleVersion: 1, sourceId: 's-water-1', severity: 'minor', at: clock.now(), value: 2.5,
    messageZh: '水位偏高', messageEn: 'Water level high', location: PIN, orgPath: '/c1/d1/s1/g1/', sensorClass: 'water_level', openEvent: null,
    department: 'SWJ', ...p,
  });
  const only = async (q: string) => {
    const r = await call(who.dispatcher, 'GET', `/api/v1/alarms?${q}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items!;
  };

  beforeAll(async () => {
    if (skip) return;
    city = await startTestCity({ postgres: t.postgres, clock });
    await city.start();
    who = await principalsFor(city);
    await city.services.auth.upsertOrgUnits([
      { id: 'c1', parentId: null, level: 'city', code: 'C1', nameZh: '城', nameEn: 'City', boundary: square(1, 42, 2, 43) },
      { id: 'd1', parentId: 'c1', level: 'district', code: 'D1', nameZh: '区', nameEn: 'District', boundary: square(1.5, 42.5, 1.6, 42.6) },
      { id: 's1', parentId: 'd1', level: 'street', code: 'S1', nameZh: '街一', nameEn: 'Street 1', boundary: square(1.5, 42.5, 1.55, 42.55) },
      { id: 's2', parentId: 'd1', level: 'street', code: 'S2', nameZh: '街二', nameEn: 'Street 2', boundary: square(1.55, 42.5, 1.6, 42.55) },
      { id: 'g1', parentId: 's1', level: 'grid', code: 'G1', nameZh: '格一', nameEn: 'Grid 1', boundary: square(1.5, 42.5, 1.53, 42.53) },
    ], 'test');
  }, 60_000);
  afterAll(async () => {
    await city?.destroy();
  });

  it.skipIf(skip)('raises one alarm per source and rule, counting repeats', async () => {
    signal();
    clock.advance(1000);
    signal({ value: 2.7 });
    await settle();
    const items = await only('sensorId=s-water-1');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ state: 'active_unack', severity: 'minor', count: 2, department: 'SWJ', version: 2 });
    const detail = await call(who.leader, 'GET', `/api/v1/alarms/${items[0]!.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: items[0]!.id, lastValue: 2.7, raisedAt: new Date(T0).toISOString() });
  });

  it.skipIf(skip)('acknowledges, refuses stale versions and double acknowledgement, keeps notes, clears', async () => {
    const [a] = await only('sensorId=s-water-1');
    const stale = await call(who.dispatcher, 'POST', `/api/v1/alarms/${a!.id}/ack`, { version: a!.version - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('VERSION_CONFLICT');
    const acked = await call(who.dispatcher, 'POST', `/api/v1/alarms/${a!.id}/ack`, { version: a!.version, note: 'seen, watching' });
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    expect(acked.body).toMatchObject({ state: 'active_ack', acknowledgedBy: who.dispatcher.id, version: a!.version + 1 });
    expect(acked.body.notes.map((n) => n.text)).toEqual(['seen, watching']);
    const again = await call(who.dispatcher, 'POST', `/api/v1/alarms/${a!.id}/ack`, { version: acked.body.version });
    expect(again.body.error?.code).toBe('ALARM_ALREADY_ACKNOWLEDGED');
    // two operators acting on the same version: the second one is told to reload
    const n1 = await call(who.admin, 'POST', `/api/v1/alarms/${a!.id}/notes`, { text: 'pump truck sent', version: acked.body.version });
    expect(n1.status).toBe(201);
    const n2 = await call(who.dispatcher, 'POST', `/api/v1/alarms/${a!.id}/notes`, { text: 'me too', version: acked.body.version });
    expect(n2.status).toBe(409);
    expect((await call(who.admin, 'POST', `/api/v1/alarms/${a!.id}/notes`, { text: '   ' })).body.error?.code).toBe('EMPTY_NOTE');
    // repeats while acknowledged keep counting on the same alarm
    signal();
    await settle();
    const cur = (await call(who.admin, 'GET', `/api/v1/alarms/${a!.id}`)).body;
    expect(cur).toMatchObject({ state: 'active_ack', count: 3 });
    const cleared = await call(who.admin, 'POST', `/api/v1/alarms/${a!.id}/clear`, { version: cur.version, note: 'water receded' });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ state: 'cleared', clearedBy: who.admin.id });
    expect((await call(who.admin, 'POST', `/api/v1/alarms/${a!.id}/clear`, { version: cleared.body.version })).body.error?.code).toBe('ALARM_ALREADY_CLEARED');
    const audit = await city.services.audit.list({ targetType: 'alarm', targetId: a!.id });
    expect(audit.map((e) => e.action)).toEqual(['alarm.ack', 'alarm.note', 'alarm.clear']);
    // the same source and rule again: a new alarm
    clock.advance(60_000);
    signal();
    await settle();
    const now = await only('sensorId=s-water-1&state=active_unack');
    expect(now).toHaveLength(1);
    expect(now[0]!.id).not.toBe(a!.id);
    expect(now[0]!.count).toBe(1);
  });

  it.skipIf(skip)('source clear first: cleared-unacknowledged, then acknowledging clears it', async () => {
    const [a] = await only('sensorId=s-water-1&state=active_unack');
    signal({ kind: 'clear' });
    await settle();
    const cu = (await call(who.dispatcher, 'GET', `/api/v1/alarms/${a!.id}`)).body;
    expect(cu).toMatchObject({ state: 'cleared_unack', clearedBy: 'source:rule' });
    const acked = await call(who.dispatcher, 'POST', `/api/v1/alarms/${a!.id}/ack`, { version: cu.version });
    expect(acked.body.state).toBe('cleared');
  });

  it.skipIf(skip)('lets handlers act on their own department\'s alarms only, leaders only read', async () => {
    signal({ sourceId: 's-cgj-1', department: 'CGJ' });
    signal({ sourceId: 's-swj-2', department: 'SWJ' });
    await settle();
    const own = (await only('sensorId=s-cgj-1'))[0]!;
    const other = (await only('sensorId=s-swj-2'))[0]!;
    const r1 = await call(who.handler, 'POST', `/api/v1/alarms/${other.id}/ack`, { version: other.version });
    expect(r1.status).toBe(403);
    expect(r1.body.error?.message).toContain('SWJ');
    expect((await call(who.handler, 'POST', `/api/v1/alarms/${own.id}/ack`, { version: own.version })).status).toBe(200);
    expect((await call(who.leader, 'POST', `/api/v1/alarms/${other.id}/ack`, { version: other.version })).status).toBe(403);
    expect((await call(who.citizen, 'GET', '/api/v1/alarms')).status).toBe(403);
  });

  it.skipIf(skip)('answers unknown alarms with 404 and bad filters with 400', async () => {
    const nf = await call(who.dispatcher, 'GET', '/api/v1/alarms/alm_nope');
    expect(nf.status).toBe(404);
    expect(nf.body.error?.code).toBe('ALARM_NOT_FOUND');
    expect((await call(who.dispatcher, 'POST', '/api/v1/alarms/alm_nope/ack', { version: 1 })).status).toBe(404);
    const bad = await call(who.dispatcher, 'GET', '/api/v1/alarms?state=burning');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toContain('active_unack');
    expect((await call(who.dispatcher, 'GET', '/api/v1/alarms?since=yesterday')).body.error?.code).toBe('BAD_TIME');
    expect((await call(who.dispatcher, 'GET', '/api/v1/alarms?orgUnitId=nowhere')).body.error?.code).toBe('UNKNOWN_ORG_UNIT');
    expect((await call(who.dispatcher, 'POST', '/api/v1/alarms/x/ack', {})).status).toBe(400);
  });

  it.skipIf(skip)('filters by area, severity and time, pages newest first, and sums up', async () => {
    clock.advance(60_000);
    const since = new Date(clock.now()).toISOString();
    signal({ sourceId: 's-other-street', orgPath: '/c1/d1/s2/', severity: 'major' });
    await settle();
    expect((await only('orgUnitId=s2')).map((a) => a.severity)).toEqual(['major']);
    expect((await only(`since=${since}`)).length).toBe(1);
    expect((await only('orgUnitId=d1&severity=major,minor')).length).toBeGreaterThanOrEqual(3);
    const p1 = await call(who.dispatcher, 'GET', '/api/v1/alarms?limit=2');
    const p2 = await call(who.dispatcher, 'GET', '/api/v1/alarms?limit=2&offset=2');
    expect(p1.body.items).toHaveLength(2);
    expect(p1.body.total).toBe(p2.body.total);
    expect(p1.body.items![0]!.id).toBe((await only(`since=${since}`))[0]!.id);
    expect(new Set([...p1.body.items!, ...p2.body.items!].map((a) => a.id)).size).toBe(p1.body.items!.length + p2.body.items!.length);
    const sum = await call(who.leader, 'GET', '/api/v1/alarms/summary');
    expect(sum.status).toBe(200);
    const s = sum.body as unknown as { byState: Record<'active_unack' | 'active_ack' | 'cleared', number>; activeBySeverity: Record<'major', number> };
    expect(s.activeBySeverity.major).toBe(1);
    expect(s.byState.active_unack + s.byState.active_ack).toBe(alarms().active().length);
    expect(s.byState.cleared).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(skip)('collapses a storm of alarms in one street into one incident', async () => {
    clock.advance(3_600_000);
    for (let i = 0; i < 6; i++) signal({ sourceId: `s-storm-${i}`, orgPath: `/c1/d1/s2/g${i}/`, ruleId: 'storm' });
    await settle();
    const inc = await call(who.dispatcher, 'GET', '/api/v1/alarm-incidents?open=true');
    expect(inc.body.items).toHaveLength(1);
    const incident = inc.body.items![0] as unknown as { id: string; members: number; activeMembers: number; orgPath: string };
    expect(incident).toMatchObject({ members: 6, activeMembers: 6, orgPath: '/c1/d1/s2/' });
    // the list shows the incident instead of its members; incidentId lists them
    const listed = await call(who.dispatcher, 'GET', '/api/v1/alarms?ruleId=storm');
    expect(listed.body.items).toEqual([]);
    expect((listed.body.incidents as Array<{ id: string }>).map((i) => i.id)).toEqual([incident.id]);
    expect((await only(`incidentId=${incident.id}`)).length).toBe(6);
    expect((await only('ruleId=storm&collapse=false')).length).toBe(6);
    // a new alarm in the street joins it
    signal({ sourceId: 's-storm-7', orgPath: '/c1/d1/s2/', ruleId: 'storm' });
    await settle();
    expect((await only('sensorId=s-storm-7&collapse=false'))[0]!.incidentId).toBe(incident.id);
    // one city event stands for the incident: the first severe member asks for it, the next ones are covered by it
    const openEvent = { minSeverity: 'major' as const, category: 'WATER_SUPPLY' };
    signal({ sourceId: 's-storm-8', orgPath: '/c1/d1/s2/', ruleId: 'storm', severity: 'critical', openEvent });
    await settle();
    signal({ sourceId: 's-storm-9', orgPath: '/c1/d1/s2/', ruleId: 'storm', severity: 'critical', openEvent });
    await settle();
    expect((await only('sensorId=s-storm-8&collapse=false'))[0]!.eventId).toBeTruthy();
    const covered = (await only('sensorId=s-storm-9&collapse=false'))[0]!;
    expect(covered.eventId).toBeNull();
    expect(covered.notes.map((x) => x.text).join()).toContain('Covered by the city event');
    // another street is not affected
    signal({ sourceId: 's-calm', orgPath: '/c1/d1/s1/g1/', ruleId: 'storm' });
    await settle();
    expect((await only('sensorId=s-calm'))[0]!.incidentId).toBeNull();
    // the incident closes with its last active member
    for (let i = 0; i < 6; i++) signal({ kind: 'clear', sourceId: `s-storm-${i}`, ruleId: 'storm' });
    for (const id of ['s-storm-7', 's-storm-8', 's-storm-9']) signal({ kind: 'clear', sourceId: id, ruleId: 'storm' });
    await settle();
    const closed = (await call(who.dispatcher, 'GET', '/api/v1/alarm-incidents')).body.items!.find((i) => i.id === incident.id) as unknown as { members: number; activeMembers: number; open: boolean };
    expect(closed).toMatchObject({ members: 9, activeMembers: 0, open: false });
  });

  it.skipIf(skip)('streams alarm changes to live clients', async () => {
    const res = await city.app.inject({ method: 'GET', url: `/api/v1/alarms/live?access_token=${who.dispatcher.headers.authorization!.slice(7)}`, payloadAsStream: true });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/event-stream');
    const stream = res.stream();
    let text = '';
    stream.on('data', (c: Buffer) => { text += c.toString('utf8'); });
    signal({ sourceId: 's-live', severity: 'warning', orgPath: null });
    await settle();
    await new Promise((r) => setImmediate(r));
    stream.destroy();
    expect(text).toContain('event: hello');
    expect(text).toMatch(/event: alarm\ndata: \{"type":"AlarmRaised"[^\n]*"sourceId":"s-live"/);
  });

  it.skipIf(skip)('opens one urgent city event for a severe alarm, and the event\'s closure clears the alarm', async () => {
    const openEvent = { minSeverity: 'major' as const, category: 'WATERLOGGING' };
    signal({ sourceId: 's-flood', ruleId: 'flood', severity: 'minor', openEvent });
    await settle();
    let a = (await only('sensorId=s-flood'))[0]!;
    expect(a.eventId).toBeNull();
    // escalates past the rule's minimum: the event is requested once
    signal({ sourceId: 's-flood', ruleId: 'flood', severity: 'critical', openEvent });
    signal({ sourceId: 's-flood', ruleId: 'flood', severity: 'critical', openEvent });
    await settle();
    a = (await call(who.dispatcher, 'GET', `/api/v1/alarms/${a.id}`)).body;
    expect(a.eventId).toBeTruthy();
    expect(a.notes.map((n) => n.text).join(' ')).toContain('opened');
    const admin = { kind: 'user' as const, id: who.admin.id, name: 'admin', roles: ['admin' as const] };
    const ev = (await city.services.events.get(a.eventId!, admin)).event;
    expect(ev).toMatchObject({ channel: 'alarm', urgent: true, category: 'WATERLOGGING', state: 'received' });
    // a redelivered request makes no second event
    await city.kernel.bus.publish('AlarmEventRequested', { alarmId: a.id, category: 'WATERLOGGING', urgent: true, text: ev.text, location: PIN });
    await settle();
    const fromAlarms = (await city.services.events.list({ limit: 100, offset: 0 }, admin)).items.filter((e) => e.channel === 'alarm' && e.category === 'WATERLOGGING');
    expect(fromAlarms.map((e) => e.id)).toEqual([ev.id]);
    // below the minimum severity: no event
    signal({ sourceId: 's-small', ruleId: 'flood', severity: 'minor', openEvent });
    await settle();
    expect((await only('sensorId=s-small'))[0]!.eventId).toBeNull();
    // the event goes through its lifecycle to closed
    const act = async (p: TestPrincipal, action: string, extra: Record<string, unknown> = {}) => {
      const cur = (await city.services.events.get(ev.id, admin)).event;
      const r = await call(p, 'POST', `/api/v1/events/${ev.id}/actions`, { action, expectedVersion: cur.version, ...extra });
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
    };
    await act(who.dispatcher, 'dispatch', { department: 'CGJ' });
    await act(who.handler, 'accept');
    await act(who.handler, 'report_result', { note: 'pumped out' });
    await act(who.dispatcher, 'close');
    await settle();
    a = (await call(who.dispatcher, 'GET', `/api/v1/alarms/${a.id}`)).body;
    expect(a).toMatchObject({ state: 'cleared', clearedBy: 'system:events' });
    expect(a.notes.at(-1)!.text).toContain('closed');
  });

  it.skipIf(skip)('maps the risk per area with reasons, and keeps snapshots for the time slider', async () => {
    clock.advance(3_600_000);
    signal({ sourceId: 's-map', ruleId: 'map', severity: 'critical', orgPath: '/c1/d1/s1/g1/' });
    await settle();
    const first = await city.services.risk.map.snapshot();
    expect(first.areas).toBeGreaterThan(0);
    const grid = await call(who.leader, 'GET', '/api/v1/risk/map?level=grid');
    expect(grid.status).toBe(200);
    const areas = grid.body.areas as Array<{ orgUnitId: string; value: number; reasons: Array<{ kind: string; ref: string }> }>;
    const g1 = areas.find((x) => x.orgUnitId === 'g1')!;
    expect(g1.value).toBeGreaterThan(0.8);
    const mapAlarm = (await only('sensorId=s-map'))[0]!;
    expect(g1.reasons.some((r) => r.kind === 'alarm' && r.ref === mapAlarm.id)).toBe(true);
    const district = (await call(who.dispatcher, 'GET', '/api/v1/risk/map?level=district')).body.areas as Array<{ orgUnitId: string; value: number }>;
    expect(district.map((x) => x.orgUnitId)).toEqual(['d1']);
    // the alarm clears; a minute later the map is calm, and the slider shows both
    const at1 = clock.now();
    signal({ kind: 'clear', sourceId: 's-map', ruleId: 'map' });
    await settle();
    for (const x of alarms().active()) await alarms().clear(x.id, x.version, { kind: 'user', id: who.admin.id, name: 'admin', roles: ['admin'] });
    clock.advance(60_000);
    // (the part's timer may have taken this one already: either way there is one now, and no second)
    await city.services.risk.map.snapshotIfDue();
    expect(await city.services.risk.map.snapshotIfDue()).toBe(false);
    const past = await call(who.leader, 'GET', `/api/v1/risk/map?level=grid&at=${new Date(at1 + 1000).toISOString()}`);
    expect((past.body.areas as Array<{ orgUnitId: string }>).some((x) => x.orgUnitId === 'g1')).toBe(true);
    expect((await call(who.leader, 'GET', '/api/v1/risk/map?level=grid')).body.areas).toEqual([]);
    const h = await call(who.leader, 'GET', `/api/v1/risk/history?orgUnitId=g1&from=${new Date(at1 - 1000).toISOString()}&to=${new Date(clock.now()).toISOString()}`);
    expect(h.status, JSON.stringify(h.body)).toBe(200);
    expect((h.body.points as Array<{ value: number }>).map((p) => p.value > 0)).toEqual([true, false]);
    expect((await call(who.leader, 'GET', '/api/v1/risk/history?orgUnitId=nowhere')).status).toBe(404);
    expect((await call(who.leader, 'GET', '/api/v1/risk/map?level=planet')).status).toBe(400);
    expect((await call(who.leader, 'GET', `/api/v1/risk/history?orgUnitId=g1&from=${new Date(clock.now()).toISOString()}&to=${new Date(at1).toISOString()}`)).body.error?.code).toBe('BAD_RANGE');
  });
});

describe('alarms across a restart (SQLite)', () => {
  it('restores the active index: a repeat after the restart counts on the same alarm, a clear clears it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-alarms-'));
    const sqlitePath = path.join(dir, 'city.db');
    const clock = new ManualClock(T0);
    const sig = (kind: 'raise' | 'clear', sourceId: string): AlarmSignal => ({
      kind, source: 'rule', ruleId: 'restart', ruleVersion: 1, sourceId, severity: 'major', at: clock.now(), value: 1, messageZh: '测试', messageEn: 'test',
      location: null, orgPath: '/c/d/s/', sensorClass: 'pipe', openEvent: null,
    });
    try {
      const a = await startTestCity({ clock, config: { sqlitePath } });
      await a.start();
      a.services.risk.alarms.sink.signal(sig('raise', 'p-1'));
      a.services.risk.alarms.sink.signal(sig('raise', 'p-2'));
      await a.services.risk.alarms.flush();
      const before = a.services.risk.alarms.active().map((x) => x.id).sort();
      expect(before).toHaveLength(2);
      await a.destroy();

      clock.advance(60_000);
      const b = await startTestCity({ clock, config: { sqlitePath } });
      await b.start();
      try {
        expect(b.services.risk.alarms.active().map((x) => x.id).sort()).toEqual(before);
        b.services.risk.alarms.sink.signal(sig('raise', 'p-1'));
        b.services.risk.alarms.sink.signal(sig('clear', 'p-2'));
        await b.services.risk.alarms.flush();
        const active = b.services.risk.alarms.active();
        expect(active).toHaveLength(1);
        expect(active[0]).toMatchObject({ sourceId: 'p-1', count: 2 });
        expect(before).toContain(active[0]!.id);
        const p2 = (await b.services.risk.alarms.list({ sensorId: 'p-2', limit: 10, offset: 0 })).items;
        expect(p2.map((x) => x.state)).toEqual(['cleared_unack']);
      } finally {
        await b.destroy();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
