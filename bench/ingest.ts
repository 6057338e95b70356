/**
 * Ingestion benchmark (`npm run bench:ingest -- --duration 60 --sensors 10000`):
 * starts `cityops serve` as a child process on a fresh SQLite store (no
 * simulator), registers sensors and an API key, then drives it from a
 * SEPARATE load process over loopback — HTTP batches, then MQTT through the
 * local Mosquitto — while sampling the server's CPU and RSS from /proc.
 * Prints a summary, ratios against a naive baseline and the seeds' figure,
 * and as its last line one JSON object with the figures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createCityOps } from '../src/main.js';
import type { SensorClass, SensorInput } from '../src/modules/sensing/types.js';
import { naiveInsertsPerSecond } from './naive.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SEEDS_TARGET = 100_000;
// Classes for which values 0..100 are plausible (the HTTP load sends 20..50, the MQTT load 0..100).
const CLASSES: SensorClass[] = ['traffic', 'air_quality', 'rainfall', 'pipe', 'energy', 'parking', 'smoke'];

const { values: a } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    sensors: { type: 'string', default: '10000' },
    'mqtt-duration': { type: 'string' },
    connections: { type: 'string', default: '4' },
    batch: { type: 'string', default: '5000' },
    ts: { type: 'string', default: 'iso' },
    mqtt: { type: 'boolean', default: true },
    keep: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
  allowNegative: true,
});
const duration = Number(a.duration);
const sensors = Number(a.sensors);
const mqttDuration = Number(a['mqtt-duration'] ?? Math.max(10, Math.round(duration / 3)));
const log = (s: string) => process.stderr.write(`${s}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function prepare(dataDir: string) {
  const city = await createCityOps(loadConfig({}, { dataDir, logLevel: 'warn' }));
  try {
    const { key } = await city.services.auth.createApiKey({ name: 'bench load', roles: ['device'] }, 'bench');
    await city.services.auth.createUser({ username: 'bench', password: 'bench-password-1', roles: ['dispatcher'] }, 'bench');
    const list: SensorInput[] = Array.from({ length: sensors }, (_, i) => ({
      id: `b-${i}`,
      name: `Bench sensor ${i}`,
      class: CLASSES[i % CLASSES.length]!,
      location: { type: 'Point', coordinates: [1.42 + (i % 100) * 0.003, 42.45 + Math.floor(i / 100) * 0.001] },
    }));
    for (let i = 0; i < list.length; i += 5000) await city.services.sensing.upsertSensors(list.slice(i, i + 5000), 'bench');
    return key;
  } finally {
    await city.close();
  }
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become ready in 60 s');
}

/** Samples a process's CPU time and RSS from /proc every second. */
function sampler(pid: number) {
  const samples: Array<{ at: number; cpuS: number; rssMb: number }> = [];
  const read = () => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpuS = (Number(f[11]) + Number(f[12])) / 100; // utime + stime, clock ticks of 1/100 s
      const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      samples.push({ at: Date.now(), cpuS, rssMb: rss ? Number(rss[1]) / 1024 : 0 });
    } catch {
      // the process ended
    }
  };
  read();
  const t = setInterval(read, 1000);
  return {
    samples,
    now: () => (read(), samples[samples.length - 1]!),
    stop: () => clearInterval(t),
  };
}

function runLoad(args: string[]): Promise<Record<string, number | string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/ingest-load.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as Record<string, number | string>);
      } catch {
        reject(new Error(`load process exited with ${code}: ${out.slice(-500)}`));
      }
    });
  });
}

async function timeLatest(url: string): Promise<{ ms: number; count: number }> {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench-password-1' }) });
  const { token } = (await login.json()) as { token: string };
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const res = await fetch(`${url}/api/v1/latest`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    times.push(performance.now() - t);
    count = (JSON.parse(text) as { count: number }).count;
  }
  times.sort((x, y) => x - y);
  return { ms: Math.round(times[3]! * 10) / 10, count };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-bench-'));
log(`bench:ingest — ${sensors} sensors, HTTP ${duration} s (batches of ${a.batch}, ${a.connections} connections), MQTT ${a.mqtt ? `${mqttDuration} s` : 'off'}; data in ${dataDir}`);
const key = await prepare(dataDir);
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const topicRoot = `cityops-bench/${process.pid}`;
const profileArgs = a.profile ? ['--cpu-prof', '--cpu-prof-dir', path.join(ROOT, '.bench/profiles')] : [];
const server = spawn(process.execPath, [...profileArgs, path.join(ROOT, 'bin/cityops.js'), 'serve', '--data-dir', dataDir, '--port', String(port), '--log-level', 'warn'], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, MQTT_URL: a.mqtt ? 'mqtt://127.0.0.1:1883' : '', MQTT_TOPIC: `${topicRoot}/#`, CITYOPS_SIM_RATE: '0' },
});
const stopServer = async () => {
  if (server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (server.exitCode === null) server.kill('SIGKILL');
};
process.on('SIGINT', () => void stopServer().then(() => process.exit(130)));

try {
  await waitHealthy(url, server);
  const proc = sampler(server.pid!);
  log('server ready; HTTP load…');
  const warmup = 3;
  const httpStart = Date.now();
  const loadArgs = ['--url', url, '--key', key, '--sensors', String(sensors), '--connections', a.connections!, '--batch', a.batch!, '--ts', a.ts!];
  const httpRun = runLoad(['--mode', 'http', '--duration', String(duration), '--warmup', String(warmup), ...loadArgs]);
  await new Promise((r) => setTimeout(r, warmup * 1000));
  const cpuFrom = proc.now();
  const http = await httpRun;
  const cpuTo = proc.now();
  const httpSamples = proc.samples.filter((s) => s.at >= httpStart);
  const early = httpSamples.find((s) => s.at >= httpStart + (warmup + Math.min(10, duration / 4)) * 1000) ?? httpSamples[0]!;
  const rssGrowth = cpuTo.rssMb - early.rssMb;
  const cpuPct = (100 * (cpuTo.cpuS - cpuFrom.cpuS)) / ((cpuTo.at - cpuFrom.at) / 1000);

  const latest = await timeLatest(url);
  log(`latest values of ${latest.count} sensors: ${latest.ms} ms`);

  let mqtt: Record<string, number | string> | null = null;
  let mqttNote = 'off (--no-mqtt)';
  if (a.mqtt) {
    log('MQTT load…');
    try {
      mqtt = await runLoad(['--mode', 'mqtt', '--duration', String(mqttDuration), '--mqtt-topic', `${topicRoot}/load`, ...loadArgs]);
      mqttNote = `${mqtt.acknowledged} readings acknowledged`;
      if (!mqtt.acknowledged) mqtt = null;
    } catch (err) {
      mqttNote = `failed: ${String(err)}`;
    }
  }
  const end = proc.now();
  proc.stop();
  const peakRss = Math.max(...proc.samples.map((s) => s.rssMb));
  await stopServer();

  log('naive baseline (one autocommitted INSERT per reading, same schema, this process)…');
  const naive = await naiveInsertsPerSecond(path.join(dataDir, 'naive.db'), sensors, 3000);

  const httpRate = Number(http.readings_per_s);
  const r1 = (n: number) => Math.round(n * 10) / 10;
  const lines = [
    '',
    'CityOps ingestion benchmark',
    `  machine:             ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, SQLite store`,
    `  HTTP:                ${httpRate.toLocaleString('en')} readings/s sustained over ${duration} s (${http.requests} batches, ${http.busy_503} busy answers, ${http.errors} errors, ${http.rejected} rejected)`,
    `  HTTP ack latency:    p50 ${http.p50_ack_ms} ms, p99 ${http.p99_ack_ms} ms, max ${http.max_ack_ms} ms`,
    `  MQTT:                ${mqtt ? `${Number(mqtt.readings_per_s).toLocaleString('en')} readings/s over ${mqttDuration} s, ack p50 ${mqtt.p50_ack_ms} ms, p99 ${mqtt.p99_ack_ms} ms` : `n/a — ${mqttNote}`}`,
    `  server CPU (HTTP):   ${r1(cpuPct)} % of one core`,
    `  server RSS:          peak ${r1(peakRss)} MB, growth during HTTP load ${r1(rssGrowth)} MB, at end ${r1(end.rssMb)} MB`,
    `  latest (${latest.count} sensors): ${latest.ms} ms (median of 7 GET /api/v1/latest, over HTTP)`,
    `  baseline:            ${r1(httpRate / SEEDS_TARGET)}× the seeds' 100,000/s; ${r1(httpRate / naive)}× a naive single-row autocommit insert (${naive.toLocaleString('en')}/s)`,
    '',
  ];
  process.stderr.write(lines.join('\n'));
  const result = {
    bench: 'ingest',
    http_readings_per_s: httpRate,
    mqtt_readings_per_s: mqtt ? Number(mqtt.readings_per_s) : null,
    p50_ack_ms: Number(http.p50_ack_ms),
    p99_ack_ms: Number(http.p99_ack_ms),
    mqtt_p99_ack_ms: mqtt ? Number(mqtt.p99_ack_ms) : null,
    peak_rss_mb: r1(peakRss),
    rss_growth_mb: r1(rssGrowth),
    cpu_pct: r1(cpuPct),
    latest_10k_ms: latest.ms,
    latest_sensors: latest.count,
    naive_readings_per_s: naive,
    ratio_vs_seeds: r1(httpRate / SEEDS_TARGET),
    duration_s: duration,
    sensors,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await stopServer();
  if (!a.keep) fs.rmSync(dataDir, { recursive: true, force: true });
}
