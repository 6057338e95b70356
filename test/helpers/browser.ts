/**
 * Shared pieces of the browser (e2e) tests: the demo city served over HTTP
 * with the built web app, Debian's Chromium through playwright-core, and
 * axe-core's serious and critical findings on a page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEFAULT_OSM_FILE } from '../../src/config.js';
import { systemClock } from '../../src/platform/clock.js';
import { CHROMIUM_PATH } from '../../src/platform/testing/services.js';
import { startTestCity, type TestCity } from './city.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const DIST_INDEX = path.join(ROOT, 'web/dist/index.html');
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

/** The demo city on the real clock, listening, with the web app built; simRate 0 builds it without streaming readings. */
export async function startBrowserCity(opts: { simRate?: number; stream?: boolean } = {}): Promise<{ city: TestCity; base: string }> {
  if (!fs.existsSync(DIST_INDEX)) throw new Error('web/dist/index.html is missing: run `npm run build:web` before the browser tests');
  const city = await startTestCity({ clock: systemClock, config: { demo: true, osmFile: DEFAULT_OSM_FILE, simRate: opts.simRate ?? 1 } });
  await city.start();
  await city.services.sim.buildDemoCity();
  const base = await city.listen();
  if (opts.stream) city.services.sim.start();
  return { city, base };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** axe-core on the whole page; returns the serious and critical violations (empty when the page is fine). */
export async function axeViolations(page: Page, extraRules: string[] = []): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async (extra) => {
    const w = window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[]; failureSummary?: string }> }> }> } };
    const rules = Object.fromEntries(extra.map((r) => [r, { enabled: true }]));
    const res = await w.axe.run(document, { rules });
    return res.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${(n.failureSummary ?? '').split('\n')[1]?.trim() ?? ''}`).join(' | ')}`);
  }, extraRules);
}
