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
import { RollupFeed } from './feed.js';
import { BucketAccumulator, coarsen, groupKeys } from './rollup.logic.js';
import type { LatestRow, TelemetryStore } from './store.js';
import { ROLLUP_STEPS, STEP_MS, type Bucket, type InsertOutcome, type ReadingColumns, type TelemetryOptions } from './types.js';

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
  /** In-memory deltas of the rows committed since feed.from (SQLite); null: read rows back from the store. */
  let feed: RollupFeed | null = null;

  async function waitForConnection(): Promise<void> {
    while (store.busy()) await sleep(2);
  }

  const apply = async (w: number, target: number, minutes: Bucket[], latest: LatestRow[]): Promise<boolean> => {
    const h1 = coarsen(minutes, STEP_MS['1h']);
    const d1 = coarsen(h1, STEP_MS['1d']);
    await waitForConnection();
    return store.applyRollup(w, target, { '1m': minutes, '1h': h1, '1d': d1, latest });
  };

  /** Merge stored rows up to `upTo` by reading them back in chunks (after a restart, and always on PostgreSQL). */
  async function rollupStored(upTo?: number): Promise<number> {
    for (;;) {
      const w = await store.watermark();
      const top = upTo ?? (await store.maxSeq());
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
      const ok = await apply(w, target, minutes.values(), [...latest.values()]);
      if (ok && target === top) return target;
      await tick();
    }
  }

  /** Start a fresh feed at the store's current seq; rows before it are left to rollupStored. Synchronous, so no commit slips between. */
  const restartFeed = (capacity?: number) => {
    feed = store.currentSeq ? new RollupFeed(store.currentSeq(), undefined, capacity) : null;
  };

  async function rollupOnce(): Promise<number> {
    if (!feed) return rollupStored();
    const w = await rollupStored(feed.from);
    if (w < feed.from || feed.empty) return w;
    const f = feed;
    feed = new RollupFeed(f.to, f.to, f.capacity);
    const { minutes, latest } = f.deltas();
    let ok = false;
    try {
      ok = await apply(f.from, f.to, minutes, latest);
    } finally {
      // The watermark did not move as expected (or the store failed): forget the memory, read the rows back next time.
      if (!ok) restartFeed(f.capacity);
    }
    return ok ? f.to : store.watermark();
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
    /** Feed the rollup with rows just committed (called synchronously after each commit). */
    onCommitted(batches: readonly ReadingColumns[], outcomes: readonly InsertOutcome[]): void {
      if (!feed || !store.currentSeq) return;
      for (let b = 0; b < batches.length; b++) {
        const c = batches[b]!;
        const mask = outcomes[b]!.insertedMask;
        for (let j = 0; j < c.n; j++) if (!mask || mask[j] === 1) feed.add(c.keys[j]!, c.ts[j]!, c.values[j]!);
      }
      feed.to = store.currentSeq();
    },
    rollupNow,
    retentionNow,
    start(): void {
      restartFeed();
      every(o.rollupIntervalMs, 'rollup', rollupNow);
      every(o.retentionIntervalMs, 'retention', retentionNow);
    },
    async stop(): Promise<void> {
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.allSettled([rolling, retaining]);
    },
  };
}
