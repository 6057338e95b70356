/**
 * Rollup deltas gathered in memory as readings are committed (SQLite, one
 * writer per store): the minute buckets and latest values of exactly the
 * rows with from < seq <= to, so the rollup worker need not read them back.
 * Per sensor one open minute lives in typed arrays (no allocation per
 * reading); a reading for another minute closes the open one into a spill
 * accumulator (minute boundaries, late data).
 */
import { BucketAccumulator } from './rollup.logic.js';
import type { LatestRow } from './store.js';
import type { Bucket } from './types.js';

const DENSE_LIMIT = 1 << 22;
const MINUTE = 60_000;

export class RollupFeed {
  private minute: Float64Array;
  private min: Float64Array;
  private max: Float64Array;
  private sum: Float64Array;
  private count: Float64Array;
  private lastTs: Float64Array;
  private lastValue: Float64Array;
  private readonly touched: number[] = [];
  private readonly spill = new BucketAccumulator();
  private readonly spillLatest = new Map<number, LatestRow>();

  /** Covers rows with from < seq <= to. */
  constructor(readonly from: number, public to: number = from, capacity = 1024) {
    this.minute = new Float64Array(capacity).fill(NaN);
    this.min = new Float64Array(capacity);
    this.max = new Float64Array(capacity);
    this.sum = new Float64Array(capacity);
    this.count = new Float64Array(capacity);
    this.lastTs = new Float64Array(capacity);
    this.lastValue = new Float64Array(capacity);
  }

  get capacity(): number {
    return this.minute.length;
  }

  get empty(): boolean {
    return this.to === this.from;
  }

  add(key: number, ts: number, value: number): void {
    const start = ts - (((ts % MINUTE) + MINUTE) % MINUTE);
    if (key < 0 || key >= DENSE_LIMIT) {
      this.spill.add({ sensorKey: key, start, min: value, max: value, sum: value, count: 1 });
      const l = this.spillLatest.get(key);
      if (!l || ts > l.ts) this.spillLatest.set(key, { sensorKey: key, ts, value });
      return;
    }
    if (key >= this.minute.length) this.grow(key);
    const open = this.minute[key]!;
    if (open !== open) {
      this.touched.push(key);
      this.openMinute(key, start, value);
      this.lastTs[key] = ts;
      this.lastValue[key] = value;
      return;
    }
    if (open !== start) {
      this.spill.add(this.bucketOf(key));
      this.openMinute(key, start, value);
    } else {
      if (value < this.min[key]!) this.min[key] = value;
      if (value > this.max[key]!) this.max[key] = value;
      this.sum[key]! += value;
      this.count[key]!++;
    }
    if (ts > this.lastTs[key]!) {
      this.lastTs[key] = ts;
      this.lastValue[key] = value;
    }
  }

  /** The minute buckets and per-sensor latest readings gathered. */
  deltas(): { minutes: Bucket[]; latest: LatestRow[] } {
    const acc = new BucketAccumulator();
    for (const b of this.spill.values()) acc.add(b);
    const latest: LatestRow[] = [...this.spillLatest.values()];
    for (const k of this.touched) {
      acc.add(this.bucketOf(k));
      latest.push({ sensorKey: k, ts: this.lastTs[k]!, value: this.lastValue[k]! });
    }
    return { minutes: acc.values(), latest };
  }

  private bucketOf(k: number): Bucket {
    return { sensorKey: k, start: this.minute[k]!, min: this.min[k]!, max: this.max[k]!, sum: this.sum[k]!, count: this.count[k]! };
  }

  private openMinute(k: number, start: number, v: number): void {
    this.minute[k] = start;
    this.min[k] = v;
    this.max[k] = v;
    this.sum[k] = v;
    this.count[k] = 1;
  }

  private grow(key: number): void {
    let len = this.minute.length;
    while (len <= key) len *= 2;
    const widen = (a: Float64Array, fill?: number) => {
      const b = new Float64Array(len);
      if (fill !== undefined) b.fill(fill);
      b.set(a);
      return b;
    };
    this.minute = widen(this.minute, NaN);
    this.min = widen(this.min);
    this.max = widen(this.max);
    this.sum = widen(this.sum);
    this.count = widen(this.count);
    this.lastTs = widen(this.lastTs);
    this.lastValue = widen(this.lastValue);
  }
}
