/**
 * Test support: where the local services live, and a gate that skips a suite
 * whose service is unreachable on a developer's laptop but fails it in CI
 * (CI=true), so CI always runs everything.
 */
import net from 'node:net';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const TEST_MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

const IN_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

function reachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port) || ({ 'postgres:': 5432, 'postgresql:': 5432, 'nats:': 4222, 'mqtt:': 1883 } as Record<string, number>)[u.protocol] || 0;
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** True when the service answers. Unreachable: false with a message (laptop), or throws (CI). */
export async function serviceAvailable(name: string, url: string): Promise<boolean> {
  if (await reachable(url)) return true;
  const msg = `${name} is not reachable at ${url}`;
  if (IN_CI) throw new Error(`${msg}; CI must run every test (start it, see .ci/run)`);
  console.warn(`SKIPPED: ${msg} — tests that need it are skipped on this machine`);
  return false;
}

/** A unique lowercase name for isolating a test's PostgreSQL schema or NATS stream. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when Debian's Chromium is installed for browser tests; skips on a laptop without it, fails in CI. */
export async function browserAvailable(): Promise<boolean> {
  const { existsSync } = await import('node:fs');
  if (existsSync(CHROMIUM_PATH)) return true;
  const msg = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (IN_CI) throw new Error(`${msg}; CI must run the browser tests`);
  console.warn(`SKIPPED: ${msg} — browser tests are skipped on this machine`);
  return false;
}
