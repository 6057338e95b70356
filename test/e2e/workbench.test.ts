/**
 * Browser test of the workbench and the grid worker view in the demo city:
 * a citizen's report is dispatched by the dispatcher in the workbench,
 * accepted and answered with a photo by the department's handler, rated by
 * the citizen, and closed by the dispatcher (after a stale-version 409 and a
 * reload). On the way the dispatcher corrects only the category, the open
 * event and the queues refresh by themselves from the live event stream, and
 * an alarm is acknowledged and cleared with notes. Then a grid worker on a phone-sized screen reports a patrol
 * finding with a photo and their location and finds it among their tasks.
 * SCREENSHOTS=1 writes docs/screenshots/workbench-zh.png, workbench-en.png, grid-worker-zh.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { browserAvailable } from '../../src/platform/testing/services.js';
import type { TestCity } from '../helpers/city.js';
import { startBrowserCity, launchChromium } from '../helpers/browser.js';

const haveBrowser = await browserAvailable();
const shots = process.env.SCREENSHOTS === '1';
const SHOT_DIR = path.resolve('docs/screenshots');

/** A real (viewable) PNG: a w×h picture of diagonal stripes, built with zlib. */
function stripesPng(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = ~0;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (~c) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const on = ((x + y) >> 3) % 2 === 0;
      raw.set(on ? [90, 90, 96] : [200, 170, 60], y * (w * 3 + 1) + 1 + x * 3);
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

interface EventJson { id: string; trackingCode: string; state: string; version: number; channel: string; orgUnitId: string | null }

describe.skipIf(!haveBrowser)('workbench and grid worker view in a real browser', () => {
  let city: TestCity;
  let base: string;
  let browser: Browser;
  let gridPoint: [number, number];
  const photo = stripesPng(160, 120);

  async function call<T>(method: string, url: string, token: string | null, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${url}`, {
      method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  const tokenOf = async (username: string, password: string) => (await call<{ token: string }>('POST', '/api/v1/auth/login', null, { username, password })).token;

  async function signIn(ctx: BrowserContext, username: string, password: string): Promise<Page> {
    const page = await ctx.newPage();
    // A rebuild of web/dist while the test runs removes the chunks the page asks for: say so instead of a bare timeout.
    page.on('response', (r) => {
      if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/api/')) console.warn(`${r.status()} for ${r.url()}: was web/dist rebuilt during the test?`);
    });
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  }

  const stateOf = (page: Page) => page.getByTestId('event-detail').getByTestId('event-state').getAttribute('data-state');

  async function act(page: Page, action: string, fill?: (dialog: ReturnType<Page['getByTestId']>) => Promise<void>) {
    await page.getByTestId(`action-${action}`).click();
    const dialog = page.getByTestId('action-dialog');
    await dialog.waitFor();
    if (fill) await fill(dialog);
    await dialog.getByTestId('action-submit').click();
  }

  /** Submit and wait for the dialog to go; a server refusal fails the test with the message the user saw. */
  async function actOk(page: Page, action: string, fill?: (dialog: ReturnType<Page['getByTestId']>) => Promise<void>) {
    await act(page, action, fill);
    const dialog = page.getByTestId('action-dialog');
    const error = page.getByTestId('action-error');
    try {
      await Promise.race([dialog.waitFor({ state: 'detached', timeout: 15_000 }), error.waitFor({ timeout: 15_000 })]);
    } catch (err) {
      await page.screenshot({ path: `/tmp/wb-fail-${action}.png` });
      throw new Error(`${action}: the dialog neither closed nor showed an error (${String(err)})`);
    }
    if (await error.count()) throw new Error(`${action} was refused: ${await error.textContent()}`);
  }

  beforeAll(async () => {
    ({ city, base } = await startBrowserCity({ simRate: 0 }));
    // A point inside the grid worker's grid (checked with the server's own locate).
    const gw = await tokenOf('gridworker', 'demo-grid-worker-2026');
    const me = await call<{ orgUnitId: string }>('GET', '/api/v1/auth/me', gw);
    const unit = await call<{ boundary: { type: string; coordinates: number[][][] | number[][][][] } }>('GET', `/api/v1/org/units/${me.orgUnitId}`, gw);
    const ring = (unit.boundary.type === 'Polygon' ? unit.boundary.coordinates[0] : (unit.boundary.coordinates as number[][][][])[0]![0]) as number[][];
    gridPoint = [ring.reduce((s, p) => s + p[0]!, 0) / ring.length, ring.reduce((s, p) => s + p[1]!, 0) / ring.length];
    const located = await call<{ unit: { id: string } | null }>('GET', `/api/v1/org/locate?lon=${gridPoint[0]}&lat=${gridPoint[1]}`, gw);
    expect(located.unit?.id).toBe(me.orgUnitId);
    browser = await launchChromium();
    if (shots) fs.mkdirSync(SHOT_DIR, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await city?.destroy();
  });

  it('takes a citizen report through dispatch, handling with a photo, rating and closing', async () => {
    // The citizen reports (API; the portal has its own test) a missing manhole cover with its category, so no auto-dispatch.
    const citizen = await tokenOf('citizen', 'demo-citizen-2026');
    const reported = await call<EventJson>('POST', '/api/v1/events', citizen, {
      text: '人行道上的井盖不见了，晚上很危险', category: 'MANHOLE', channel: 'app', location: { type: 'Point', coordinates: gridPoint },
    });
    expect(reported.state).toBe('received');
    const up = await fetch(`${base}/api/v1/events/${reported.id}/photos?stage=report`, { method: 'POST', headers: { authorization: `Bearer ${citizen}`, 'content-type': 'image/png' }, body: new Uint8Array(photo) });
    expect(up.status).toBe(201);
    // A few more reports, so the queues look like a working day.
    const more: Array<[string, string]> = [['楼下烧烤店油烟很大，熏得没法开窗', 'AIR_POLLUTION'], ['路口积水很深，车辆无法通行', 'WATERLOGGING'], ['垃圾桶满了好几天没人清运', 'GARBAGE']];
    for (const [text, category] of more) {
      await call('POST', '/api/v1/events', citizen, { text, category, channel: 'app', location: { type: 'Point', coordinates: gridPoint } });
    }

    // The dispatcher finds it in the dispatch queue and dispatches it to the routed department (城管 CGJ).
    const dCtx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const dispatcher = await signIn(dCtx, 'dispatcher', 'demo-dispatcher-2026');
    await dispatcher.goto(`${base}/workbench`);
    await dispatcher.getByTestId('tab-dispatch').click();
    const row = dispatcher.locator(`[data-testid="event-row"][data-code="${reported.trackingCode}"]`);
    await row.getByTestId('event-open').click();
    await expect.poll(() => stateOf(dispatcher), { timeout: 10_000 }).toBe('received');
    expect(await dispatcher.getByTestId('event-text').textContent()).toContain('井盖');
    await dispatcher.getByTestId('place-map').locator('path').first().waitFor();
    // Only what a dispatcher may do on a received event is offered.
    expect(await dispatcher.getByTestId('action-accept').count()).toBe(0);
    await actOk(dispatcher, 'dispatch', async (d) => {
      expect(await d.getByTestId('action-department').textContent()).toContain('城市管理局');
    });
    await expect.poll(() => stateOf(dispatcher), { timeout: 10_000 }).toBe('dispatched');
    expect(await dispatcher.getByTestId('event-department').textContent()).toContain('城市管理局');
    await dispatcher.getByTestId('timeline-entry').filter({ hasText: '派单' }).first().waitFor();
    await expect.poll(() => dispatcher.getByTestId('live-indicator').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');

    // The department is right but the category is not: the dispatcher corrects only the category.
    await dispatcher.getByTestId('action-recategorise').click();
    const recat = dispatcher.getByTestId('recategorise-dialog');
    await recat.waitFor();
    await recat.getByTestId('recategorise-category').click();
    await dispatcher.keyboard.type('STREETLIGHT');
    await dispatcher.locator('.ant-select-item-option').filter({ hasText: '(STREETLIGHT)' }).click();
    await recat.getByTestId('recategorise-reason').fill('是路灯灯杆底座的井盖');
    await recat.getByTestId('recategorise-submit').click();
    await recat.waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => dispatcher.getByTestId('event-category').textContent(), { timeout: 10_000 }).toContain('路灯故障');
    expect(await dispatcher.getByTestId('event-department').textContent()).toContain('城市管理局');
    await dispatcher.locator('[data-testid="timeline-entry"][data-action="recategorise"]').waitFor();

    // The handler of 城管 accepts it from the department inbox and reports the result with a photo.
    const hCtx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const handler = await signIn(hCtx, 'handler.cgj', 'demo-handler-2026');
    expect(new URL(handler.url()).pathname).toBe('/workbench');
    await handler.getByTestId('tab-inbox').click();
    await handler.locator(`[data-testid="event-row"][data-code="${reported.trackingCode}"]`).getByTestId('event-open').click();
    await expect.poll(() => stateOf(handler), { timeout: 10_000 }).toBe('dispatched');
    expect(await handler.getByTestId('action-dispatch').count()).toBe(0);
    await actOk(handler, 'accept');
    await expect.poll(() => stateOf(handler), { timeout: 10_000 }).toBe('in_progress');
    await actOk(handler, 'report_result', async (d) => {
      await d.getByTestId('action-note').fill('已补装新井盖并设置警示');
      await d.getByTestId('action-photos').setInputFiles({ name: 'result.png', mimeType: 'image/png', buffer: photo });
    });
    await expect.poll(() => stateOf(handler), { timeout: 10_000 }).toBe('result_reported');
    await handler.locator('[data-testid="event-photo"][data-stage="result"] img').waitFor({ timeout: 10_000 });

    // The dispatcher's open event follows by itself (live stream, no reload)…
    await expect.poll(() => stateOf(dispatcher), { timeout: 10_000 }).toBe('result_reported');

    // …and opens the close dialog while the citizen rates it (API).
    await dispatcher.getByTestId('action-close').click();
    await dispatcher.getByTestId('action-dialog').waitFor();
    const seen = await call<EventJson>('GET', `/api/v1/events/${reported.id}`, citizen);
    expect(seen.state).toBe('result_reported');
    await call('POST', `/api/v1/events/${reported.id}/actions`, citizen, { action: 'rate', expectedVersion: seen.version, rating: 5, comment: '很快' });

    // The dialog keeps the version it was opened on: closing answers 409, shown with a reload; after it the close goes through.
    await dispatcher.getByTestId('action-dialog').getByTestId('action-submit').click();
    const err = dispatcher.getByTestId('action-error');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/version|changed|版本/i);
    await err.getByTestId('action-reload').click();
    await expect.poll(() => stateOf(dispatcher), { timeout: 10_000 }).toBe('rated');
    expect(await dispatcher.getByTestId('event-rating').textContent()).toContain('5');
    await actOk(dispatcher, 'close');
    await expect.poll(() => stateOf(dispatcher), { timeout: 10_000 }).toBe('closed');
    expect(await dispatcher.locator('[data-testid="event-photo"][data-stage="result"]').count()).toBe(1);
    expect(await dispatcher.locator('[data-testid="event-photo"][data-stage="report"]').count()).toBe(1);
    if (shots) await dispatcher.screenshot({ path: path.join(SHOT_DIR, 'workbench-zh.png') });

    // The same in English, and the alarm list answers (or says the risk service is not there yet).
    await dispatcher.getByTestId('lang-switch').getByText('English').click();
    await dispatcher.getByText('Event workbench').waitFor();
    expect(await dispatcher.getByTestId('event-detail').getByTestId('event-state').textContent()).toBe('Closed');
    if (shots) await dispatcher.screenshot({ path: path.join(SHOT_DIR, 'workbench-en.png') });

    // A new report shows up in the dispatch queue without a refresh (live stream).
    await dispatcher.getByTestId('tab-dispatch').click();
    await dispatcher.getByTestId('event-row').first().waitFor(); // the queue has loaded: what comes next arrives live
    const fresh = await call<EventJson>('POST', '/api/v1/events', citizen, { text: '小区门口路灯不亮', category: 'STREETLIGHT', channel: 'app', location: { type: 'Point', coordinates: gridPoint } });
    await dispatcher.locator(`[data-testid="event-row"][data-code="${fresh.trackingCode}"]`).waitFor({ timeout: 10_000 });

    // An alarm is acknowledged, then cleared, each with a note.
    const risk = city.services.risk.alarms;
    risk.sink.signal({
      kind: 'raise', source: 'rule', ruleId: 'rule-e2e', ruleVersion: 1, sourceId: 's-e2e-water', severity: 'major', at: Date.now(), value: 2.9,
      messageZh: '水位偏高（测试）', messageEn: 'Water level high (test)', location: null, orgPath: null, sensorClass: 'water_level', openEvent: null, department: 'SWJ',
    });
    await risk.flush();
    const dToken = await tokenOf('dispatcher', 'demo-dispatcher-2026');
    const alarm = (await call<{ items: Array<{ id: string }> }>('GET', '/api/v1/alarms?sensorId=s-e2e-water', dToken)).items[0]!;
    await dispatcher.getByTestId('tab-alarms').click();
    for (const [what, note, state] of [['ack', 'Crew on the way', 'active_ack'], ['clear', 'Pump restarted, level normal', 'cleared']] as const) {
      await dispatcher.getByTestId(`alarm-${what}-${alarm.id}`).click();
      const dialog = dispatcher.getByTestId('alarm-dialog');
      await dialog.getByTestId('alarm-note').fill(note);
      await dialog.getByTestId('alarm-confirm').click();
      await dialog.waitFor({ state: 'detached', timeout: 10_000 });
      const now = await call<{ state: string; notes: Array<{ text: string }> }>('GET', `/api/v1/alarms/${alarm.id}`, dToken);
      expect(now.state).toBe(state);
      expect(now.notes.map((n) => n.text).join(' | ')).toContain(note);
    }

    const final = await call<EventJson & { rating: number }>('GET', `/api/v1/events/${reported.id}`, citizen);
    expect(final.state).toBe('closed');
    expect(final.rating).toBe(5);
    await dCtx.close();
    await hCtx.close();
  }, 90_000);

  it('lets a grid worker on a phone report a patrol finding with a photo and their location, then see it in their tasks', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
      geolocation: { longitude: gridPoint[0], latitude: gridPoint[1], accuracy: 8 }, permissions: ['geolocation'],
    });
    const page = await signIn(ctx, 'gridworker', 'demo-grid-worker-2026');
    expect(new URL(page.url()).pathname).toBe('/grid');
    await page.getByTestId('grid-view-switch').getByText('巡查上报').click();
    await page.getByTestId('patrol-text').fill('小区门口路灯不亮，已经两天了');
    await page.getByTestId('patrol-photo').setInputFiles({ name: 'finding.png', mimeType: 'image/png', buffer: photo });
    await page.getByTestId('patrol-locate').click();
    await page.getByTestId('patrol-located').waitFor();
    await page.getByTestId('patrol-submit').click();
    const codeText = await page.getByTestId('patrol-code').textContent();
    const code = /[A-Z0-9-]{6,}/.exec(codeText ?? '')?.[0];
    expect(code).toBeTruthy();

    // Back in my tasks, the finding is there; its detail has the photo.
    await page.getByTestId('patrol-open').click();
    await page.getByTestId('grid-back').click();
    const card = page.locator(`[data-testid="grid-task"][data-code="${code}"]`);
    await card.waitFor({ timeout: 10_000 });
    if (shots) await page.screenshot({ path: path.join(SHOT_DIR, 'grid-worker-zh.png') });
    await card.getByRole('button').click();
    await page.locator('[data-testid="event-photo"][data-stage="report"] img').waitFor({ timeout: 10_000 });
    // The page fits the phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const gw = await tokenOf('gridworker', 'demo-grid-worker-2026');
    const tasks = await call<{ items: EventJson[] }>('GET', '/api/v1/events?queue=grid', gw);
    const mine = tasks.items.find((e) => e.trackingCode === code);
    expect(mine?.channel).toBe('patrol');
    const photos = await call<{ items: Array<{ stage: string }> }>('GET', `/api/v1/events/${mine!.id}/photos`, gw);
    expect(photos.items.map((p) => p.stage)).toEqual(['report']);
    await ctx.close();
  }, 60_000);
});
