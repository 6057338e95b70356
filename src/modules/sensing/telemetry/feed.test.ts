/** Unit tests of the in-memory rollup feed: same buckets as aggregating the readings directly, whatever their order. */
import { describe, expect, it } from 'vitest';
import { RollupFeed } from './feed.js';
import { BucketAccumulator } from './rollup.logic.js';

const M = 60_000;
const byKeyStart = (a: { sensorKey: number; start: number }, b: { sensorKey: number; start: number }) => a.sensorKey - b.sensorKey || a.start - b.start;

describe('RollupFeed', () => {
  it('matches a direct aggregation, with minute changes, late data and keys beyond its arrays', () => {
    const readings: Array<[number, number, number]> = [
      [1, 10 * M + 5, 3], [1, 10 * M + 50_000, 5], [2, 10 * M, -1], [1, 11 * M + 1, 7],
      [1, 10 * M + 30_000, 1], // late: back to an earlier minute
      [2, 12 * M, 4], [5000, 10 * M, 9], [5000, 10 * M + 1, 11], [1 << 23, 10 * M, 2], [1 << 23, 9 * M, 6],
    ];
    const feed = new RollupFeed(100, 100, 16);
    const direct = new BucketAccumulator();
    for (const [k, ts, v] of readings) {
      feed.add(k, ts, v);
      direct.add({ sensorKey: k, start: ts - (ts % M), min: v, max: v, sum: v, count: 1 });
    }
    feed.to = 110;
    const { minutes, latest } = feed.deltas();
    expect(minutes.sort(byKeyStart)).toEqual(direct.values().sort(byKeyStart));
    expect(latest.sort((a, b) => a.sensorKey - b.sensorKey)).toEqual([
      { sensorKey: 1, ts: 11 * M + 1, value: 7 },
      { sensorKey: 2, ts: 12 * M, value: 4 },
      { sensorKey: 5000, ts: 10 * M + 1, value: 11 },
      { sensorKey: 1 << 23, ts: 10 * M, value: 2 },
    ]);
    expect(feed.empty).toBe(false);
  });

  it('is empty until a commit moves it', () => {
    const feed = new RollupFeed(7);
    expect(feed.empty).toBe(true);
    expect(feed.deltas()).toEqual({ minutes: [], latest: [] });
  });
});
