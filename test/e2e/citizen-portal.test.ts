/**
 * Browser test of the citizen portal (市民服务, SPEC U2) in the demo city: a
 * citizen reports a problem (text, map pin, a real PNG photo) and tracks it
 * anonymously; a second report of the same problem follows the first; the
 * result is rated in "My reports"; the elderly mode (large type, high
 * contrast, one question per screen, big targets); language switch; phone
 * width; axe-core on every page in both modes; and the bundle split (no map,
 * chart or ops code until the pin map is opened). Drives Debian's Chromium.
 * SCREENSHOTS=1 also writes docs/screenshots/citizen-*.png.
 */
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { browserAvailable } from '../../src/platform/testing/services.js';
import { demoPassword } from '../../src/sim/users.logic.js';
import type { TestCity } from '../helpers/city.js';
import { startBrowserCity, launchChromium, axeViolations } from '../helpers/browser.js';
import { principalsFor, TEST_PASSWORD, type TestPrincipal } from '../helpers/auth.js';

const haveBrowser = await browserAvailable();
const shots = process.env.SCREENSHOTS === '1';
/** Chunks the citizen portal must not download (the map library only once the pin map is opened). */
const FOREIGN = /\/assets\/(OpsCentre|Workbench|GridWorker|echarts)-/;
const MAP = /\/assets\/maplibre-/;

interface EventWire { id: string; trackingCode: string; state: string; version: number; leadDepartment: string | null; rating: number | null }

/** A real, decodable 48×32 RGB PNG (a colour gradient), as a phone camera would hand over a small photo. */
function gradientPng(w = 48, h = 32): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) raw.set([(x * 255) / w, (y * 255) / h, 128], y * (w * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const axe = axeViolations;

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
const codeIn = (text: string | null) => /([A-Z0-9]{6,})\s*$/.exec(text?.trim() ?? '')?.[1] ?? '';

describe.skipIf(!haveBrowser)('citizen portal in a real browser', () => {
  let city: TestCity;
  let base: string;
  let browser: Browser;
  let who: Awaited<ReturnType<typeof principalsFor>>;
  /** The first report (test 1), followed in test 2 and rated in test 3. */
  let first: { code: string; point: [number, number] };

  const apiCall = async <T,>(p: TestPrincipal, method: 'GET' | 'POST', url: string, payload?: object): Promise<T> => {
    const res = await city.app.inject({ method, url, headers: p.headers, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };

  const signIn = async (page: Page) => {
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill('citizen');
    await page.getByTestId('login-password').fill(demoPassword('citizen'));
    await page.getByTestId('login-submit').click();
    await page.getByTestId('menu-mine').waitFor();
  };

  /** Assets the server could not give (e.g. web/dist rebuilt while the test ran), named when a page fails to appear. */
  const missingAssets: string[] = [];
  const newContext = async (opts: { phone?: boolean; geo?: [number, number] } = {}): Promise<BrowserContext> => {
    const ctx = await browser.newContext({
      viewport: opts.phone ? { width: 390, height: 844 } : { width: 1100, height: 800 },
      ...(opts.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
      ...(opts.geo ? { geolocation: { longitude: opts.geo[0], latitude: opts.geo[1] }, permissions: ['geolocation'] } : {}),
    });
    ctx.on('response', (r) => {
      if (r.status() >= 400 && r.url().includes('/assets/')) missingAssets.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    return ctx;
  };

  beforeAll(async () => {
    ({ city, base } = await startBrowserCity({ simRate: 1 }));
    who = await principalsFor(city);
    browser = await launchChromium();
  }, 120_000);

  afterEach(() => {
    if (missingAssets.length) console.warn(`web app assets missing during the test (was web/dist rebuilt meanwhile?): ${missingAssets.splice(0).join(', ')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await city?.destroy();
  });

  it('reports a problem with text, a map pin and a photo, then tracks it anonymously by code; no ops, chart or map code until the map is opened', async () => {
    const ctx = await newContext();
    const requests: string[] = [];
    ctx.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const page = await ctx.newPage();

    await page.goto(`${base}/citizen`);
    await page.getByTestId('menu-report').waitFor();
    expect(await page.getByTestId('menu-report').textContent()).toBe('我要反映问题');
    expect(await axe(page), 'menu (signed out)').toEqual([]);
    await signIn(page);
    expect(await axe(page), 'menu').toEqual([]);
    if (shots) await page.screenshot({ path: 'docs/screenshots/citizen-portal-zh.png', fullPage: true });

    await page.getByTestId('menu-report').click();
    await page.getByTestId('report-text').fill('小区门口的井盖破损了，晚上很危险，有人差点掉下去');
    // Sending without a place says what is missing instead of failing on the server.
    await page.getByTestId('report-submit').click();
    await expect.poll(() => page.getByRole('alert').allTextContents()).toContain('请给出位置：使用当前位置、在地图上选点或填写地址');
    expect(await axe(page), 'report form').toEqual([]);
    expect(requests.filter((u) => FOREIGN.test(u) || MAP.test(u)), 'chunks loaded before the map is opened').toEqual([]);

    await page.getByTestId('pick-on-map').click();
    const map = page.getByTestId('pin-map');
    await map.waitFor();
    await page.locator('.maplibregl-canvas').waitFor();
    // Wait for the roads layer so the map has settled (fitBounds) before the pin is dropped.
    await expect.poll(() => requests.includes('/api/v1/roads/segments'), { timeout: 15_000 }).toBe(true);
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const chosen = await page.getByTestId('chosen-location').textContent();
    const m = /(-?\d+\.\d+),\s*(-?\d+\.\d+)/.exec(chosen ?? '');
    expect(m, `chosen location shown: ${chosen}`).not.toBeNull();
    first = { code: '', point: [Number(m![1]), Number(m![2])] };
    expect(requests.some((u) => MAP.test(u)), 'map chunk loaded once the pin map is opened').toBe(true);
    expect(await axe(page), 'report form with the map').toEqual([]);

    await page.getByTestId('report-photo').setInputFiles({ name: 'manhole.png', mimeType: 'image/png', buffer: gradientPng() });
    await page.getByTestId('report-submit').click();
    const codeText = await page.getByTestId('tracking-code').textContent();
    first.code = codeIn(codeText);
    expect(first.code, codeText ?? '').toMatch(/^[A-Z0-9]{6,}$/);
    expect(await page.locator('.ant-alert-warning').count(), 'no photo upload warning').toBe(0);
    expect(await axe(page), 'submitted').toEqual([]);

    // The server has the report where the pin is, with the photo.
    const mine = await apiCall<{ items: EventWire[] }>(who.dispatcher, 'GET', '/api/v1/events?limit=200');
    const ev = mine.items.find((e) => e.trackingCode === first.code)!;
    expect(ev).toBeDefined();
    const photos = await apiCall<{ items: Array<{ contentType: string }> }>(who.dispatcher, 'GET', `/api/v1/events/${ev.id}/photos`);
    expect(photos.items.map((p) => p.contentType)).toEqual(['image/png']);

    expect(requests.filter((u) => FOREIGN.test(u)), 'ops, workbench, grid or chart chunks on the citizen portal').toEqual([]);
    await ctx.close();

    // Anyone can track it by code, without signing in.
    const anon = await newContext();
    const p2 = await anon.newPage();
    await p2.goto(`${base}/citizen/track`);
    await p2.getByTestId('track-code').fill(first.code.toLowerCase());
    await p2.getByTestId('track-submit').click();
    await p2.getByTestId('track-result').waitFor();
    expect(await p2.getByTestId('track-result').locator('h3').textContent()).toContain(first.code);
    expect(await p2.getByTestId('track-state').textContent()).toMatch(/^(受理|派单)$/);
    expect(p2.url()).toBe(`${base}/citizen/track/${first.code}`);
    expect(await axe(p2), 'track result').toEqual([]);
    if (shots) await p2.screenshot({ path: 'docs/screenshots/citizen-track-zh.png', fullPage: true });
    // A wrong code says so.
    await p2.getByTestId('track-code').fill('NOSUCHCODE');
    await p2.getByTestId('track-submit').click();
    await expect.poll(() => p2.getByRole('alert').allTextContents()).toContain('没有找到这个查询码，请核对后再试。');
    await anon.close();
  }, 60_000);

  it('a second report of the same problem at the same place shows the first as similar, and following it makes the code show its progress', async () => {
    expect(first?.code, 'needs the first test\'s report').toBeTruthy();
    const ctx = await newContext({ geo: first.point });
    const page = await ctx.newPage();
    await signIn(page);
    await page.getByTestId('menu-report').click();
    await page.getByTestId('report-text').fill('井盖坏了，小区门口井盖破损很危险');
    await page.getByTestId('use-location').click();
    await expect.poll(() => page.getByTestId('chosen-location').textContent()).toContain(first.point[0].toFixed(5));
    await page.getByTestId('report-submit').click();
    const second = codeIn(await page.getByTestId('tracking-code').textContent());
    expect(second).not.toBe(first.code);

    const follow = page.getByTestId(`follow-${first.code}`);
    await follow.waitFor();
    expect(await axe(page), 'submitted with similar reports').toEqual([]);
    await follow.click();
    await expect.poll(() => page.getByTestId('following').textContent()).toContain(first.code);
    await ctx.close();

    const anon = await newContext();
    const p2 = await anon.newPage();
    await p2.goto(`${base}/citizen/track/${second}`);
    await p2.getByTestId('track-result').waitFor();
    expect(await p2.getByTestId('track-result').locator('h3').textContent(), 'the second code shows the followed report').toContain(first.code);
    await anon.close();
  }, 60_000);

  it('rates the result in "My reports" and the report moves on to rated', async () => {
    expect(first?.code, 'needs the first test\'s report').toBeTruthy();
    // Dispatcher and handler steps through the API: (dispatch →) accept → report the result.
    const all = await apiCall<{ items: EventWire[] }>(who.dispatcher, 'GET', '/api/v1/events?limit=200');
    let ev = all.items.find((e) => e.trackingCode === first.code)!;
    if (ev.state === 'received') ev = await apiCall<EventWire>(who.dispatcher, 'POST', `/api/v1/events/${ev.id}/actions`, { action: 'dispatch', expectedVersion: ev.version, department: 'CGJ' });
    const dept = ev.leadDepartment!;
    const username = `h_${dept.toLowerCase()}`;
    if (!(await city.services.auth.findUser(username))) {
      await city.services.auth.createUser({ username, password: TEST_PASSWORD, displayName: `Handler ${dept}`, roles: ['handler'], department: dept }, 'test');
    }
    const login = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
    const handler: TestPrincipal = { id: username, headers: { authorization: `Bearer ${(login.json() as { token: string }).token}` } };
    ev = await apiCall<EventWire>(handler, 'POST', `/api/v1/events/${ev.id}/actions`, { action: 'accept', expectedVersion: ev.version });
    ev = await apiCall<EventWire>(handler, 'POST', `/api/v1/events/${ev.id}/actions`, { action: 'report_result', expectedVersion: ev.version, note: '已更换井盖' });
    expect(ev.state).toBe('result_reported');

    const ctx = await newContext();
    const page = await ctx.newPage();
    await signIn(page);
    await page.getByTestId('menu-mine').click();
    const state = page.getByTestId(`state-${first.code}`);
    await expect.poll(() => state.textContent()).toBe('已反馈');
    const form = page.getByTestId(`rate-${first.code}`);
    expect(await axe(page), 'my reports with a rating form').toEqual([]);
    await form.locator('.ant-rate-star').nth(3).click();
    await form.getByLabel('意见（可选）').fill('修得很快，谢谢');
    await form.getByTestId('rate-submit').click();
    await expect.poll(() => state.textContent()).toBe('已评价');
    await expect.poll(() => page.getByRole('status').allTextContents()).toContain('感谢您的评价！');
    expect(await page.getByTestId(`rate-${first.code}`).count()).toBe(0);
    const after = await apiCall<EventWire>(who.dispatcher, 'GET', `/api/v1/events/${ev.id}`);
    expect([after.state, after.rating]).toEqual(['rated', 4]);
    expect(await axe(page), 'my reports after rating').toEqual([]);
    // The tracking page now tells what was done and the rating, without the staff's routing shorthand.
    await page.getByRole('link', { name: first.code }).click();
    await expect.poll(() => page.getByTestId('track-state').textContent()).toBe('已评价');
    const progress = await page.getByTestId('track-result').textContent();
    expect(progress).toContain('已更换井盖');
    expect(progress).toContain('您的评价：4 星');
    expect(progress).not.toContain('→');
    await ctx.close();
  }, 60_000);

  it('elderly mode on a phone: large type, high contrast, big targets, one question per screen', async () => {
    const ctx = await newContext({ phone: true, geo: [1.5345, 42.5078] });
    const page = await ctx.newPage();
    await signIn(page);
    await page.getByTestId('elderly-switch').click();
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('elderly'))).toBe(true);
    const px = (sel: string, prop: 'fontSize' | 'height') => page.locator(sel).first().evaluate((el, p) => parseFloat(getComputedStyle(el)[p]), prop);
    expect(await px('body', 'fontSize')).toBeGreaterThanOrEqual(18);
    expect(await px('[data-testid="menu-report"]', 'fontSize')).toBeGreaterThanOrEqual(18);
    expect(await px('[data-testid="menu-report"]', 'height')).toBeGreaterThanOrEqual(44);
    expect(await px('[data-testid="logout"]', 'height')).toBeGreaterThanOrEqual(44);
    expect(await px('.elderly-switch', 'height'), 'the elderly switch (its label toggles it too)').toBeGreaterThanOrEqual(44);
    // High contrast: AAA (7:1) contrast everywhere, not only AA.
    expect(await axe(page, ['color-contrast-enhanced']), 'elderly menu').toEqual([]);
    expect(await noHorizontalScroll(page)).toBe(true);

    await page.getByTestId('menu-report').click();
    const question = page.getByTestId('wizard-question');
    const seen: string[] = [];
    const step = async (check: () => Promise<void>) => {
      await question.waitFor();
      seen.push((await question.textContent()) ?? '');
      // One question per screen: the heading has the focus and only this step's field is shown.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('wizard-question');
      await check();
      expect(await axe(page, ['color-contrast-enhanced']), `wizard step ${seen.length}`).toEqual([]);
      expect(await noHorizontalScroll(page), `wizard step ${seen.length} fits the phone`).toBe(true);
      for (const b of ['wizard-next', 'wizard-back']) {
        if (await page.getByTestId(b).count()) expect(await px(`[data-testid="${b}"]`, 'height')).toBeGreaterThanOrEqual(44);
      }
      await page.getByTestId('wizard-next').click();
    };
    await step(async () => {
      expect(await page.getByTestId('use-location').count()).toBe(0);
      // Next without an answer says what is missing and stays on the question.
      await page.getByTestId('wizard-next').click();
      await expect.poll(() => page.getByRole('alert').allTextContents()).toContain('请写下您遇到的问题');
      await page.getByTestId('report-text').fill('路灯坏了，晚上一片漆黑');
      expect(await px('[data-testid="report-text"]', 'fontSize')).toBeGreaterThanOrEqual(18);
    });
    await step(async () => {
      expect(await page.getByTestId('report-text').count()).toBe(0);
      await page.getByTestId('use-location').click();
      await page.getByTestId('chosen-location').waitFor();
      expect(await px('[data-testid="use-location"]', 'height')).toBeGreaterThanOrEqual(44);
      if (shots) await page.screenshot({ path: 'docs/screenshots/citizen-elderly-zh.png', fullPage: true });
    });
    await step(async () => {
      await page.getByTestId('report-photo').setInputFiles({ name: 'light.png', mimeType: 'image/png', buffer: gradientPng() });
    });
    await step(async () => {
      expect(await page.locator('.wizard').textContent()).toContain('light.png');
    });
    expect(seen).toEqual(['请描述遇到的问题', '问题在哪里？', '上传照片（可选）', '请确认后提交']);
    const code = codeIn(await page.getByTestId('tracking-code').textContent());
    expect(code).toMatch(/^[A-Z0-9]{6,}$/);
    expect(await axe(page, ['color-contrast-enhanced']), 'elderly submitted').toEqual([]);

    await page.goto(`${base}/citizen/track/${code}`);
    await page.getByTestId('track-result').waitFor();
    expect(await axe(page, ['color-contrast-enhanced']), 'elderly track result').toEqual([]);
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.goto(`${base}/citizen/mine`);
    await page.getByTestId(`state-${code}`).waitFor();
    expect(await axe(page, ['color-contrast-enhanced']), 'elderly my reports').toEqual([]);
    expect(await noHorizontalScroll(page)).toBe(true);
    // The mode is remembered across visits.
    await page.reload();
    await page.getByTestId('my-reports').waitFor();
    expect(await px('body', 'fontSize')).toBeGreaterThanOrEqual(18);
    await ctx.close();
  }, 60_000);

  it('switches language (zh-CN by default, then en-US, remembered) and fits a 390 px phone', async () => {
    const ctx = await newContext({ phone: true });
    const page = await ctx.newPage();
    await page.goto(`${base}/citizen`);
    await page.getByTestId('menu-report').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => page.getByTestId('menu-report').textContent()).toBe('Report a problem');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');
    await page.reload();
    await expect.poll(() => page.getByTestId('menu-track').textContent()).toBe('Track a report');
    expect(await noHorizontalScroll(page)).toBe(true);
    expect(await axe(page), 'menu in English').toEqual([]);

    await signIn(page);
    if (shots) {
      // The same view as citizen-portal-zh.png (signed in, desktop width).
      await page.setViewportSize({ width: 1100, height: 800 });
      await page.screenshot({ path: 'docs/screenshots/citizen-portal-en.png', fullPage: true, scale: 'css' });
      await page.setViewportSize({ width: 390, height: 844 });
    }
    for (const [testId, ready] of [['menu-report', 'report-text'], ['menu-track', 'track-code'], ['menu-mine', 'my-reports']] as const) {
      await page.goto(`${base}/citizen`);
      await page.getByTestId(testId).click();
      await page.getByTestId(ready).waitFor();
      expect(await noHorizontalScroll(page), `${ready} fits the phone`).toBe(true);
      expect(await axe(page), `${ready} in English on a phone`).toEqual([]);
    }
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe('My reports');
    await ctx.close();
  }, 60_000);
});
