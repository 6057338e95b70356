/**
 * Load process of the ingestion benchmark (bench/ingest.ts starts it as a
 * separate process so the load's CPU is not the server's): drives
 * POST /api/v1/readings over keep-alive connections, each waiting for its
 * acknowledgement before sending the next batch (closed loop), or publishes
 * over MQTT. Prints progress to stderr and one JSON result line to stdout.
 *
 *   tsx bench/ingest-load.ts --mode http --url http://127.0.0.1:8080 --key co_… --sensors 10000 --duration 60
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { runMqttLoad } from '../src/modules/sensing/live/mqtt-load.js';

const { values: a } = parseArgs({
  options: {
    mode: { type: 'string', default: 'http' },
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    key: { type: 'string', default: '' },
    prefix: { type: 'string', default: 'b-' },
    sensors: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '4' },
    batch: { type: 'string', default: '5000' },
    ts: { type: 'string', default: 'iso' },
    'mqtt-url': { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    'mqtt-topic': { type: 'string', default: 'cityops/readings/bench' },
  },
});

const sensors = Number(a.sensors);
const durationMs = Number(a.duration) * 1000;
const warmupMs = Number(a.warmup) * 1000;
const connections = Number(a.connections);
const batchSize = Number(a.batch);
const ids = Array.from({ length: sensors }, (_, i) => `${a.prefix}${i}`);

export interface LoadResult {
  mode: string;
  readings_per_s: number;
  acknowledged: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  requests: number;
  busy_503: number;
  errors: number;
  p50_ack_ms: number;
  p99_ack_ms: number;
  max_ack_ms: number;
  elapsed_s: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
}

/** Batches as JSON text: each pass over the sensors uses one new timestamp, so (sensor, ts) never repeats. */
function batchMaker(useIso: boolean) {
  const heads = ids.map((id) => `{"sensor":${JSON.stringify(id)},"ts":`);
  // Values 20..50 are plausible for every class the benchmark registers; a pool keeps the load process cheap.
  const values = Array.from({ length: 997 }, () => `,"value":${(20 + Math.random() * 30).toFixed(2)}}`);
  let v = 0;
  let cursor = 0;
  let passTs = 0;
  let tsText = '';
  return (): string => {
    const parts: string[] = new Array<string>(batchSize);
    for (let i = 0; i < batchSize; i++) {
      if (cursor === 0) {
        passTs = Math.max(Date.now(), passTs + 1);
        tsText = useIso ? `"${new Date(passTs).toISOString()}"` : String(passTs);
      }
      parts[i] = heads[cursor] + tsText + values[v]!;
      v = v === 996 ? 0 : v + 1;
      cursor = (cursor + 1) % sensors;
    }
    return `[${parts.join(',')}]`;
  };
}

async function runHttp(): Promise<LoadResult> {
  const url = new URL('/api/v1/readings', a.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const next = batchMaker(a.ts !== 'epoch');
  const latencies: number[] = [];
  const t = { acknowledged: 0, accepted: 0, duplicates: 0, rejected: 0, requests: 0, busy: 0, errors: 0, measured: 0 };
  const started = Date.now();
  const measureFrom = started + warmupMs;
  const deadline = started + warmupMs + durationMs;

  const send = (body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-api-key': a.key, 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  const loop = async () => {
    while (Date.now() < deadline) {
      const body = next();
      const at = Date.now();
      t.requests++;
      try {
        const res = await send(body);
        const done = Date.now();
        if (res.status === 200 || res.status === 207) {
          const r = JSON.parse(res.text) as { accepted: number; duplicates: number; rejected: unknown[] };
          t.acknowledged += r.accepted + r.duplicates;
          t.accepted += r.accepted;
          t.duplicates += r.duplicates;
          t.rejected += r.rejected.length;
          if (at >= measureFrom && done <= deadline) {
            t.measured += r.accepted + r.duplicates;
            latencies.push(done - at);
          }
        } else if (res.status === 503) {
          t.busy++;
          await new Promise((r) => setTimeout(r, 200));
        } else {
          t.errors++;
          if (t.errors <= 3) process.stderr.write(`load: HTTP ${res.status}: ${res.text.slice(0, 300)}\n`);
        }
      } catch (err) {
        t.errors++;
        if (t.errors <= 3) process.stderr.write(`load: ${String(err)}\n`);
      }
    }
  };

  let last = 0;
  const progress = setInterval(() => {
    process.stderr.write(`  http: ${Math.round((t.acknowledged - last) / 5000)}k readings/s\n`);
    last = t.acknowledged;
  }, 5000);
  await Promise.all(Array.from({ length: connections }, loop));
  clearInterval(progress);
  agent.destroy();
  latencies.sort((x, y) => x - y);
  return {
    mode: 'http',
    readings_per_s: Math.round(t.measured / (durationMs / 1000)),
    acknowledged: t.acknowledged,
    accepted: t.accepted,
    duplicates: t.duplicates,
    rejected: t.rejected,
    requests: t.requests,
    busy_503: t.busy,
    errors: t.errors,
    p50_ack_ms: percentile(latencies, 50),
    p99_ack_ms: percentile(latencies, 99),
    max_ack_ms: latencies[latencies.length - 1] ?? 0,
    elapsed_s: (Date.now() - started) / 1000,
  };
}

async function runMqtt(): Promise<LoadResult> {
  const r = await runMqttLoad({
    url: a['mqtt-url'],
    topic: a['mqtt-topic'],
    sensorIds: ids,
    readingsPerMessage: Math.min(batchSize, 1000),
    durationMs: durationMs,
    connections,
    onProgress: (n, ms) => {
      if (Math.round(ms / 1000) % 5 === 0) process.stderr.write(`  mqtt: ${Math.round(n / Math.max(1, ms))}k readings/s so far\n`);
    },
  });
  return {
    mode: 'mqtt',
    readings_per_s: r.readingsPerS,
    acknowledged: r.accepted + r.duplicates,
    accepted: r.accepted,
    duplicates: r.duplicates,
    rejected: r.rejected,
    requests: r.messages,
    busy_503: 0,
    errors: 0,
    p50_ack_ms: r.ackMs.p50,
    p99_ack_ms: r.ackMs.p99,
    max_ack_ms: r.ackMs.max,
    elapsed_s: r.elapsedMs / 1000,
  };
}

const result = a.mode === 'mqtt' ? await runMqtt() : await runHttp();
process.stdout.write(`${JSON.stringify(result)}\n`);
