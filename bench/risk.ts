/**
 * Risk engine benchmark (`npm run bench:risk -- --ticks 120 --trials 200`):
 *  1. builds the demo city (temp SQLite, manual clock), lets the simulator run
 *     `ticks` seconds with a rainstorm, a jam, a burst main and a fire injected,
 *     and captures every ReadingsIngested batch;
 *  2. replays the captured readings through a fresh RiskEngine with the
 *     default rules (no detectors): rules readings/s, against a naive baseline
 *     in the same process that evaluates every rule for every reading (and finds
 *     compound neighbours by scanning all sensors);
 *  3. replays them through the learned detectors alone (one per sensor, one
 *     core): detector readings/s; and through rules + detectors together;
 *  4. starts a city on the system clock, listening on HTTP, and measures
 *     ingest-to-alarm latency: POST /api/v1/readings with a smoke reading over
 *     the fire threshold → the alarm is in the alarm service's active set.
 * Last line: one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DEFAULT_OSM_FILE, loadConfig } from '../src/config.js';
import { createCityOps } from '../src/main.js';
import { ManualClock } from '../src/platform/clock.js';
import { distanceM } from '../src/platform/geo/index.js';
import { RiskEngine, type SensorMeta } from '../src/modules/risk/engine/engine.logic.js';
import { cityDetectors, toMeta } from '../src/modules/risk/rules/index.js';
import type { Rule } from '../src/modules/risk/types.js';
import type { SensorInput } from '../src/modules/sensing/types.js';

const { values: a } = parseArgs({
  options: {
    ticks: { type: 'string', default: '120' },
    trials: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '2' },
    /** No injected incidents: shows what the default rules raise on an ordinary day. */
    quiet: { type: 'boolean', default: false },
  },
});
const TICKS = Number(a.ticks);
const TRIALS = Number(a.trials);
const MIN_MS = Number(a.seconds) * 1000;
const TARGET = { rulesPerS: 200_000, detectorsPerS: 50_000, p99Ms: 1000 };

interface Batch { ids: string[]; ts: number[]; values: number[] }
const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-bench-risk-'));
const config = (dataDir: string, extra: Record<string, unknown> = {}) => ({
  ...loadConfig({}, { dataDir, port: 0, logLevel: 'silent' }), jwtSecret: 'bench-secret-bench-secret-bench-0123', ...extra,
});

/** Demo city readings, as the bus delivered them. */
async function capture(): Promise<{ batches: Batch[]; metas: SensorMeta[]; rules: Rule[]; readings: number }> {
  const dir = tmp();
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 7, 30));
  const city = await createCityOps(config(dir, { demo: true, osmFile: DEFAULT_OSM_FILE, simRate: 1 }), { clock });
  try {
    await city.start();
    const t0 = performance.now();
    const report = await city.services.sim.buildDemoCity();
    console.log(`demo city: ${report.sensors} sensors built in ${round(performance.now() - t0)} ms`);
    const batches: Batch[] = [];
    await city.kernel.bus.subscribe('ReadingsIngested', (e) => void batches.push({ ids: [...e.payload.sensorIds], ts: [...e.payload.ts], values: [...e.payload.values] }));
    for (let i = 0; i < TICKS; i++) {
      clock.advance(1000);
      await city.services.sim.tick();
      if (i === 10 && !a.quiet) for (const kind of ['rainstorm', 'congestion', 'pipe_burst', 'fire']) await city.services.sim.inject({ kind });
    }
    await (city.kernel.bus as unknown as { drain(): Promise<void> }).drain();
    const metas = [...city.services.sensing.directory.all()].map((r) => toMeta(city.services.sensing.sensor(r.id)!));
    const rules = await city.services.risk.rules.list();
    return { batches, metas, rules, readings: batches.reduce((s, b) => s + b.ids.length, 0) };
  } finally {
    await city.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Replays the batches (shifted in time on every pass) until MIN_MS has passed; readings per second. */
function replay(batches: Batch[], run: (b: Batch, now: number) => void): { perS: number; readings: number } {
  const span = batches.length ? batches[batches.length - 1]!.ts[0]! - batches[0]!.ts[0]! + 1000 : 0;
  let n = 0;
  let pass = 0;
  const start = performance.now();
  while (performance.now() - start < MIN_MS) {
    const shift = pass++ * span;
    for (const b of batches) {
      const ts = shift ? b.ts.map((t) => t + shift) : b.ts;
      run({ ids: b.ids, ts, values: b.values }, ts[ts.length - 1]!);
      n += b.ids.length;
    }
  }
  return { perS: (n * 1000) / (performance.now() - start), readings: n };
}

function engineRun(metas: SensorMeta[], rules: Rule[], detectors: boolean) {
  const byId = new Map(metas.map((m) => [m.id, m]));
  const signals = { raise: 0, clear: 0, fault: 0, detector: 0 };
  const byRule = new Map<string, number>();
  const engine = new RiskEngine({
    emit: (s) => {
      signals[s.kind]++;
      if (s.kind === 'raise' && (s.source === 'fault' || s.source === 'detector')) signals[s.source]++;
      if (s.kind === 'raise') byRule.set(s.ruleId, (byRule.get(s.ruleId) ?? 0) + 1);
    }, meta: (id) => byId.get(id), metas: () => byId.values(),
    detectors: cityDetectors, options: { detectors },
  });
  engine.setRules(rules);
  return { engine, signals, byRule };
}

/** Every rule for every reading; compound neighbours by scanning all sensors. Stateless thresholds only: a floor on the cost. */
function naiveRun(metas: SensorMeta[], rules: Rule[]) {
  const byId = new Map(metas.map((m) => [m.id, m]));
  const last = new Map<string, number>();
  let hits = 0;
  return {
    hits: () => hits,
    run(b: Batch) {
      for (let i = 0; i < b.ids.length; i++) {
        const m = byId.get(b.ids[i]!);
        if (!m) continue;
        const v = b.values[i]!;
        last.set(m.id, v);
        for (const r of rules) {
          if (!r.enabled) continue;
          const sc = r.scope;
          const match = sc.kind === 'sensor' ? sc.sensorId === m.id : sc.class === m.class && (!sc.metric || sc.metric === m.metric) && (sc.kind === 'class' || (m.orgPath ?? '').includes(`/${sc.orgUnitId}/`));
          if (!match) continue;
          const c = r.condition;
          if (c.type === 'threshold') {
            const x = typeof c.value === 'number' ? c.value : m.thresholds?.[c.value === 'sensor.warn' ? 'warn' : 'alarm'];
            if (x !== undefined && (c.op === '>' ? v > x : v < x)) hits++;
          } else if (c.type === 'compound') {
            let all = true;
            for (const p of c.all) {
              let any = false;
              for (const o of metas) {
                if (o.class !== p.class || distanceM([m.lon, m.lat], [o.lon, o.lat]) > c.withinM) continue;
                const lv = last.get(o.id);
                if (lv !== undefined && (p.op === '>' ? lv > p.value : lv < p.value)) any = true;
              }
              if (!any) all = false;
            }
            if (all) hits++;
          }
        }
      }
    },
  };
}

/** HTTP ingest → alarm in the alarm service, on the system clock. */
async function latency(): Promise<{ p50: number; p99: number; max: number; n: number }> {
  const dir = tmp();
  const city = await createCityOps(config(dir));
  try {
    await city.start();
    const url = await city.listen();
    const sensors: SensorInput[] = Array.from({ length: TRIALS }, (_, i) => ({
      id: `bench-smoke-${i}`, name: `Smoke ${i}`, class: 'smoke', location: { type: 'Point', coordinates: [1.45 + (i % 20) * 0.01, 42.45 + Math.floor(i / 20) * 0.01] }, thresholds: { warn: 1, alarm: 4 },
    }));
    await city.services.sensing.upsertSensors(sensors, 'bench');
    const { key } = await city.services.auth.createApiKey({ name: 'bench device', roles: ['device'], autoProvision: false }, 'bench');
    const fire = (await city.services.risk.rules.list()).find((r) => r.name.startsWith('火警'))!;
    const post = async (sensor: string, value: number) => {
      const res = await fetch(`${url}/api/v1/readings`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify([{ sensor, ts: Date.now(), value }]) });
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    };
    for (const s of sensors) await post(s.id!, 0.02);
    const ms: number[] = [];
    for (const s of sensors) {
      const t0 = performance.now();
      await post(s.id!, 12);
      for (;;) {
        if (city.services.risk.alarms.active().some((x) => x.sourceId === s.id && x.ruleId === fire.id)) break;
        if (performance.now() - t0 > 10_000) throw new Error(`no alarm for ${s.id} within 10 s`);
        await new Promise((r) => setImmediate(r));
      }
      ms.push(performance.now() - t0);
    }
    ms.sort((x, y) => x - y);
    return { p50: pct(ms, 50), p99: pct(ms, 99), max: ms[ms.length - 1]!, n: ms.length };
  } finally {
    await city.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const { batches, metas, rules, readings } = await capture();
  console.log(`captured ${readings} readings in ${batches.length} batches over ${TICKS} s; ${rules.length} rules (${rules.filter((r) => r.enabled).length} enabled)`);

  const rulesOnly = engineRun(metas, rules, false);
  const r = replay(batches, (b, now) => rulesOnly.engine.ingest(b.ids, b.ts, b.values, now));
  console.log(`rules engine:      ${round(r.perS)} readings/s (${r.readings} readings; ${rulesOnly.signals.raise} raises, ${rulesOnly.signals.clear} clears)`);

  const names = new Map(rules.map((x) => [x.id, x.name]));
  console.log(`  raises by rule: ${[...rulesOnly.byRule].sort((x, y) => y[1] - x[1]).map(([id, n]) => `${names.get(id) ?? id} ${n}`).join(', ')}`);

  const naive = naiveRun(metas, rules);
  const nv = replay(batches.slice(0, Math.max(1, Math.ceil(batches.length / 10))), (b) => naive.run(b));
  console.log(`naive baseline:    ${round(nv.perS)} readings/s (every rule per reading, neighbours by scan)`);

  const warm = engineRun(metas, [], true); // JIT warm-up of the detector code, so the order of runs does not skew the figures
  for (const b of batches.slice(0, 5)) warm.engine.ingest(b.ids, b.ts, b.values, b.ts[0]!);
  const detOnly = engineRun(metas, [], true);
  const d = replay(batches, (b, now) => detOnly.engine.ingest(b.ids, b.ts, b.values, now));
  console.log(`learned detectors: ${round(d.perS)} readings/s on one core (${metas.length} detectors; ${detOnly.signals.detector} detector raises, ${detOnly.signals.fault} faulty)`);

  const both = engineRun(metas, rules, true);
  const bt = replay(batches, (b, now) => both.engine.ingest(b.ids, b.ts, b.values, now));
  console.log(`rules + detectors: ${round(bt.perS)} readings/s (${both.signals.detector} detector raises, ${both.signals.fault} sensors marked faulty)`);

  const lat = await latency();
  console.log(`ingest → alarm:    p50 ${round(lat.p50, 1)} ms, p99 ${round(lat.p99, 1)} ms, max ${round(lat.max, 1)} ms over ${lat.n} HTTP ingests (alarm visible in the alarm service)`);

  const ratio = r.perS / nv.perS;
  console.log(`targets: rules ≥ ${TARGET.rulesPerS}/s ${r.perS >= TARGET.rulesPerS ? 'met' : 'MISSED'}; detectors ≥ ${TARGET.detectorsPerS}/s ${d.perS >= TARGET.detectorsPerS ? 'met' : 'MISSED'}; p99 < ${TARGET.p99Ms} ms ${lat.p99 < TARGET.p99Ms ? 'met' : 'MISSED'}; rules vs naive ×${round(ratio, 1)}`);
  console.log(JSON.stringify({
    bench: 'risk', sensors: metas.length, rules: rules.length, readings: readings,
    rules_per_s: round(r.perS), naive_per_s: round(nv.perS), ratio_vs_naive: round(ratio, 1),
    detectors_per_s: round(d.perS), rules_and_detectors_per_s: round(bt.perS),
    ingest_to_alarm_p50_ms: round(lat.p50, 1), ingest_to_alarm_p99_ms: round(lat.p99, 1), latency_samples: lat.n,
  }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
