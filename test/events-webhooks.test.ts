/**
 * Outgoing webhooks of city events, end to end on SQLite and PostgreSQL: a
 * real local HTTP receiver gets signed deliveries of state changes, retries
 * follow the backoff schedule on the manual clock, filters and deletion hold,
 * and a started city delivers through its own worker.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.js';
import type { Bus } from '../src/platform/bus/types.js';
import { serviceAvailable, TEST_PG_URL } from '../src/platform/testing/services.js';
import { createWebhooks, verifyWebhookSignature } from '../src/modules/events/webhooks/index.js';
import { principalsFor, type TestPrincipal } from './helpers/auth.js';
import { startTestCity, type TestCity } from './helpers/city.js';
import { seedCityAndDistrict } from './helpers/org.js';

const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
const PIN = { type: 'Point', coordinates: [1.52, 42.51] };

interface Hit { path: string; headers: http.IncomingHttpHeaders; body: string }

/** A webhook receiver on a free local port: answers each path with the queued statuses, then 200. */
async function startReceiver() {
  const hits: Hit[] = [];
  const plan = new Map<string, number[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      hits.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = plan.get(path)?.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    hits,
    on: (path: string) => hits.filter((h) => h.path === path),
    answer: (path: string, statuses: number[]) => plan.set(path, statuses),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function setupOrg(city: TestCity) {
  await seedCityAndDistrict(city);
}

describe.each([{ name: 'sqlite', postgres: false }, { name: 'postgres', postgres: true }])('event webhooks on $name', (t) => {
  const skip = t.postgres && !pgUp;
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 8));
  let city: TestCity;
  let who: Awaited<ReturnType<typeof principalsFor>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  // The city is not started: this instance owns the subscriptions and has no timer, so the test drives deliverDue().
  let hooks: ReturnType<typeof createWebhooks>;

  const call = async (p: TestPrincipal, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => {
    const res = await city.app.inject({ method, url, headers: p.headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: (res.body ? res.json() : null) as Record<string, unknown> & { error?: { code: string }; items?: Array<Record<string, unknown>> } };
  };
  const register = async (path: string, events?: string[]) => {
    const r = await call(who.admin, 'POST', '/api/v1/webhooks', { url: receiver.base + path, ...(events ? { events } : {}) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; secret: string };
  };
  const drain = () => (city.kernel.bus as Bus & { drain(): Promise<void> }).drain();
  const report = async () => {
    const r = await call(who.citizen, 'POST', '/api/v1/events', { text: '人民路上井盖没了，晚上很危险', category: 'MANHOLE', location: PIN });
    expect(r.status).toBe(201);
    await drain();
    return r.body as { id: string; version: number };
  };
  const deliveries = async (id: string) => (await call(who.admin, 'GET', `/api/v1/webhooks/${id}/deliveries`)).body.items!;

  beforeAll(async () => {
    if (skip) return;
    city = await startTestCity({ postgres: t.postgres, clock });
    who = await principalsFor(city);
    await setupOrg(city);
    receiver = await startReceiver();
    hooks = createWebhooks({ ...city.kernel, audit: city.services.audit, workerEveryMs: null });
    await hooks.start();
  });
  afterAll(async () => {
    if (skip) return;
    await hooks.stop();
    await receiver.close();
    await city.destroy();
  });

  it.skipIf(skip)('delivers a citizen report as a signed EventReceived that verifies with the secret, once', async () => {
    const hook = await register('/all');
    expect(hook.secret).toMatch(/^whsec_/);
    const listed = (await call(who.admin, 'GET', '/api/v1/webhooks')).body.items!;
    expect(listed.find((w) => w.id === hook.id)).toMatchObject({ url: `${receiver.base}/all`, events: [], active: true });
    expect(JSON.stringify(listed)).not.toContain(hook.secret);

    const ev = await report();
    expect(receiver.on('/all')).toHaveLength(0);
    await hooks.hooks.deliverDue();
    const [hit] = receiver.on('/all');
    expect(hit).toBeDefined();
    const ts = String(hit!.headers['x-cityops-timestamp']);
    expect(ts).toBe(String(Math.floor(clock.now() / 1000)));
    expect(hit!.headers['x-cityops-event']).toBe('EventReceived');
    expect(hit!.headers['content-type']).toBe('application/json');
    const sig = String(hit!.headers['x-cityops-signature']);
    expect(verifyWebhookSignature(hook.secret, ts, hit!.body, sig)).toBe(true);
    expect(verifyWebhookSignature('whsec_wrong', ts, hit!.body, sig)).toBe(false);
    const body = JSON.parse(hit!.body) as { id: string; type: string; at: string; data: { eventId: string; state: string } };
    expect([body.type, body.data.eventId, body.data.state, body.at]).toEqual(['EventReceived', ev.id, 'received', new Date(clock.now()).toISOString()]);

    const ds = await deliveries(hook.id);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ id: hit!.headers['x-cityops-delivery'], envelopeId: body.id, status: 'delivered', attempt: 1, lastStatusCode: 200 });

    // A redelivered bus event (same envelope id) makes no second delivery.
    await hooks.hooks.onEvent({ id: body.id, type: 'EventReceived', at: clock.now(), payload: body.data as never });
    expect(await deliveries(hook.id)).toHaveLength(1);
    expect((await city.services.audit.list({ targetType: 'webhook', targetId: hook.id })).map((a) => a.action)).toEqual(['webhook.create']);
    await call(who.admin, 'DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  it.skipIf(skip)('retries a failing receiver after 10 s and 30 s, then marks it delivered', async () => {
    const hook = await register('/flaky', ['EventReceived']);
    receiver.answer('/flaky', [500, 500]);
    const t0 = clock.now();
    await report();
    await hooks.hooks.deliverDue();
    expect(receiver.on('/flaky')).toHaveLength(1);
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'pending', attempt: 1, lastStatusCode: 500, lastError: 'HTTP 500', nextAttemptAt: new Date(t0 + 10_000).toISOString() });

    clock.advance(9_999);
    await hooks.hooks.deliverDue();
    expect(receiver.on('/flaky')).toHaveLength(1);
    clock.advance(1);
    await hooks.hooks.deliverDue();
    expect(receiver.on('/flaky')).toHaveLength(2);
    clock.advance(29_999);
    await hooks.hooks.deliverDue();
    expect(receiver.on('/flaky')).toHaveLength(2);
    clock.advance(1);
    await hooks.hooks.deliverDue();

    const hits = receiver.on('/flaky');
    expect(hits.map((h) => Number(h.headers['x-cityops-timestamp']) * 1000 - Math.floor(t0 / 1000) * 1000)).toEqual([0, 10_000, 40_000]);
    expect(new Set(hits.map((h) => h.headers['x-cityops-delivery'])).size).toBe(1);
    expect(new Set(hits.map((h) => (JSON.parse(h.body) as { id: string }).id)).size).toBe(1);
    for (const h of hits) expect(verifyWebhookSignature(hook.secret, String(h.headers['x-cityops-timestamp']), h.body, String(h.headers['x-cityops-signature']))).toBe(true);
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'delivered', attempt: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    await call(who.admin, 'DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  it.skipIf(skip)('gives up after 8 attempts at a receiver that always fails', async () => {
    const hook = await register('/down', ['EventReceived']);
    receiver.answer('/down', Array<number>(20).fill(503));
    await report();
    for (const wait of [0, 10_000, 30_000, 120_000, 600_000, 3_600_000, 3_600_000, 3_600_000, 3_600_000]) {
      clock.advance(wait);
      await hooks.hooks.deliverDue();
    }
    expect(receiver.on('/down')).toHaveLength(8);
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'failed', attempt: 8, lastStatusCode: 503 });
    await call(who.admin, 'DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  it.skipIf(skip)('sends only the event types a webhook asked for', async () => {
    const hook = await register('/dispatch-only', ['EventDispatched']);
    const ev = await report();
    await hooks.hooks.deliverDue();
    expect(receiver.on('/dispatch-only')).toHaveLength(0);
    const r = await call(who.dispatcher, 'POST', `/api/v1/events/${ev.id}/actions`, { action: 'dispatch', expectedVersion: ev.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await drain();
    await hooks.hooks.deliverDue();
    expect(receiver.on('/dispatch-only').map((h) => h.headers['x-cityops-event'])).toEqual(['EventDispatched']);
    await call(who.admin, 'DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  it.skipIf(skip)('sends nothing more to a deleted webhook, pending deliveries included', async () => {
    const hook = await register('/gone');
    await report();
    expect(await deliveries(hook.id)).toHaveLength(1);
    expect((await call(who.admin, 'DELETE', `/api/v1/webhooks/${hook.id}`)).status).toBe(204);
    await hooks.hooks.deliverDue();
    await report();
    await hooks.hooks.deliverDue();
    expect(receiver.on('/gone')).toHaveLength(0);
    expect((await call(who.admin, 'GET', `/api/v1/webhooks/${hook.id}/deliveries`)).body.error?.code).toBe('WEBHOOK_NOT_FOUND');
    expect((await call(who.admin, 'DELETE', `/api/v1/webhooks/${hook.id}`)).status).toBe(404);
    expect((await city.services.audit.list({ targetType: 'webhook', targetId: hook.id })).map((a) => a.action)).toEqual(['webhook.create', 'webhook.delete']);
  });

  it.skipIf(skip)('answers bad registrations with 400 and non-admins with 403, storing nothing', async () => {
    const before = (await call(who.admin, 'GET', '/api/v1/webhooks')).body.items!.length;
    const cases: Array<[unknown, string]> = [
      [{}, 'BAD_URL'], [{ url: 'ftp://example.org/x' }, 'BAD_URL'], [{ url: 'javascript:alert(1)' }, 'BAD_URL'], [{ url: 42 }, 'BAD_URL'],
      [{ url: `${receiver.base}/x`, events: ['Nope'] }, 'UNKNOWN_EVENT_TYPE'], [{ url: `${receiver.base}/x`, events: 'EventReceived' }, 'UNKNOWN_EVENT_TYPE'],
      [{ url: `${receiver.base}/x`, events: ['ReadingsIngested'] }, 'UNKNOWN_EVENT_TYPE'],
    ];
    for (const [payload, code] of cases) {
      const r = await call(who.admin, 'POST', '/api/v1/webhooks', payload);
      expect([r.status, r.body.error?.code], JSON.stringify(payload)).toEqual([400, code]);
    }
    expect((await call(who.dispatcher, 'POST', '/api/v1/webhooks', { url: `${receiver.base}/x` })).status).toBe(403);
    expect((await call(who.admin, 'GET', '/api/v1/webhooks')).body.items!).toHaveLength(before);
  });
});

describe('event webhooks in a started city', () => {
  let city: TestCity;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    city = await startTestCity();
    await city.start();
    await setupOrg(city);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await city.destroy();
    await receiver.close();
  });

  it('delivers through the module\'s own subscription and worker', async () => {
    const who = await principalsFor(city);
    const created = await city.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: who.admin.headers, payload: { url: `${receiver.base}/live`, events: ['EventReceived'] } });
    expect(created.statusCode).toBe(201);
    const { secret } = created.json() as { secret: string };
    const r = await city.app.inject({ method: 'POST', url: '/api/v1/events', headers: who.citizen.headers, payload: { text: '路灯不亮了', category: 'MANHOLE', location: PIN } });
    expect(r.statusCode).toBe(201);
    await expect.poll(() => receiver.on('/live').length, { timeout: 5_000, interval: 50 }).toBe(1);
    const [hit] = receiver.on('/live');
    expect(verifyWebhookSignature(secret, String(hit!.headers['x-cityops-timestamp']), hit!.body, String(hit!.headers['x-cityops-signature']))).toBe(true);
  });
});
