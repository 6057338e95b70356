/**
 * Web benchmark (`npm run bench:web -- --runs 3 --seconds 10`): serves the
 * production build (web/dist) from an in-process CityOps demo city whose
 * simulator streams its 2,000+ sensors every second, and drives Debian's
 * Chromium (playwright-core, headless, software GL) on loopback:
 *  - first load of /ops: navigation start → the map has loaded and drawn the
 *    sensors (the screen's performance mark "ops-sensors-drawn"), target < 3 s;
 *    baseline: the login page's load (app shell, no map) in the same run; the
 *    phases (script loaded, map created, map loaded, data in, drawn) are printed
 *    from the screen's performance marks;
 *  - frame rate while the sensors update: requestAnimationFrame counted in the
 *    page for --seconds, with the whole city in view and zoomed in
 *    (streets and single sensors), target ≥ 30 fps; baseline: the same count on the
 *    login page.
 * `--dist DIR` serves the web app's files from DIR instead of web/dist (the
 * browser's requests for anything but the API are answered from DIR), so two
 * builds can be compared; `--compare DIR2` measures a second build too, each
 * run alternating between the two on the same demo city, and reports the ratio
 * (e.g. a copy of web/dist from before a change).
 * Figures are medians over --runs. Last line: one JSON object with the figures.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEFAULT_OSM_FILE, loadConfig } from '../src/config.js';
import { createCityOps } from '../src/main.js';
import { systemClock } from '../src/platform/clock.js';
import { CHROMIUM_PATH } from '../src/platform/testing/services.js';

const { values: a } = parseArgs({ options: { runs: { type: 'string', default: '3' }, seconds: { type: 'string', default: '10' }, dist: { type: 'string' }, compare: { type: 'string' } } });
const RUNS = Number(a.runs);
const SECONDS = Number(a.seconds);
const TARGET = { loadMs: 3000, fps: 30 };
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DIST = a.dist ? path.resolve(a.dist) : null;
const COMPARE = a.compare ? path.resolve(a.compare) : null;
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

/** Milliseconds from navigation start to each phase of the first load (the screen's performance marks). */
const PHASES = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? null;
  const fetched = (part) => performance.getEntriesByType('resource').find((e) => e.name.includes(part))?.responseEnd ?? null;
  return { html: nav?.responseEnd ?? null, domReady: nav?.domContentLoadedEventEnd ?? null, mapCreate: mark('ops-map-create'), mapStyle: mark('ops-map-style'), mapLoad: mark('ops-map-load'),
    roadsFetched: fetched('/api/v1/roads/geojson'), roadsData: mark('ops-roads-data'), sensorsData: mark('ops-sensors-data'), drawn: mark('ops-sensors-drawn') };
})()`;

interface Frames { fps: number; longestFrameMs: number; readings: number; elapsedMs: number }

function countFrames(page: Page, seconds: number): Promise<Frames> {
  return page.evaluate(`${COUNT_FRAMES}(${seconds * 1000})`);
}

/** A browser context whose app files come from --dist when given (API calls still go to the city). */
async function newContext(browser: Browser, dist: string | null): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  if (dist) {
    await ctx.route((u) => !/^\/(api|open311|docs|console)(\/|$)/.test(u.pathname), (route) => {
      const rel = decodeURIComponent(new URL(route.request().url()).pathname).replace(/^\/+/, '');
      const file = path.join(dist, rel);
      return route.fulfill({ path: rel && file.startsWith(dist) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(dist, 'index.html') });
    });
  }
  return ctx;
}

async function main() {
  if (!fs.existsSync(path.join(DIST ?? path.join(ROOT, 'web/dist'), 'index.html'))) throw new Error('web/dist is missing: run `npm run build:web` first');
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

    // One entry per build measured: this tree's web/dist (or --dist) and, with --compare, another build; their runs
    // alternate so that both meet the same machine load.
    const builds = [{ label: DIST ? path.relative(ROOT, DIST) || DIST : 'web/dist', dist: DIST }, ...(COMPARE ? [{ label: `${COMPARE} (compare)`, dist: COMPARE }] : [])];
    const figures = builds.map(() => ({ loads: [] as number[], whole: [] as Frames[], zoomed: [] as Frames[] }));
    const baselineLoads: number[] = [];
    const baselineFps: number[] = [];
    let sensors = 0;
    for (let run = 1; run <= RUNS; run++) {
      // Fresh contexts each run: cold HTTP cache, as a first visit.
      const shell = await newContext(browser, DIST);
      const login = await shell.newPage();
      await login.goto(`${url}/login`, { waitUntil: 'load' });
      baselineLoads.push(await login.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd));
      await shell.close();
      for (const [i, b] of builds.entries()) {
        const ctx = await newContext(browser, b.dist);
        await ctx.addInitScript((tok) => sessionStorage.setItem('cityops.token', tok), token);
        const page = await ctx.newPage();
        await page.goto(`${url}/ops`);
        await page.waitForFunction(() => performance.getEntriesByName('ops-sensors-drawn').length > 0, undefined, { timeout: 60_000, polling: 50 });
        const ms = await page.evaluate(() => performance.getEntriesByName('ops-sensors-drawn')[0]!.startTime);
        const phases = await page.evaluate<Record<string, number | null>>(PHASES);
        sensors = await page.evaluate(() => Number(document.querySelector<HTMLElement>('[data-testid="ops-map"]')?.dataset.sensors ?? 0));
        figures[i]!.loads.push(ms);
        console.log(`run ${run} [${b.label}]: /ops loaded with ${sensors} sensors drawn in ${round(ms)} ms (login page ${round(baselineLoads.at(-1)!)} ms); phases (ms): `
          + Object.entries(phases).map(([k, v]) => `${k} ${v === null ? '–' : Math.round(v)}`).join(', '));
        await ctx.close();
      }
    }

    // Frame rate: one page per build and run, after its first load, while the simulator streams.
    for (let run = 1; run <= RUNS; run++) {
      for (const [i, b] of builds.entries()) {
        const ctx = await newContext(browser, b.dist);
        await ctx.addInitScript((tok) => sessionStorage.setItem('cityops.token', tok), token);
        const page = await ctx.newPage();
        if (i === 0) {
          await page.goto(`${url}/login`, { waitUntil: 'load' });
          baselineFps.push((await countFrames(page, Math.min(5, SECONDS))).fps);
        }
        await page.goto(`${url}/ops`);
        await page.waitForFunction(() => performance.getEntriesByName('ops-sensors-drawn').length > 0, undefined, { timeout: 60_000, polling: 50 });
        const whole = await countFrames(page, SECONDS);
        await page.evaluate(async () => {
          const map = (window as unknown as { __opsMap: import('maplibre-gl').Map }).__opsMap;
          map.jumpTo({ center: map.getCenter(), zoom: 14 });
          await new Promise<void>((resolve) => map.once('idle', () => resolve()));
        });
        const zoomed = await countFrames(page, SECONDS);
        const onScreen = await page.evaluate(() => (window as unknown as { __opsMap: import('maplibre-gl').Map }).__opsMap.queryRenderedFeatures({ layers: ['sensors'] }).length);
        figures[i]!.whole.push(whole);
        figures[i]!.zoomed.push(zoomed);
        console.log(`run ${run} [${b.label}]: whole city ${round(whole.fps)} fps (longest frame ${round(whole.longestFrameMs)} ms, ${round(whole.readings / (whole.elapsedMs / 1000))} readings/s applied); `
          + `zoomed in (${onScreen} sensors on screen) ${round(zoomed.fps)} fps (longest frame ${round(zoomed.longestFrameMs)} ms)`);
        await ctx.close();
      }
    }

    const baselineLoadMs = median(baselineLoads);
    const baseFps = median(baselineFps);
    console.log(`baseline (login page): load ${round(baselineLoadMs)} ms, ${round(baseFps)} fps`);
    const results = builds.map((b, i) => {
      const f = figures[i]!;
      const loadMs = median(f.loads);
      const fpsWhole = median(f.whole.map((x) => x.fps));
      const fpsZoomed = median(f.zoomed.map((x) => x.fps));
      const fps = Math.min(fpsWhole, fpsZoomed);
      console.log(`[${b.label}] first load of /ops: median ${round(loadMs)} ms (target < ${TARGET.loadMs} ms) = ${round(loadMs / baselineLoadMs, 2)}× the login page's ${round(baselineLoadMs)} ms`);
      console.log(`[${b.label}] frame rate while ${sensors} sensors update: ${round(fps)} fps (target ≥ ${TARGET.fps}) = ${round(fps / baseFps, 2)}× the login page's ${round(baseFps)} fps`);
      return {
        build: b.label, loadMs: round(loadMs), loadsMs: f.loads.map((x) => round(x)), loadRatio: round(loadMs / baselineLoadMs, 2),
        fps: round(fps), fpsWhole: round(fpsWhole), fpsZoomed: round(fpsZoomed), fpsRatio: round(fps / baseFps, 2),
        longestFrameMs: round(Math.max(...f.whole.map((x) => x.longestFrameMs), ...f.zoomed.map((x) => x.longestFrameMs))),
        readingsPerS: round(median(f.whole.map((x) => x.readings / (x.elapsedMs / 1000)))),
        pass: loadMs < TARGET.loadMs && fps >= TARGET.fps,
      };
    });
    const [main, other] = results as [(typeof results)[number], (typeof results)[number] | undefined];
    if (other) console.log(`against ${other.build}: first load ${round(main.loadMs / other.loadMs, 2)}×, frame rate ${round(main.fps / other.fps, 2)}×`);
    console.log(JSON.stringify({
      bench: 'web', runs: RUNS, seconds: SECONDS, sensors, ...main, baselineLoadMs: round(baselineLoadMs), baselineFps: round(baseFps), target: TARGET,
      ...(other ? { compare: other, loadSpeedup: round(other.loadMs / main.loadMs, 2), fpsSpeedup: round(main.fps / other.fps, 2) } : {}),
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
