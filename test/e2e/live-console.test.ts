/**
 * Browser test: in the demo city, a dispatcher signs in to the web console,
 * watches live water-level readings stream in, switches to English and injects
 * a rainstorm. Drives Debian's Chromium with playwright-core.
 * SCREENSHOTS=1 also writes the README's screenshots to docs/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser } from 'playwright-core';
import { browserAvailable } from '../../src/platform/testing/services.js';
import { systemClock } from '../../src/platform/clock.js';
import { DEFAULT_OSM_FILE } from '../../src/config.js';
import { startTestCity, type TestCity } from '../helpers/city.js';
import { launchChromium } from '../helpers/browser.js';

const haveBrowser = await browserAvailable();
const shots = process.env.SCREENSHOTS === '1';

describe.skipIf(!haveBrowser)('web console in a real browser', () => {
  let city: TestCity;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    city = await startTestCity({ clock: systemClock, config: { demo: true, osmFile: DEFAULT_OSM_FILE, simRate: 1 } });
    await city.start();
    await city.services.sim.buildDemoCity();
    base = await city.listen();
    city.services.sim.start();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await city?.services.sim.stop();
    await city?.destroy();
  });

  it('signs in, streams live readings, switches language and injects a rainstorm', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    await page.goto(`${base}/console`);
    await expect.poll(() => page.title()).toBe('CityOps');
    expect(await page.locator('h1').textContent()).toContain('城市运行');

    // a wrong password is refused with a message
    await page.getByLabel('用户名').fill('dispatcher');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.locator('#loginError').textContent()).toContain('登录失败');

    await page.getByLabel('密码').fill('demo-dispatcher-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#cls').selectOption('water_level');
    await page.getByRole('button', { name: '开始接收' }).click();
    await expect.poll(async () => page.locator('#rows tr').count(), { timeout: 15_000 }).toBeGreaterThan(5);
    const firstSensor = await page.locator('#rows tr td').first().textContent();
    expect(firstSensor).toMatch(/^s-water-/);
    if (shots) await page.screenshot({ path: 'docs/screenshots/live-console-zh.png', fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('h1').textContent()).toContain('live sensing');
    await page.getByRole('button', { name: 'Rainstorm' }).click();
    await expect.poll(() => page.locator('#incidentStatus').textContent(), { timeout: 10_000 }).toContain('Injected');
    if (shots) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: 'docs/screenshots/live-console-en.png', fullPage: true });
    }
    expect((await city.services.sim.incidents()).some((i) => i.kind === 'rainstorm')).toBe(true);
    await page.close();
  }, 60_000);

  it('serves the API documentation at /docs', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${base}/docs`);
    await expect.poll(() => page.locator('.swagger-ui .info .title').textContent(), { timeout: 15_000 }).toContain('CityOps API');
    expect(await page.locator('.opblock-tag').count()).toBeGreaterThan(5);
    if (shots) await page.screenshot({ path: 'docs/screenshots/api-docs.png' });
    await page.close();
  }, 30_000);
});
