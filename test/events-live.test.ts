/**
 * The live stream of city-event changes (GET /api/v1/events/live): each
 * principal gets frames for the events it may see — a dispatcher all of them,
 * a department's handler its own (and the transfer that takes one away), a
 * citizen only their own reports; ?access_token works; a lagging client gets
 * one `resync` instead of the frames it missed; stop closes every client.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventLive, type LiveSocket } from '../src/modules/events/live.js';
import type { CityEvent, EventChangedPayload } from '../src/modules/events/types.js';
import { createMemoryBus } from '../src/platform/bus/memory.js';
import { ManualClock } from '../src/platform/clock.js';
import { principalsFor } from './helpers/auth.js';
import { startTestCity, type TestCity } from './helpers/city.js';

/** Event-loop turns (no timers): the stream's lookups are a few awaits away. */
async function until(cond: () => boolean, turns = 500): Promise<void> {
  for (let i = 0; i < turns && !cond(); i++) await new Promise((r) => setImmediate(r));
}

interface Frame { eventId: string; state: string; leadDepartment: string | null; orgPath: string | null; version: number; action: string }
const framesOf = (text: string): Frame[] => [...text.matchAll(/event: event\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!) as Frame);

describe('GET /api/v1/events/live', () => {
  let city: TestCity;
  let who: Awaited<ReturnType<typeof principalsFor>>;
  const streams: Array<{ destroy(): void }> = [];
  const token = (role: keyof typeof who) => who[role].headers.authorization!.slice(7);

  /** Open the stream for a role (token in the query, as a browser's EventSource does) and collect what arrives. */
  async function listen(role: 'dispatcher' | 'handler' | 'citizen' | 'leader') {
    const res = await city.app.inject({ method: 'GET', url: `/api/v1/events/live?access_token=${token(role)}`, payloadAsStream: true });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/event-stream');
    const stream = res.stream();
    streams.push(stream);
    const got = { text: '' };
    stream.on('data', (c: Buffer) => { got.text += c.toString('utf8'); });
    return got;
  }
  const post = async (role: keyof typeof who, url: string, payload: object) => {
    const res = await city.app.inject({ method: 'POST', url, headers: who[role].headers, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as { id: string; version: number; leadDepartment: string | null };
  };

  beforeAll(async () => {
    city = await startTestCity();
    await city.start();
    who = await principalsFor(city);
  });
  afterAll(async () => {
    for (const s of streams) s.destroy();
    if (!destroyed) await city?.destroy();
  });
  let destroyed = false;

  it('refuses callers without a session, and a bad query token', async () => {
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/events/live' })).statusCode).toBe(401);
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/events/live?access_token=nonsense' })).statusCode).toBe(401);
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/events/live', headers: who.device.headers })).statusCode).toBe(403);
  });

  it('sends each role the changes it may see, and nothing else', async () => {
    const dispatcher = await listen('dispatcher');
    const handler = await listen('handler'); // department CGJ
    const citizen = await listen('citizen');
    await until(() => [dispatcher, handler, citizen].every((g) => g.text.includes('event: hello')));

    // The citizen's report goes to CGJ; the dispatcher's hotline report to SWJ.
    const mine = await post('citizen', '/api/v1/events', { text: 'Manhole cover missing outside no. 5', category: 'MANHOLE', address: 'No. 5 Main St' });
    const other = await post('dispatcher', '/api/v1/events', { text: 'Water main burst on the corner', category: 'WATER_SUPPLY', address: 'Corner of 2nd Av' });
    expect(mine.leadDepartment).toBe('CGJ');
    await until(() => framesOf(dispatcher.text).length >= 2 && framesOf(citizen.text).length >= 1 && framesOf(handler.text).length >= 1);

    const d1 = await post('dispatcher', `/api/v1/events/${mine.id}/actions`, { action: 'dispatch', expectedVersion: mine.version });
    // Transferred away from CGJ: its handlers hear of it once (their inbox drops it), then no more.
    const d2 = await post('dispatcher', `/api/v1/events/${mine.id}/actions`, { action: 'transfer', expectedVersion: d1.version, department: 'ZJJ', reason: 'road surface, not the cover' });
    await post('dispatcher', `/api/v1/events/${mine.id}/actions`, { action: 'escalate', expectedVersion: d2.version, reason: 'test' });
    await post('dispatcher', `/api/v1/events/${other.id}/actions`, { action: 'dispatch', expectedVersion: other.version });
    await until(() => framesOf(dispatcher.text).length >= 6 && framesOf(citizen.text).length >= 4);
    await until(() => false, 50); // let any wrongly addressed frame arrive before asserting its absence

    const d = framesOf(dispatcher.text);
    expect(d.map((f) => `${f.eventId === mine.id ? 'mine' : 'other'}:${f.action}`)).toEqual([
      'mine:receive', 'other:receive', 'mine:dispatch', 'mine:transfer', 'mine:escalate', 'other:dispatch',
    ]);
    expect(d[3]).toMatchObject({ eventId: mine.id, state: 'dispatched', leadDepartment: 'ZJJ', version: mine.version + 2 });
    expect(Object.keys(d[0]!).sort()).toEqual(['action', 'eventId', 'leadDepartment', 'orgPath', 'state', 'version']);

    // The citizen: only their own report (its every change), never the other one.
    expect(framesOf(citizen.text).map((f) => `${f.eventId === mine.id ? 'mine' : 'other'}:${f.action}`)).toEqual(['mine:receive', 'mine:dispatch', 'mine:transfer', 'mine:escalate']);
    // The CGJ handler: the report while CGJ led it, the transfer that took it away, nothing after and nothing of SWJ's.
    expect(framesOf(handler.text).map((f) => `${f.eventId === mine.id ? 'mine' : 'other'}:${f.action}`)).toEqual(['mine:receive', 'mine:dispatch', 'mine:transfer']);
  });

  it('ends open streams when the server stops (over a real socket)', async () => {
    const base = await city.listen();
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${base}/api/v1/events/live?access_token=${token('leader')}`, resolve).on('error', reject);
    });
    expect(res.statusCode).toBe(200);
    const ended = new Promise<void>((resolve) => res.on('close', () => resolve()));
    res.resume();
    destroyed = true;
    await city.destroy(); // would wait for the open stream for ever without the shutdown hook
    await ended;
  });
});

/** A socket whose buffer the test fills and drains by hand. */
class FakeSocket extends EventEmitter implements LiveSocket {
  writableLength = 0;
  text = '';
  ended = false;
  destroyed = false;
  write(chunk: string) { this.text += chunk; return true; }
  end() { this.ended = true; }
  destroy() { this.destroyed = true; }
}

describe('event live hub', () => {
  const ev = (id: string, lead: string): CityEvent => ({ id, leadDepartment: lead, cohandlers: [], reporterId: 'someone', orgPath: '/c/d/' } as unknown as CityEvent);
  const change = (eventId: string, version: number): EventChangedPayload => ({ eventId, trackingCode: 'X', action: 'accept', fromState: 'dispatched', state: 'in_progress', category: 'MANHOLE', leadDepartment: 'CGJ', orgUnitId: null, escalationLevel: 0, version });

  it('skips a lagging client, sends it one resync once it drains, and closes clients on stop', async () => {
    const clock = new ManualClock(0);
    const bus = createMemoryBus({ clock });
    const store = { get: async (id: string) => ev(id, 'CGJ') };
    const live = createEventLive({ bus, clock, store }, { maxBufferedBytes: 1000 });
    await live.start();
    const fast = new FakeSocket();
    const slow = new FakeSocket();
    live.add(fast, { id: 'h1', roles: ['handler'], department: 'CGJ', orgPath: null });
    live.add(slow, { id: 'h2', roles: ['handler'], department: 'CGJ', orgPath: null });
    const outsider = new FakeSocket();
    live.add(outsider, { id: 'h3', roles: ['handler'], department: 'SWJ', orgPath: null });

    slow.writableLength = 5000; // the slow reader's socket is backed up
    for (let v = 2; v <= 4; v++) {
      await bus.publish('EventAccepted', change('evt_a', v));
      await bus.drain();
      await live.settled();
    }
    expect(framesOf(fast.text).map((f) => f.version)).toEqual([2, 3, 4]);
    expect(framesOf(slow.text)).toEqual([]);
    expect(framesOf(outsider.text)).toEqual([]);

    slow.writableLength = 0;
    slow.emit('drain');
    expect(slow.text).toContain('event: resync\ndata: {"dropped":3}');
    await bus.publish('EventAccepted', change('evt_a', 5));
    await bus.drain();
    await live.settled();
    expect(framesOf(slow.text).map((f) => f.version)).toEqual([5]);
    expect(live.stats()).toMatchObject({ clients: 3, resyncs: 1 });

    await live.stop();
    expect([fast.ended, slow.ended, outsider.ended]).toEqual([true, true, true]);
    await bus.close();
  });
});
