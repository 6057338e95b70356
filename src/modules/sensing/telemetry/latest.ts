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
