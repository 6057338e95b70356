/**
 * Browser test of the operations centre (/ops) in the demo city: a dispatcher
 * signs in, the map draws the roads and the sensors (minor streets once zoomed
 * in), sensor values change live,
 * clicking a sensor opens its details with a history chart, and switching the
 * language changes the panel. Drives Debian's Chromium with playwright-core.
 * SCREENSHOTS=1 also writes docs/screenshots/ops-centre-zh.png, -details-zh.png and -en.png.
 */
import type { FeatureCollection, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { browserAvailable } from '../../src/platform/testing/services.js';
import type { TestCity } from '../helpers/city.js';
import { startBrowserCity, launchChromium } from '../helpers/browser.js';

const haveBrowser = await browserAvailable();
const shots = process.env.SCREENSHOTS === '1';

/** Counts of what the map has drawn, read from the MapLibre instance the screen exposes for tests. */
function mapFigures(page: Page) {
  return page.evaluate(() => {
    const map = (window as unknown as { __opsMap?: import('maplibre-gl').Map }).__opsMap;
    if (!map || !map.loaded()) return null;
    const el = map.getContainer();
    return {
      roads: Number(el.dataset.roads ?? 0),
      roadsDrawn: map.querySourceFeatures('roads').length,
      sensorsOnScreen: map.queryRenderedFeatures({ layers: ['sensors'] }).length,
      sensors: Number(el.dataset.sensors ?? 0),
      readings: Number(el.dataset.readings ?? 0),
      newestTs: Number(el.dataset.newestTs ?? 0),
    };
  });
}

describe.skipIf(!haveBrowser)('operations centre in a real browser', () => {
  let city: TestCity;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ city, base } = await startBrowserCity({ simRate: 1, stream: true }));
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await city?.services.sim.stop();
    await city?.destroy();
  });

  it('shows the live map, sensor details with a chart, and switches language', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.addInitScript(() => localStorage.setItem('cityops.lang', 'zh-CN'));
    await page.goto(`${base}/ops`);
    // not signed in: sent to the login page
    await page.getByTestId('login-username').fill('dispatcher');
    await page.getByTestId('login-password').fill('demo-dispatcher-2026');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/ops$/);

    // roads and sensors drawn
    await expect.poll(async () => (await mapFigures(page))?.roads ?? 0, { timeout: 30_000 }).toBeGreaterThan(1000);
    // the whole-city view draws the main roads; the minor streets wait for the zoom where they show
    await expect.poll(async () => (await mapFigures(page))?.roadsDrawn ?? 0, { timeout: 30_000 }).toBeGreaterThan(50);
    await expect.poll(async () => (await mapFigures(page))?.sensors ?? 0, { timeout: 30_000 }).toBeGreaterThan(1500);
    await expect.poll(async () => (await mapFigures(page))?.sensorsOnScreen ?? 0, { timeout: 15_000 }).toBeGreaterThan(10);
    expect(await page.getByTestId('ops-panel').textContent()).toContain('运行态势');
    expect(await page.locator('.ops-attribution').textContent()).toContain('OpenStreetMap');
    if (shots) {
      await page.evaluate(async () => {
        const map = (window as unknown as { __opsMap: import('maplibre-gl').Map }).__opsMap;
        map.jumpTo({ center: [1.53, 42.51], zoom: 12.5 });
        await new Promise<void>((resolve) => map.once('idle', () => resolve()));
      });
      await page.screenshot({ path: 'docs/screenshots/ops-centre-zh.png' });
    }

    // zoomed out beyond the city view, the sensors gather into clusters
    const clusters = await page.evaluate(async () => {
      const map = (window as unknown as { __opsMap: import('maplibre-gl').Map }).__opsMap;
      const before = { center: map.getCenter(), zoom: map.getZoom() };
      map.jumpTo({ center: [1.55, 42.53], zoom: 8.5 });
      await new Promise<void>((resolve) => map.once('idle', () => resolve()));
      const n = map.queryRenderedFeatures({ layers: ['sensor-clusters'] }).filter((f) => (f.properties as { point_count?: number }).point_count).length;
      map.jumpTo(before);
      await new Promise<void>((resolve) => map.once('idle', () => resolve()));
      return n;
    });
    expect(clusters).toBeGreaterThan(0);

    // live: readings keep arriving and the newest reading's time moves on
    const first = (await mapFigures(page))!;
    await expect.poll(async () => (await mapFigures(page))!.readings, { timeout: 15_000 }).toBeGreaterThan(first.readings + 100);
    await expect.poll(async () => (await mapFigures(page))!.newestTs, { timeout: 15_000 }).toBeGreaterThan(first.newestTs);
    const newest = await page.getByTestId('live-newest').textContent();
    await expect.poll(() => page.getByTestId('live-newest').textContent(), { timeout: 15_000 }).not.toBe(newest);

    // zoom in on a sensor and click it: its details open with a chart
    const target = await page.evaluate(() => {
      const map = (window as unknown as { __opsMap: import('maplibre-gl').Map }).__opsMap;
      const f = map.queryRenderedFeatures({ layers: ['sensors'] })[0] ?? map.querySourceFeatures('sensors')[0];
      const c = (f!.geometry as Point).coordinates as [number, number];
      map.jumpTo({ center: c, zoom: 17 });
      return c;
    });
    const point = await page.evaluate(async (c) => {
      const map = (window as unknown as { __opsMap: import('maplibre-gl').Map }).__opsMap;
      await new Promise<void>((resolve) => (map.loaded() && !map.isMoving() ? resolve() : map.once('idle', () => resolve())));
      const hit = map.queryRenderedFeatures({ layers: ['sensors'] })[0];
      const at = map.project(hit ? ((hit.geometry as Point).coordinates as [number, number]) : c);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: box.left + at.x, y: box.top + at.y };
    }, target);
    // the minor streets were handed to the map once its first picture was in
    expect(await page.evaluate(async () => {
      const map = (window as unknown as { __opsMap: import('maplibre-gl').Map }).__opsMap;
      return ((await (map.getSource('roads-minor') as import('maplibre-gl').GeoJSONSource).getData()) as FeatureCollection).features.length;
    })).toBeGreaterThan(100);
    await page.mouse.click(point.x, point.y);
    await expect.poll(() => page.getByTestId('sensor-details').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-testid="sensor-chart"] canvas').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('sensor-live-value').count(), { timeout: 10_000 }).toBe(1);
    if (shots) await page.screenshot({ path: 'docs/screenshots/ops-centre-details-zh.png' });

    // English
    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => page.getByTestId('ops-panel').textContent()).toContain('City at a glance');
    expect(await page.getByTestId('ops-panel').textContent()).not.toContain('运行态势');
    expect(await page.getByTestId('layer-switcher').textContent()).toContain('Sensors (live)');
    expect(await page.locator('.ops-attribution').textContent()).toContain('OpenStreetMap contributors');
    if (shots) {
      await page.locator('.ant-drawer-close').click();
      await page.evaluate(async () => {
        const map = (window as unknown as { __opsMap: import('maplibre-gl').Map }).__opsMap;
        map.jumpTo({ center: [1.53, 42.51], zoom: 12.5 });
        await new Promise<void>((resolve) => map.once('idle', () => resolve()));
      });
      await page.screenshot({ path: 'docs/screenshots/ops-centre-en.png' });
    }
    await page.close();
  }, 120_000);
});
