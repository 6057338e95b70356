/**
 * The latest value of every sensor, in memory (SPEC S3). Sensor keys are
 * small dense integers, so two growable typed arrays hold ts and value
 * without an object per sensor; updates on the ingest path allocate nothing.
 */
import type { LatestValues } from './index.js';

const DENSE_LIMIT = 1 << 22;

export class LatestStore implements LatestValues {
  private ts = new Float64Array(1024).fill(NaN);
  private values = new Float64Array(1024);
  private count = 0;
  /** Keys too large for the arrays (never expected from the registry, but never a crash either). */
  private readonly sparse = new Map<number, { ts: number; value: number }>();

  /** Record a reading if it is newer than what is held for the sensor. */
  offer(key: number, ts: number, value: number): void {
    if (key < 0 || key >= DENSE_LIMIT) {
      const cur = this.sparse.get(key);
      if (!cur) {
        this.sparse.set(key, { ts, value });
        this.count++;
      } else if (ts > cur.ts) {
        cur.ts = ts;
        cur.value = value;
      }
      return;
    }
    if (key >= this.ts.length) this.grow(key);
    const cur = this.ts[key]!;
    if (cur !== cur) {
      this.count++;
    } else if (ts <= cur) {
      return;
    }
    this.ts[key] = ts;
    this.values[key] = value;
  }

  get(key: number): { ts: number; value: number } | undefined {
    if (key < 0 || key >= DENSE_LIMIT) return this.sparse.get(key);
    const ts = this.ts[key];
    if (ts === undefined || ts !== ts) return undefined;
    return { ts, value: this.values[key]! };
  }

  /** The latest timestamp held for a sensor, NaN when none; with valueAt, reads without allocating. */
  tsAt(key: number): number {
    if (key < 0 || key >= DENSE_LIMIT) return this.sparse.get(key)?.ts ?? NaN;
    return key < this.ts.length ? this.ts[key]! : NaN;
  }

  valueAt(key: number): number {
    if (key < 0 || key >= DENSE_LIMIT) return this.sparse.get(key)?.value ?? NaN;
    return key < this.values.length ? this.values[key]! : NaN;
  }

  size(): number {
    return this.count;
  }

  private grow(key: number): void {
    let len = this.ts.length;
    while (len <= key) len *= 2;
    const ts = new Float64Array(len).fill(NaN);
    ts.set(this.ts);
    const values = new Float64Array(len);
    values.set(this.values);
    this.ts = ts;
    this.values = values;
  }
}

/**
 * ISO-8601 formatting for many timestamps that mostly share a few seconds
 * (the latest values): "YYYY-MM-DDTHH:MM:SS." is formatted once per second.
 */
export class IsoFormatter {
  private second = NaN;
  private prefix = '';

  format(ts: number): string {
    const ms = ts % 1000;
    if (ms < 0 || !Number.isInteger(ts)) return new Date(ts).toISOString();
    const second = ts - ms;
    if (second !== this.second) {
      this.second = second;
      this.prefix = new Date(second).toISOString().slice(0, -4);
    }
    return `${this.prefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  }
}
