// Properties of the streaming detector on synthetic series.
import { describe, expect, it } from 'vitest';
import { CityDetector, createDetector } from './detector.logic.js';

const STEP = 5 * 60_000;
/** A daily sine with small deterministic noise, 5-minute readings. */
function periodic(days: number): number[] {
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  return Array.from({ length: (days * 86_400_000) / STEP }, (_, i) => 50 + 20 * Math.sin((2 * Math.PI * i * STEP) / 86_400_000) + rnd());
}
function scoreAll(values: number[], d = createDetector(), from = 0): number[] {
  return values.map((v, i) => d.update(Date.UTC(2024, 0, 1) + (from + i) * STEP, v));
}

describe('CityDetector', () => {
  it('keeps scores in [0, 1] and is deterministic', () => {
    const v = periodic(6);
    v[1000] = 500;
    v[1200] = NaN;
    const a = scoreAll(v);
    expect(a.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(scoreAll(v)).toEqual(a);
  });

  it('ranks a spike in a periodic series above all normal readings, and fires on a short burst', () => {
    const spikeAt = 8 * 288 + 100;
    for (const [len, min] of [[1, 0], [3, 0.998]] as const) {
      const v = periodic(10);
      for (let k = 0; k < len; k++) v[spikeAt + k] = 120;
      const s = scoreAll(v);
      const normalMax = Math.max(...s.slice(3 * 288, spikeAt));
      const atSpike = Math.max(...s.slice(spikeAt, spikeAt + 10));
      expect(atSpike).toBeGreaterThan(normalMax);
      expect(atSpike).toBeGreaterThan(min);
    }
  });

  it('stays low on a steady periodic series after warm-up', () => {
    const s = scoreAll(periodic(10)).slice(3 * 288);
    const high = s.filter((x) => x > 0.99).length;
    expect(high / s.length).toBeLessThan(0.005);
  });

  it('detects a break of the daily pattern that stays inside the usual range', () => {
    const v = periodic(12);
    const from = 9 * 288;
    for (let i = from; i < from + 144; i++) v[i] = 50; // flat middle instead of the sine
    const s = scoreAll(v);
    expect(Math.max(...s.slice(from, from + 144))).toBeGreaterThan(0.99);
  });

  it('scores a reading beyond the range seen so far (plus 5 %) as 1, and a repeat soon after is damped', () => {
    const v = periodic(4);
    const at = 3 * 288;
    v[at] = 75; // the sine peaks near 70.5: more than 5 % of the ~41 range above
    v[at + 5] = 90;
    const s = scoreAll(v);
    expect(s[at]).toBe(1);
    expect(s[at + 5]).toBeLessThan(0.6);
  });

  it('exports its state as JSON and a restored detector scores exactly like the original', () => {
    const v = periodic(10);
    v[5 * 288] = 200; // leaves the detector in its damped period at the checkpoint
    const cut = 5 * 288 + 10;
    const a = createDetector();
    scoreAll(v.slice(0, cut), a);
    const json = JSON.stringify(a.toJSON());
    expect(json.length).toBeLessThan(8_000); // a few KB per sensor
    const b = CityDetector.fromJSON(JSON.parse(json) as ReturnType<CityDetector['toJSON']>);
    expect(b.toJSON()).toEqual(a.toJSON());
    const rest = v.slice(cut);
    rest[300] = -50;
    const sa = scoreAll(rest, a, cut);
    const sb = scoreAll(rest, b, cut);
    expect(sb).toEqual(sa);
    expect(Math.max(...sa)).toBeGreaterThan(0.99);
  });

  it('restores a fresh detector (no readings yet) and refuses an unknown state version', () => {
    const fresh = CityDetector.fromJSON(JSON.parse(JSON.stringify(createDetector().toJSON())) as ReturnType<CityDetector['toJSON']>);
    expect(scoreAll(periodic(2), fresh)).toEqual(scoreAll(periodic(2)));
    expect(() => CityDetector.fromJSON({ ...createDetector().toJSON(), version: 3 as 2 })).toThrow(/version/);
  });

  it('restores a version-1 state (unbounded range) and keeps its range', () => {
    const a = createDetector();
    scoreAll(periodic(4), a);
    const { range, peak: _peak, ...rest } = a.toJSON();
    const v1 = { ...rest, version: 1 as const, lo: Math.min(...range.lo), hi: Math.max(...range.hi) };
    const b = CityDetector.fromJSON(v1);
    expect(b.update(Date.UTC(2024, 0, 5), 200)).toBe(1);
  });

  it('outputs a few discrete levels above 0.5, so every threshold between two levels detects the same', () => {
    const v = periodic(14);
    for (let k = 0; k < 5; k++) v[9 * 288 + k] = 120;
    for (let i = 11 * 288; i < 11 * 288 + 144; i++) v[i] = 50;
    const high = new Set(scoreAll(v).filter((s) => s > 0.5));
    expect(high.size).toBeGreaterThan(0);
    for (const s of high) expect([0.9, 0.999, 1]).toContain(s);
  });

  it('damps repeats at every threshold: after a level, only a stronger level passes', () => {
    const v = periodic(10);
    const at = 8 * 288;
    for (let k = 0; k < 40; k++) v[at + k] = 60 + (k % 2) * 8; // a long burst inside the range
    const s = scoreAll(v).slice(at, at + 100);
    for (const level of [0.9, 0.999]) {
      const hits = s.map((x, i) => (x >= level ? i : -1)).filter((i) => i >= 0);
      expect(hits.length).toBe(1);
    }
  });

  it('forgets an early glitch: a later excursion beyond the usual range is a new range again', () => {
    const v = periodic(60);
    v[300] = 1000;
    const at = 50 * 288;
    v[at] = 75;
    expect(scoreAll(v)[at]).toBe(1);
    const never = scoreAll(v, createDetector({ rangeMs: 1e15, rangeReadings: 1e12 }));
    expect(never[at]).toBeLessThan(1);
  });

  it('does not alarm on a smooth trend as it leaves its old range', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const v = Array.from({ length: 60 * 288 }, (_, i) => 50 + i * 0.01 + 10 * Math.sin((2 * Math.PI * i) / 288) + 2 * rnd());
    const s = scoreAll(v).slice(2 * 288);
    expect(s.filter((x) => x === 1).length).toBe(0);
    expect(s.filter((x) => x >= 0.999).length).toBeLessThan(58); // under one confident detection a day
  });

  it('keeps bounded memory: state size does not grow with the stream', () => {
    const d = createDetector();
    const size = () => JSON.stringify(d).length;
    scoreAll(periodic(8), d); // every time-of-week bucket has been seen
    const before = size();
    scoreAll(periodic(30), d, 8 * 288);
    expect(Math.abs(size() - before)).toBeLessThan(before * 0.1);
    expect(d).toBeInstanceOf(CityDetector);
  });
});
