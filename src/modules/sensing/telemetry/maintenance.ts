/**
 * Background upkeep of the time series (SPEC S3).
 *
 * Rollups: every target (the minute, hour and day tables, and the latest
 * snapshot) has a watermark — the seq up to which it includes raw readings —
 * moved in the same transaction as its merge, one target per transaction (so
 * no single commit blocks the event loop for long). Merges combine min, max,
 * sum and count, so late readings simply join their old buckets. On SQLite
 * the deltas of freshly committed rows are gathered in memory (RollupFeed);
 * rows committed before this process started, or after anything went wrong,
 * are read back from the store in chunks — as always on PostgreSQL.
 *
 * Retention: raw rows and rollups older than their class keeps them are
 * deleted in small batches, raw rows only once every rollup includes them.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../../platform/clock.js';
import { retentionFor } from '../classes.js';
import { SENSOR_CLASSES, type SensorDirectory } from '../types.js';
import { RollupFeed } from './feed.js';
import { BucketAccumulator, coarsen, groupKeys } from './rollup.logic.js';
import type { LatestRow, TargetRows, TelemetryStore } from './store.js';
import { ROLLUP_STEPS, ROLLUP_TARGETS, STEP_MS, type Bucket, type InsertOutcome, type ReadingColumns, type RollupTarget, type TelemetryOptions } from './types.js';

const DAY_MS = 86_400_000;
/** Sensor keys per retention statement. */
const KEY_CHUNK = 2_000;
/** Seq span merged per transaction when reading rows back (in chunks of options.rollupChunkRows). */
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

/** Each target's rows from minute buckets and latest readings. */
function targetRows(minutes: Bucket[], latest: LatestRow[]): Record<RollupTarget, TargetRows> {
  const hours = coarsen(minutes, STEP_MS['1h']);
  return {
    '1m': { target: '1m', rows: minutes },
    '1h': { target: '1h', rows: hours },
    '1d': { target: '1d', rows: coarsen(hours, STEP_MS['1d']) },
    latest: { target: 'latest', rows: latest },
  };
}

export function createMaintenance(d: MaintenanceDeps) {
  const { store, options: o } = d;
  let rolling: Promise<number> | null = null;
  let retaining: Promise<{ raw: number; rollups: number }> | null = null;
  const timers: NodeJS.Timeout[] = [];
  /** In-memory deltas of the rows committed since feed.from (SQLite); null: read rows back from the store. */
  let feed: RollupFeed | null = null;

  const apply = async (expected: number, next: number, delta: TargetRows): Promise<boolean> => {
    while (store.busy()) await sleep(2);
    const ok = await store.applyRollup(expected, next, delta);
    await tick();
    return ok;
  };

  /** Bring every target up to `upTo` by reading stored rows back; targets at the same watermark share each read. */
  async function rollupStored(upTo: number): Promise<void> {
    for (;;) {
      const w = await store.watermarks();
      const lo = Math.min(...ROLLUP_TARGETS.map((t) => w[t]));
      if (lo >= upTo) return;
      const above = ROLLUP_TARGETS.map((t) => w[t]).filter((x) => x > lo);
      const hi = Math.min(upTo, lo + o.rollupChunkRows * MAX_CHUNKS_PER_APPLY, ...above);
      const minutes = new BucketAccumulator();
      const latest = new Map<number, LatestRow>();
      for (let from = lo; from < hi; from += o.rollupChunkRows) {
        const chunk = await store.readChunk(from, Math.min(hi, from + o.rollupChunkRows));
        for (const b of chunk.minutes) minutes.add(b);
        for (const l of chunk.latest) {
          const cur = latest.get(l.sensorKey);
          if (!cur || l.ts > cur.ts) latest.set(l.sensorKey, l);
        }
        await tick();
      }
      const rows = targetRows(minutes.values(), [...latest.values()]);
      for (const t of ROLLUP_TARGETS) if (w[t] === lo) await apply(lo, hi, rows[t]);
    }
  }

  /** Start a fresh feed at the store's current seq; earlier rows are left to rollupStored. Synchronous: no commit slips in between. */
  const restartFeed = (capacity?: number) => {
    feed = store.currentSeq ? new RollupFeed(store.currentSeq(), undefined, capacity) : null;
  };

  /** PostgreSQL, background runs: the highest seq seen one run ago (see rollupOnce). */
  let settled = 0;

  async function rollupOnce(settle = false): Promise<number> {
    if (!feed) {
      // With several processes writing, a transaction may commit a lower seq after a higher one is visible;
      // background runs therefore stop at the seq seen one run (seconds) ago, by when such stragglers have landed.
      const top = await store.maxSeq();
      const upTo = settle ? settled : top;
      settled = top;
      await rollupStored(upTo);
      return upTo;
    }
    await rollupStored(feed.from);
    const f = feed;
    if (f.empty) return f.from;
    const w = await store.watermarks();
    if (ROLLUP_TARGETS.some((t) => w[t] > f.from)) {
      restartFeed(f.capacity); // another process (or instance) merged past us: our memory would count rows twice
      return w['1m'];
    }
    if (ROLLUP_TARGETS.some((t) => w[t] < f.from)) return f.from; // still catching up; the next run continues
    feed = new RollupFeed(f.to, f.to, f.capacity);
    const { minutes, latest } = f.deltas();
    const rows = targetRows(minutes, latest);
    let ok = true;
    try {
      for (const t of ROLLUP_TARGETS) ok = (await apply(f.from, f.to, rows[t])) && ok;
    } catch (err) {
      ok = false;
      throw err;
    } finally {
      // A watermark was not where this process left it, or the store failed: forget the memory and read rows back.
      if (!ok) restartFeed(f.capacity);
    }
    return f.to;
  }

  /** Merge every raw reading stored so far into the rollups; resolves with the seq they now include. */
  function rollupNow(settle = false): Promise<number> {
    if (!rolling) rolling = rollupOnce(settle).finally(() => (rolling = null));
    return rolling;
  }

  async function retentionOnce(): Promise<{ raw: number; rollups: number }> {
    const now = d.clock.now();
    const w = await store.watermarks();
    const rolledUp = Math.min(...ROLLUP_TARGETS.map((t) => w[t]));
    const refs = [...d.directory.all()];
    let raw = 0;
    let rollups = 0;
    const deleteRawUntilDone = async (keys: number[] | null, before: number) => {
      for (;;) {
        while (store.busy()) await sleep(2);
        const n = await store.deleteRaw(keys, before, rolledUp, o.retentionBatchRows);
        raw += n;
        await tick();
        if (n < o.retentionBatchRows) return;
      }
    };
    for (const [days, keys] of groupKeys(refs, (r) => retentionFor(r.class).rawDays)) {
      for (let i = 0; i < keys.length; i += KEY_CHUNK) await deleteRawUntilDone(keys.slice(i, i + KEY_CHUNK), now - days * DAY_MS);
    }
    // Rows of sensors no longer registered go once they are older than any class keeps raw data.
    await deleteRawUntilDone(null, now - Math.max(...SENSOR_CLASSES.map((c) => retentionFor(c).rawDays)) * DAY_MS);
    for (const step of ROLLUP_STEPS) {
      const days = (r: (typeof refs)[number]) => {
        const p = retentionFor(r.class);
        return step === '1m' ? p.minuteDays : step === '1h' ? p.hourDays : p.dayDays;
      };
      for (const [n, keys] of groupKeys(refs, days)) {
        for (let i = 0; i < keys.length; i += KEY_CHUNK) {
          while (store.busy()) await sleep(2);
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
    /** Feed the rollups with rows just committed (called synchronously after each commit). */
    onCommitted(batches: readonly ReadingColumns[], outcomes: readonly InsertOutcome[]): void {
      if (!feed || !store.currentSeq) return;
      for (let b = 0; b < batches.length; b++) {
        const c = batches[b]!;
        const mask = outcomes[b]!.insertedMask;
        for (let j = 0; j < c.n; j++) if (!mask || mask[j] === 1) feed.add(c.keys[j]!, c.ts[j]!, c.values[j]!);
      }
      feed.to = store.currentSeq();
    },
    /** settle: on PostgreSQL, stop at the seq seen one run ago (background runs and shutdown). */
    rollupNow: (settle = false) => rollupNow(settle),
    retentionNow,
    start(): void {
      restartFeed();
      every(o.rollupIntervalMs, 'rollup', () => rollupNow(true));
      every(o.retentionIntervalMs, 'retention', retentionNow);
    },
    async stop(): Promise<void> {
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.allSettled([rolling, retaining]);
    },
  };
}
