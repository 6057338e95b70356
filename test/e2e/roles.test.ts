/**
 * Browser test of roles across the web app (issue 5) in the demo city: every
 * demo role signs in through the login page, lands on its home screen, is
 * offered exactly the screens it may use, gets the 403 result (not a crash or
 * a blank page) on a screen it may not use, and no page it can open asks the
 * server for what the server refuses (no 403, no 500, no script errors).
 * Also: signing out, a wrong password, the login page's language switch, and
 * axe-core on the login page in zh-CN, en-US and the elderly mode.
 * Drives Debian's Chromium with playwright-core.
 */
import { afterAll, afterEach, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { browserAvailable } from '../../src/platform/testing/services.js';
import type { Role } from '../../src/platform/auth/roles.js';
import { demoPassword } from '../../src/sim/users.logic.js';
import type { TestCity } from '../helpers/city.js';
import { startBrowserCity, launchChromium, axeViolations } from '../helpers/browser.js';

const haveBrowser = await browserAvailable();

type ScreenPath = '/ops' | '/workbench' | '/grid' | '/citizen';
/** What each screen shows once it has rendered. */
const READY: Record<ScreenPath, string> = { '/ops': 'ops-centre', '/workbench': 'workbench', '/grid': 'grid-worker', '/citizen': 'menu-report' };
const NAV_LABEL: Record<ScreenPath, string> = { '/ops': '城市运行一张图', '/workbench': '工作台', '/grid': '网格员', '/citizen': '市民服务' };

/** Written out here (not read from web/src/auth/roles.ts) so the test says what each role should get. */
const ROLES: Array<{ role: Role; username: string; home: ScreenPath; offered: ScreenPath[]; forbidden: ScreenPath }> = [
  { role: 'admin', username: 'admin', home: '/ops', offered: ['/ops', '/workbench', '/citizen'], forbidden: '/grid' },
  { role: 'dispatcher', username: 'dispatcher', home: '/ops', offered: ['/ops', '/workbench', '/citizen'], forbidden: '/grid' },
  { role: 'handler', username: 'handler.swj', home: '/workbench', offered: ['/workbench', '/citizen'], forbidden: '/ops' },
  { role: 'grid_worker', username: 'gridworker', home: '/grid', offered: ['/grid', '/citizen'], forbidden: '/workbench' },
  { role: 'data_officer', username: 'dataofficer', home: '/ops', offered: ['/ops', '/citizen'], forbidden: '/workbench' },
  { role: 'auditor', username: 'auditor', home: '/ops', offered: ['/ops', '/citizen'], forbidden: '/grid' },
  { role: 'leader', username: 'leader', home: '/ops', offered: ['/ops', '/workbench', '/citizen'], forbidden: '/grid' },
  { role: 'citizen', username: 'citizen', home: '/citizen', offered: ['/citizen'], forbidden: '/ops' },
];

const axe = axeViolations;

/** What a page did wrong: server answers of 403/500, script errors, console errors other than the failed loads already counted. */
interface Watch { refused: string[]; errors: string[]; inFlight: Set<string>; missingAssets: string[] }

function watch(ctx: BrowserContext): Watch {
  const w: Watch = { refused: [], errors: [], inFlight: new Set(), missingAssets: [] };
  ctx.on('request', (r) => {
    if (r.resourceType() === 'fetch' || r.resourceType() === 'xhr') w.inFlight.add(`${r.method()} ${r.url()}`);
  });
  ctx.on('requestfinished', (r) => w.inFlight.delete(`${r.method()} ${r.url()}`));
  ctx.on('requestfailed', (r) => w.inFlight.delete(`${r.method()} ${r.url()}`));
  ctx.on('response', (r) => {
    const url = new URL(r.url());
    if (r.status() === 403 || r.status() >= 500) w.refused.push(`${r.status()} ${r.request().method()} ${url.pathname}${url.search.replace(/access_token=[^&]+/, 'access_token=…')}`);
    if (r.status() >= 400 && url.pathname.startsWith('/assets/')) w.missingAssets.push(`${r.status()} ${url.pathname}`);
  });
  ctx.on('page', (p) => {
    p.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) w.errors.push(`console: ${m.text()}`);
    });
  });
  return w;
}

describe.skipIf(!haveBrowser)('roles across the web app in a real browser', () => {
  let city: TestCity;
  let base: string;
  let browser: Browser;
  const missing: string[] = [];

  const newContext = async (lang: 'zh-CN' | 'en-US' = 'zh-CN') => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await ctx.addInitScript((l) => {
      // about:blank has no storage; only the app's pages get the language.
      if (location.protocol.startsWith('http') && !localStorage.getItem('cityops.lang')) localStorage.setItem('cityops.lang', l);
    }, lang);
    const w = watch(ctx);
    return { ctx, w, page: await ctx.newPage() };
  };

  const signIn = async (page: Page, username: string, password: string) => {
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  };

  /** Waits until the screen has rendered and every fetch it started has been answered. */
  const settle = async (page: Page, w: Watch, screen: ScreenPath, check: ExpectStatic) => {
    await page.getByTestId(READY[screen]).waitFor({ timeout: 20_000 });
    await check.poll(() => w.inFlight.size, { timeout: 20_000 }).toBe(0);
  };

  beforeAll(async () => {
    ({ city, base } = await startBrowserCity({ simRate: 1 }));
    browser = await launchChromium();
  }, 120_000);

  afterEach(() => {
    if (missing.length) console.warn(`web app assets missing during the test (was web/dist rebuilt meanwhile?): ${missing.splice(0).join(', ')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await city?.destroy();
  });

  // One role after another: eight browsers side by side starve a 2-core machine and time out.
  it.for(ROLES)('$role signs in, lands on $home, is offered exactly its screens, gets 403 on $forbidden, and no page asks for what the server refuses', { timeout: 90_000 }, async ({ role, username, home, offered, forbidden }, { expect }) => {
    const { ctx, w, page } = await newContext();
    try {
      await page.goto(`${base}/login`);
      await signIn(page, username, demoPassword(role));
      await page.waitForURL(`${base}${home}`);
      await settle(page, w, home, expect);

      // The header offers exactly the screens of this role, in order.
      const nav = page.locator('.app-nav .ant-menu-item a');
      expect(await nav.allTextContents(), 'screens in the header').toEqual(offered.map((s) => NAV_LABEL[s]));
      expect(await nav.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname))).toEqual(offered);

      // Every screen offered opens through the header without the server refusing a call.
      for (const screen of offered.filter((s) => s !== home)) {
        await page.locator('.app-nav').getByRole('link', { name: NAV_LABEL[screen] }).click();
        await page.waitForURL(`${base}${screen}`);
        await settle(page, w, screen, expect);
      }

      expect(w.refused, `server calls answered 403/500 for ${role} on its own screens`).toEqual([]);

      // A screen the role may not use says so, inside the usual frame.
      await page.goto(`${base}${forbidden}`);
      const result = page.locator('.ant-result-403');
      await result.waitFor();
      expect(await result.textContent()).toContain('当前角色无权使用此页面');
      expect(await page.getByTestId('logout').isVisible()).toBe(true);
      expect(await page.getByTestId(READY[forbidden]).count()).toBe(0);
      await expect.poll(() => w.inFlight.size).toBe(0);

      expect(w.errors, `script or console errors for ${role}`).toEqual([]);
    } finally {
      missing.push(...w.missingAssets);
      await ctx.close();
    }
  });

  it('signing out returns to the login page and the session is gone', async ({ expect }) => {
    const { ctx, w, page } = await newContext();
    await page.goto(`${base}/login`);
    await signIn(page, 'citizen', demoPassword('citizen'));
    await page.waitForURL(`${base}/citizen`);
    await page.getByTestId('logout').click();
    await page.waitForURL(`${base}/login`);
    await page.getByTestId('login-username').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('cityops.token'))).toBeNull();
    // A staff screen now asks for signing in again.
    await page.goto(`${base}/workbench`);
    await page.waitForURL(`${base}/login`);
    expect(w.errors).toEqual([]);
    missing.push(...w.missingAssets);
    await ctx.close();
  });

  it('a wrong password shows the server\'s message; the language switch works; the login page passes axe in zh-CN, en-US and elderly mode', async ({ expect }) => {
    const { ctx, w, page } = await newContext();
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('登录 CityOps');
    expect(await axe(page), 'login page zh-CN').toEqual([]);

    // Sending empty fields says what is missing, on the field that has the focus (read out by a screen reader).
    await page.getByTestId('login-submit').click();
    const username = page.getByTestId('login-username');
    await expect.poll(() => username.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => username.evaluate((el) => el === document.activeElement)).toBe(true);
    const described = async () => {
      const ids = (await username.getAttribute('aria-describedby')) ?? '';
      return page.evaluate((list) => list.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '), ids);
    };
    await expect.poll(described).toContain('请输入用户名');
    // axe once the messages have faded in (mid-animation they are pale).
    await expect.poll(() => page.locator('.ant-form-show-help-item-appear, .ant-form-show-help-appear').count()).toBe(0);
    expect(await axe(page), 'login page with missing fields').toEqual([]);

    // A wrong password: the server's own message, and the user stays on the page.
    const server = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'dispatcher', password: 'not-the-password' } });
    expect(server.statusCode).toBe(401);
    const message = (server.json() as { error: { message: string } }).error.message;
    await signIn(page, 'dispatcher', 'not-the-password');
    await expect.poll(() => page.getByRole('alert').allTextContents()).toContain(`登录失败：${message}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await axe(page), 'login page with the error').toEqual([]);

    // English, remembered across a reload.
    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe('Sign in to CityOps');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');
    expect(await page.getByTestId('login-submit').textContent()).toMatch(/Sign in/);
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe('Sign in to CityOps');
    expect(await page.getByText('Username', { exact: true }).count()).toBe(1);
    expect(await axe(page), 'login page en-US').toEqual([]);
    await signIn(page, 'dispatcher', 'not-the-password');
    await expect.poll(() => page.getByRole('alert').allTextContents()).toContain(`Sign-in failed: ${message}`);
    expect(await axe(page), 'login page en-US with the error').toEqual([]);

    // Elderly mode: large type, big targets, AAA contrast, in both languages.
    await page.getByTestId('elderly-switch').click();
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('elderly'))).toBe(true);
    const px = (sel: string, prop: 'fontSize' | 'height') => page.locator(sel).first().evaluate((el, p) => parseFloat(getComputedStyle(el)[p]), prop);
    await expect.poll(() => px('[data-testid="login-username"]', 'fontSize')).toBeGreaterThanOrEqual(18);
    expect(await px('[data-testid="login-submit"]', 'height')).toBeGreaterThanOrEqual(44);
    expect(await axe(page, ['color-contrast-enhanced']), 'login page elderly en-US').toEqual([]);
    await page.getByTestId('lang-switch').getByText('中文').click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe('登录 CityOps');
    expect(await axe(page, ['color-contrast-enhanced']), 'login page elderly zh-CN').toEqual([]);

    // The right password still signs in from here.
    await signIn(page, 'dispatcher', demoPassword('dispatcher'));
    await page.waitForURL(`${base}/ops`);
    expect(w.errors).toEqual([]);
    missing.push(...w.missingAssets);
    await ctx.close();
  }, 40_000);
});
