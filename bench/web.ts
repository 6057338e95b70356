/**
 * Web benchmark (`npm run bench:web -- --runs 3 --seconds 10`): serves the
 * production build (web/dist) from an in-process CityOps demo city whose
 * simulator streams its 2,000+ sensors every second, and drives Debian's
 * Chromium (playwright-core, headless, software GL) on loopback:
 *  - first load of /ops: navigation start → the map has loaded and drawn the
 *    sensors (the screen's performance mark "ops-sensors-drawn"), target < 3 s;
 *    baseline: the login page's load (app shell, no map) in the same run;
 *  - frame rate while the sensors update: requestAnimationFrame counted in the
 *    page for --seconds, with the whole city in view (clusters) and zoomed in
 *    (individual sensors), target ≥ 30 fps; baseline: the same count on the
 *    login page.
 * Last line: one JSON object with the figures.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { DEFAULT_OSM_FILE, loadConfig } from '../src/config.js';
import { createCityOps } from '../src/main.js';
import { systemClock } from '../src/platform/clock.js';
import { CHROMIUM_PATH } from '../src/platform/testing/services.js';

const { values: a } = parseArgs({ options: { runs: { type: 'string', default: '3' }, seconds: { type: 'string', default: '10' } } });
const RUNS = Number(a.runs);
const SECONDS = Number(a.seconds);
const TARGET = { loadMs: 3000, fps: 30 };
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Frames counted with requestAnimationFrame over `seconds`, and the sensor readings the map applied meanwhile. */
// A string, not a function: tsx would wrap the page-side helpers in its own __name(), unknown in the browser.
const COUNT_FRAMES = `(async (ms) => {
  const el = document.querySelector('[data-testid="ops-map"]');
  const readings0 = Number(el?.dataset.readings ?? 0);
  let frames = 0, longest = 0, last = performance.now();
  const start = last;
  await new Promise((resolve) => {
    const tick = (now) => {
      frames++;
      longest = Math.max(longest, now - last);
      last = now;
      if (now - start < ms) requestAnimationFrame(tick); else resolve();
    };
    requestAnimationFrame(tick);
  });
  const elapsed = performance.now() - start;
  return { fps: (frames * 1000) / elapsed, longestFrameMs: longest, readings: Number(el?.dataset.readings ?? 0) - readings0, elapsedMs: elapsed };
})`;

function countFrames(page: Page, seconds: number): Promise<{ fps: number; longestFrameMs: number; readings: number; elapsedMs: number }> {
  return page.evaluate(`${COUNT_FRAMES}(${seconds * 1000})`);
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is missing: run `npm run build:web` first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-bench-web-'));
  const base = loadConfig({}, { dataDir, port: 0, logLevel: 'silent' });
  const city = await createCityOps({ ...base, demo: true, osmFile: DEFAULT_OSM_FILE, simRate: 1, jwtSecret: crypto.randomBytes(24).toString('hex') }, { clock: systemClock });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    await city.start();
    const t0 = performance.now();
    await city.services.sim.buildDemoCity();
    const url = await city.listen();
    city.services.sim.start();
    console.log(`demo city built in ${round((performance.now() - t0) / 1000)} s, serving ${url}`);
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher', password: 'demo-dispatcher-2026' }) });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const { token } = (await login.json()) as { token: string };

    const loads: number[] = [];
    const baselineLoads: number[] = [];
    let sensors = 0;
    for (let run = 1; run <= RUNS; run++) {
      // Fresh contexts each run: cold HTTP cache, as a first visit.
      const shell = await browser.newContext({ viewport: { width: 1600, height: 900 } });
      const login = await shell.newPage();
      await login.goto(`${url}/login`, { waitUntil: 'load' });
      baselineLoads.push(await login.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd));
      await shell.close();
      const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
      await ctx.addInitScript((tok) => sessionStorage.setItem('cityops.token', tok), token);
      const page = await ctx.newPage();
      await page.goto(`${url}/ops`);
      await page.waitForFunction(() => performance.getEntriesByName('ops-sensors-drawn').length > 0, undefined, { timeout: 60_000, polling: 50 });
      const ms = await page.evaluate(() => performance.getEntriesByName('ops-sensors-drawn')[0]!.startTime);
      sensors = await page.evaluate(() => Number(document.querySelector<HTMLElement>('[data-testid="ops-map"]')?.dataset.sensors ?? 0));
      loads.push(ms);
      console.log(`run ${run}: /ops loaded with ${sensors} sensors drawn in ${round(ms)} ms (login page ${round(baselineLoads.at(-1)!)} ms)`);
      await ctx.close();
    }

    // Frame rate: one page, after the first load, while the simulator streams.
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    await ctx.addInitScript((tok) => sessionStorage.setItem('cityops.token', tok), token);
    const page = await ctx.newPage();
    await page.goto(`${url}/login`, { waitUntil: 'load' });
    const baselineFps = await countFrames(page, Math.min(5, SECONDS));
    await page.goto(`${url}/ops`);
    await page.waitForFunction(() => performance.getEntriesByName('ops-sensors-drawn').length > 0, undefined, { timeout: 60_000 });
    const whole = await countFrames(page, SECONDS);
    console.log(`whole city (clusters): ${round(whole.fps)} fps, longest frame ${round(whole.longestFrameMs)} ms, ${whole.readings} readings applied (${round(whole.readings / (whole.elapsedMs / 1000))}/s)`);
    await page.evaluate(async () => {
      const map = (window as unknown as { __opsMap: import('maplibre-gl').Map }).__opsMap;
      map.jumpTo({ center: map.getCenter(), zoom: 14 });
      await new Promise<void>((resolve) => map.once('idle', () => resolve()));
    });
    const zoomed = await countFrames(page, SECONDS);
    const onScreen = await page.evaluate(() => (window as unknown as { __opsMap: import('maplibre-gl').Map }).__opsMap.queryRenderedFeatures({ layers: ['sensors'] }).length);
    console.log(`zoomed in (${onScreen} single sensors on screen): ${round(zoomed.fps)} fps, longest frame ${round(zoomed.longestFrameMs)} ms, ${zoomed.readings} readings applied`);
    console.log(`baseline (login page): ${round(baselineFps.fps)} fps`);
    await ctx.close();

    const loadMs = median(loads);
    const baselineLoadMs = median(baselineLoads);
    const fps = Math.min(whole.fps, zoomed.fps);
    console.log(`first load of /ops: median ${round(loadMs)} ms (target < ${TARGET.loadMs} ms) = ${round(loadMs / baselineLoadMs, 2)}× the login page's ${round(baselineLoadMs)} ms`);
    console.log(`frame rate while ${sensors} sensors update: ${round(fps)} fps (target ≥ ${TARGET.fps}) = ${round(fps / baselineFps.fps, 2)}× the login page's ${round(baselineFps.fps)} fps`);
    console.log(JSON.stringify({
      bench: 'web', runs: RUNS, sensors, loadMs: round(loadMs), loadsMs: loads.map((x) => round(x)), baselineLoadMs: round(baselineLoadMs), loadRatio: round(loadMs / baselineLoadMs, 2),
      fps: round(fps), fpsWhole: round(whole.fps), fpsZoomed: round(zoomed.fps), baselineFps: round(baselineFps.fps), fpsRatio: round(fps / baselineFps.fps, 2),
      longestFrameMs: round(Math.max(whole.longestFrameMs, zoomed.longestFrameMs)), readingsPerS: round(whole.readings / (whole.elapsedMs / 1000)),
      target: TARGET, pass: loadMs < TARGET.loadMs && fps >= TARGET.fps,
    }));
  } finally {
    await browser.close();
    await city.services.sim.stop();
    await city.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
