/**
 * Durability under a crash (issue 2, "Reliability"): the real server runs as a
 * child process on a SQLite store; HTTP batches stream in from several
 * senders; the server is killed with SIGKILL mid-load and restarted. Every
 * acknowledged reading must be stored, none twice; re-sending the batches
 * that were not acknowledged stores the missing readings and duplicates
 * nothing; rollups agree with the raw rows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createCityOps } from '../src/main.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SENSORS = 100;
const TS_PER_BATCH = 10; // each batch: every sensor at 10 timestamps of its own
const SENDERS = 4;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/cityops.js'), 'serve', '--data-dir', dataDir, '--port', String(port), '--log-level', 'error'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_URL: '', NATS_URL: '', MQTT_URL: '', CITYOPS_DEMO: '' },
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 45_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server not ready after 45 s');
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

describe('ingestion under SIGKILL', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-crash-'));
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every acknowledged reading exactly once, and re-sent batches fill the gaps without duplicates', async () => {
    const city = await createCityOps(loadConfig({}, { dataDir, logLevel: 'silent' }));
    const { key } = await city.services.auth.createApiKey({ name: 'crash-test', roles: ['device'] }, 'test');
    await city.services.auth.createUser({ username: 'reader', password: 'reader-password-1', roles: ['dispatcher'] }, 'test');
    await city.services.sensing.upsertSensors(
      Array.from({ length: SENSORS }, (_, i) => ({ id: `c-${i}`, name: `Crash ${i}`, class: 'water_level' as const, location: { type: 'Point' as const, coordinates: [1.5 + i / 1000, 42.5] as [number, number] } })),
      'test',
    );
    await city.close();

    const base = Date.now() - 30 * 60_000;
    const batchBody = (b: number) => {
      const rows: string[] = [];
      for (let j = 0; j < TS_PER_BATCH; j++) {
        const ts = new Date(base + b * TS_PER_BATCH + j).toISOString();
        for (let s = 0; s < SENSORS; s++) rows.push(`{"sensor":"c-${s}","ts":"${ts}","value":${((b + j + s) % 40) + 0.5}}`);
      }
      return `[${rows.join(',')}]`;
    };
    const post = (url: string, b: number) =>
      fetch(`${url}/api/v1/readings`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: batchBody(b) });

    // Load, then SIGKILL while batches are in flight.
    const first = await startServer(dataDir);
    children.push(first.child);
    const acked = new Set<number>();
    const unacked = new Set<number>();
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (!killed) {
        const b = next++;
        try {
          const res = await post(first.url, b);
          if (res.status === 200) {
            const body = (await res.json()) as { accepted: number; duplicates: number };
            expect(body.accepted + body.duplicates).toBe(SENSORS * TS_PER_BATCH);
            acked.add(b);
          } else {
            unacked.add(b);
          }
        } catch {
          unacked.add(b);
        }
      }
    };
    const senders = Array.from({ length: SENDERS }, sender);
    const started = Date.now();
    while (acked.size < 40 && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(senders);
    await exited(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(40);
    expect(unacked.size).toBeGreaterThan(0); // some were in flight when it died
    expect(acked.size + unacked.size).toBe(next);

    // Restart on the same store and read everything back through the API.
    const second = await startServer(dataDir);
    children.push(second.child);
    const login = await fetch(`${second.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'reader', password: 'reader-password-1' }) });
    const { token } = (await login.json()) as { token: string };
    const from = base;
    const to = base + next * TS_PER_BATCH;
    const stored = async (sensor: number, step = 'raw') => {
      const res = await fetch(`${second.url}/api/v1/readings?sensor=c-${sensor}&from=${from}&to=${to}&step=${step}&limit=100000`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { points: Array<{ ts: string; value?: number; count?: number }> }).points;
    };
    const batchOf = (iso: string) => Math.floor((Date.parse(iso) - base) / TS_PER_BATCH);

    for (let s = 0; s < SENSORS; s += 9) {
      const points = await stored(s);
      const ts = points.map((p) => p.ts);
      expect(new Set(ts).size, `sensor c-${s}: a reading stored twice`).toBe(ts.length);
      const perBatch = new Map<number, number>();
      for (const t of ts) perBatch.set(batchOf(t), (perBatch.get(batchOf(t)) ?? 0) + 1);
      for (const b of acked) expect(perBatch.get(b), `sensor c-${s}: acknowledged batch ${b} incomplete`).toBe(TS_PER_BATCH);
      // A batch is stored whole or not at all (one transaction), acknowledged or not.
      for (const n of perBatch.values()) expect(n).toBe(TS_PER_BATCH);
    }

    // Re-send what was not acknowledged: stored now or recognised as duplicates.
    let duplicates = 0;
    for (const b of unacked) {
      const res = await post(second.url, b);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { accepted: number; duplicates: number };
      expect(body.accepted + body.duplicates).toBe(SENSORS * TS_PER_BATCH);
      expect([0, SENSORS * TS_PER_BATCH]).toContain(body.duplicates);
      duplicates += body.duplicates;
    }
    for (const s of [0, 37, SENSORS - 1]) {
      const points = await stored(s);
      expect(points.length).toBe(next * TS_PER_BATCH);
      expect(new Set(points.map((p) => p.ts)).size).toBe(next * TS_PER_BATCH);
      const minutes = await stored(s, '1m');
      expect(minutes.reduce((n, p) => n + (p.count ?? 0), 0)).toBe(next * TS_PER_BATCH);
    }
    process.stderr.write(`crash test: ${next} batches, ${acked.size} acknowledged before SIGKILL, ${unacked.size} not (of which ${duplicates / (SENSORS * TS_PER_BATCH)} had been stored anyway)\n`);

    second.child.kill('SIGTERM');
    await exited(second.child);
    expect(second.child.exitCode).toBe(0);
  }, 120_000);
});
