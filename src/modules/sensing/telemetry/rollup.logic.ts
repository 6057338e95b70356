/**
 * Rollup arithmetic (SPEC S3): buckets, merging partial aggregates (min, max,
 * sum, count combine associatively, so late data and re-runs after a crash
 * merge correctly), coarsening minute buckets into hours and days, choosing
 * a resolution for a query, and retention cut-offs. Pure.
 */
import type { RetentionPolicy } from '../classes.js';
import { ROLLUP_STEPS, STEP_MS, type Bucket, type BucketPoint, type RollupStep, type Step } from './types.js';

const DAY_MS = 86_400_000;

/** Start of the bucket of width stepMs holding ts (UTC-aligned; floors negative times too). */
export function bucketStart(ts: number, stepMs: number): number {
  return ts - (((ts % stepMs) + stepMs) % stepMs);
}

/** Combine b into a (same bucket): the merge the rollup upsert performs in SQL. */
export function mergeInto(a: Bucket, b: Pick<Bucket, 'min' | 'max' | 'sum' | 'count'>): Bucket {
  if (b.min < a.min) a.min = b.min;
  if (b.max > a.max) a.max = b.max;
  a.sum += b.sum;
  a.count += b.count;
  return a;
}

/** Accumulates partial buckets keyed by (sensor, start); each added bucket is merged into its slot. */
export class BucketAccumulator {
  private readonly map = new Map<string, Bucket>();

  add(b: Bucket): void {
    const k = `${b.sensorKey}:${b.start}`;
    const cur = this.map.get(k);
    if (cur) mergeInto(cur, b);
    else this.map.set(k, { ...b });
  }

  get size(): number {
    return this.map.size;
  }

  values(): Bucket[] {
    return [...this.map.values()];
  }
}

/** Re-bucket finer buckets into coarser ones (minutes → hours → days). */
export function coarsen(buckets: readonly Bucket[], stepMs: number): Bucket[] {
  const acc = new BucketAccumulator();
  for (const b of buckets) acc.add({ ...b, start: bucketStart(b.start, stepMs) });
  return acc.values();
}

/** Merge per-sensor or per-area bucket lists (e.g. stored rollups plus not-yet-rolled-up readings) into one list by start. */
export function mergeByStart(...lists: ReadonlyArray<ReadonlyArray<Omit<Bucket, 'sensorKey'>>>): Array<Omit<Bucket, 'sensorKey'>> {
  const byStart = new Map<number, Omit<Bucket, 'sensorKey'>>();
  for (const list of lists) {
    for (const b of list) {
      const cur = byStart.get(b.start);
      if (cur) mergeInto(cur as Bucket, b);
      else byStart.set(b.start, { start: b.start, min: b.min, max: b.max, sum: b.sum, count: b.count });
    }
  }
  return [...byStart.values()].sort((x, y) => x.start - y.start);
}

export function toPoints(buckets: ReadonlyArray<Omit<Bucket, 'sensorKey'>>): BucketPoint[] {
  return buckets.map((b) => ({ ts: b.start, min: b.min, max: b.max, avg: b.count > 0 ? b.sum / b.count : 0, count: b.count }));
}

/**
 * The finest resolution giving at most maxPoints points: raw when the range
 * holds few enough readings (and raw queries may span it), else the finest
 * rollup with few enough buckets.
 */
export function chooseStep(rangeMs: number, rawCount: number | undefined, opts: { maxPoints: number; maxRawRangeMs: number }): Step {
  if (rawCount !== undefined && rawCount <= opts.maxPoints && rangeMs <= opts.maxRawRangeMs) return 'raw';
  for (const s of ROLLUP_STEPS) if (Math.ceil(rangeMs / STEP_MS[s]) <= opts.maxPoints) return s;
  return '1d';
}

/** The finest rollup with at most maxPoints buckets (aggregate queries have no raw resolution). */
export function chooseRollup(rangeMs: number, maxPoints: number): RollupStep {
  const s = chooseStep(rangeMs, undefined, { maxPoints, maxRawRangeMs: 0 });
  return s === 'raw' ? '1m' : s;
}

export interface RetentionCutoffs {
  raw: number;
  '1m': number;
  '1h': number;
  '1d': number;
}

/** Data older than these instants is deleted. */
export function retentionCutoffs(now: number, p: RetentionPolicy): RetentionCutoffs {
  return { raw: now - p.rawDays * DAY_MS, '1m': now - p.minuteDays * DAY_MS, '1h': now - p.hourDays * DAY_MS, '1d': now - p.dayDays * DAY_MS };
}

/** Group sensor keys by the value a function gives them (e.g. their class's raw retention), for one delete per group. */
export function groupKeys<R extends { key: number }, T>(refs: Iterable<R>, by: (r: R) => T): Map<T, number[]> {
  const out = new Map<T, number[]>();
  for (const r of refs) {
    const g = by(r);
    const list = out.get(g);
    if (list) list.push(r.key);
    else out.set(g, [r.key]);
  }
  return out;
}
