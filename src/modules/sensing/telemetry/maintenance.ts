/**
 * Background upkeep of the time series (SPEC S3): the rollup worker merges
 * raw readings past the watermark into the minute/hour/day tables (reading
 * in short chunks so ingestion keeps flowing, then one transaction that also
 * moves the watermark: crash-safe, and late readings simply merge into their
 * old buckets); the retention worker deletes raw rows and rollups older than
 * their class keeps them, in small batches.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../../platform/clock.js';
import { retentionFor } from '../classes.js';
import { SENSOR_CLASSES, type SensorDirectory } from '../types.js';
import { BucketAccumulator, coarsen, groupKeys } from './rollup.logic.js';
import type { LatestRow, TelemetryStore } from './store.js';
import { ROLLUP_STEPS, STEP_MS, type TelemetryOptions } from './types.js';

const DAY_MS = 86_400_000;
/** Sensor keys per retention statement. */
const KEY_CHUNK = 2_000;
/** Seq span merged in one rollup transaction (in chunks of options.rollupChunkRows). */
const MAX_CHUNKS_PER_APPLY = 20;

const tick = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface MaintenanceDeps {
  store: TelemetryStore;
  directory: SensorDirectory;
  clock: Clock;
  log: Logger;
  options: TelemetryOptions;
}

export function createMaintenance(d: MaintenanceDeps) {
  const { store, options: o } = d;
  let rolling: Promise<number> | null = null;
  let retaining: Promise<{ raw: number; rollups: number }> | null = null;
  const timers: NodeJS.Timeout[] = [];

  async function waitForConnection(): Promise<void> {
    while (store.busy()) await sleep(2);
  }

  async function rollupOnce(): Promise<number> {
    for (;;) {
      const w = await store.watermark();
      const top = await store.maxSeq();
      if (top <= w) return w;
      const target = Math.min(top, w + o.rollupChunkRows * MAX_CHUNKS_PER_APPLY);
      const minutes = new BucketAccumulator();
      const latest = new Map<number, LatestRow>();
      for (let lo = w; lo < target; lo += o.rollupChunkRows) {
        const chunk = await store.readChunk(lo, Math.min(target, lo + o.rollupChunkRows));
        for (const b of chunk.minutes) minutes.add(b);
        for (const l of chunk.latest) {
          const cur = latest.get(l.sensorKey);
          if (!cur || l.ts > cur.ts) latest.set(l.sensorKey, l);
        }
        await tick();
      }
      const m1 = minutes.values();
      const h1 = coarsen(m1, STEP_MS['1h']);
      const d1 = coarsen(h1, STEP_MS['1d']);
      await waitForConnection();
      const ok = await store.applyRollup(w, target, { '1m': m1, '1h': h1, '1d': d1, latest: [...latest.values()] });
      if (ok && target === top) return target;
      await tick();
    }
  }

  /** Merge every raw reading stored so far into the rollups; resolves with the new watermark. */
  function rollupNow(): Promise<number> {
    if (!rolling) rolling = rollupOnce().finally(() => (rolling = null));
    return rolling;
  }

  async function retentionOnce(): Promise<{ raw: number; rollups: number }> {
    const now = d.clock.now();
    const watermark = await store.watermark();
    const refs = [...d.directory.all()];
    let raw = 0;
    let rollups = 0;
    const byRawDays = groupKeys(refs, (r) => retentionFor(r.class).rawDays);
    for (const [days, keys] of byRawDays) {
      for (let i = 0; i < keys.length; i += KEY_CHUNK) {
        const chunk = keys.slice(i, i + KEY_CHUNK);
        for (;;) {
          await waitForConnection();
          const n = await store.deleteRaw(chunk, now - days * DAY_MS, watermark, o.retentionBatchRows);
          raw += n;
          await tick();
          if (n < o.retentionBatchRows) break;
        }
      }
    }
    // Rows of sensors no longer registered go once they are older than any class keeps raw data.
    const longest = Math.max(...SENSOR_CLASSES.map((c) => retentionFor(c).rawDays));
    for (;;) {
      await waitForConnection();
      const n = await store.deleteRaw(null, now - longest * DAY_MS, watermark, o.retentionBatchRows);
      raw += n;
      await tick();
      if (n < o.retentionBatchRows) break;
    }
    for (const step of ROLLUP_STEPS) {
      const days = (c: (typeof refs)[number]) => {
        const p = retentionFor(c.class);
        return step === '1m' ? p.minuteDays : step === '1h' ? p.hourDays : p.dayDays;
      };
      for (const [n, keys] of groupKeys(refs, days)) {
        for (let i = 0; i < keys.length; i += KEY_CHUNK) {
          await waitForConnection();
          rollups += await store.deleteRollups(step, keys.slice(i, i + KEY_CHUNK), now - n * DAY_MS);
          await tick();
        }
      }
    }
    return { raw, rollups };
  }

  /** Delete what retention no longer keeps; resolves with the rows deleted. */
  function retentionNow(): Promise<{ raw: number; rollups: number }> {
    if (!retaining) retaining = retentionOnce().finally(() => (retaining = null));
    return retaining;
  }

  const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
    if (ms <= 0) return;
    const t = setInterval(() => {
      fn().catch((err: unknown) => d.log.error({ err }, `telemetry: ${what} failed; will retry`));
    }, ms);
    t.unref();
    timers.push(t);
  };

  return {
    rollupNow,
    retentionNow,
    start(): void {
      every(o.rollupIntervalMs, 'rollup', rollupNow);
      every(o.retentionIntervalMs, 'retention', retentionNow);
    },
    async stop(): Promise<void> {
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.allSettled([rolling, retaining]);
    },
  };
}
