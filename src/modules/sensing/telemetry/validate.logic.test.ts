/** Unit tests of reading validation: timestamps, values, ranges, retention, provisioning requests and NDJSON. */
import { describe, expect, it } from 'vitest';
import type { SensorRef } from '../types.js';
import {
  allocColumns, parseIso, parseNdjson, parseTimestamp, provisionRequests, validateProvisioned, validateReadings, type ValidationContext,
} from './validate.logic.js';

const NOW = Date.UTC(2026, 10, 22, 8, 0, 0);
const gauge: SensorRef = { key: 7, id: 'wl-1', class: 'water_level', metric: 'level', min: -10, max: 50, orgPath: '/c/d/', lon: 1.5, lat: 42.5 };
const sos: SensorRef = { key: 8, id: 'sos-1', class: 'sos', metric: 'alert', min: 0, max: 1, orgPath: null, lon: 1.5, lat: 42.5 };
const refs = new Map([gauge, sos].map((r) => [r.id, r]));
const ctx: ValidationContext = {
  now: NOW,
  maxFutureMs: 5 * 60_000,
  lookup: (id) => refs.get(id),
  oldestFor: (c) => NOW - (c === 'sos' ? 365 : 30) * 86_400_000,
};

function run(batch: unknown[]) {
  const cols = allocColumns(batch.length);
  const pass = validateReadings(batch, ctx, cols);
  return { cols, ...pass, codes: pass.rejected.map((r) => `${r.index}:${r.code}`) };
}

describe('parseIso', () => {
  it('reads UTC, offsets and fractions like Date.parse does', () => {
    for (const s of ['2026-11-22T08:00:00Z', '2026-11-22T08:00:00.5Z', '2026-11-22T08:00:00.123456789Z', '2026-11-22T10:30:00+02:30', '2026-11-22T03:00:00-0500', '2026-11-22 08:00:00z', '2024-02-29T23:59:59.999+00']) {
      expect(parseIso(s), s).toBe(Date.parse(s.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00').replace(/([+-]\d\d)(\d\d)$/, '$1:$2')));
    }
  });

  it('refuses a bare local time, impossible dates and junk', () => {
    for (const s of ['2026-11-22T08:00:00', '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-22T24:00:00Z', '2026-11-22T08:00:00.Z', '2026-11-22T08:00:00ZZ', 'yesterday at noon, UTC', '2026-11-22T08:00:00+2']) {
      expect(parseIso(s), s).toBeNaN();
    }
  });

  it('accepts epoch milliseconds (floored) and refuses non-finite or negative numbers', () => {
    expect(parseTimestamp(NOW + 0.7)).toBe(NOW);
    expect(parseTimestamp(Infinity)).toBeNaN();
    expect(parseTimestamp(-1)).toBeNaN();
    expect(parseTimestamp(null)).toBeNaN();
    expect(parseTimestamp(true)).toBeNaN();
  });
});

describe('validateReadings', () => {
  it('puts good readings into the columns', () => {
    const r = run([{ sensor: 'wl-1', ts: '2026-11-22T07:59:00Z', value: 1.25 }, { sensor: 'wl-1', ts: NOW, value: -3 }]);
    expect(r.rejected).toEqual([]);
    expect(r.cols.n).toBe(2);
    expect([...r.cols.keys.subarray(0, 2)]).toEqual([7, 7]);
    expect([...r.cols.ts.subarray(0, 2)]).toEqual([NOW - 60_000, NOW]);
    expect([...r.cols.values.subarray(0, 2)]).toEqual([1.25, -3]);
  });

  it('gives every bad reading its index, a stable code and a reason', () => {
    const r = run([
      null,
      [1, 2],
      { ts: NOW, value: 1 },
      { sensor: 'wl-1', ts: NOW, value: 'NaN' },
      { sensor: 'wl-1', ts: NOW, value: Infinity },
      { sensor: 'wl-1', ts: NOW, value: 51 },
      { sensor: 'wl-1', ts: 'noon', value: 1 },
      { sensor: 'wl-1', ts: NOW + 6 * 60_000, value: 1 },
      { sensor: 'wl-1', ts: NOW - 31 * 86_400_000, value: 1 },
      { sensor: 'sos-1', ts: NOW - 31 * 86_400_000, value: 1 },
      { sensor: 'nobody', ts: NOW, value: 1 },
      { sensor: 'wl-1', value: 1 },
    ]);
    expect(r.codes).toEqual([
      '0:NOT_AN_OBJECT', '1:NOT_AN_OBJECT', '2:BAD_SENSOR', '3:VALUE_NOT_NUMBER', '4:VALUE_NOT_FINITE', '5:VALUE_IMPLAUSIBLE',
      '6:BAD_TIMESTAMP', '7:TS_IN_FUTURE', '8:TS_TOO_OLD', '11:BAD_TIMESTAMP',
    ]);
    expect(r.unknown).toEqual([10]);
    expect(r.cols.n).toBe(1); // the SOS reading: its class keeps raw data a year
    expect(r.rejected.find((x) => x.code === 'VALUE_IMPLAUSIBLE')!.reason).toContain('-10..50');
    expect(r.rejected.find((x) => x.code === 'VALUE_NOT_NUMBER')!.reason).toContain('"NaN" (a string)');
  });

  it('hints at epoch seconds sent instead of milliseconds', () => {
    const r = run([{ sensor: 'wl-1', ts: Math.floor(NOW / 1000), value: 1 }]);
    expect(r.rejected[0]).toMatchObject({ code: 'TS_TOO_OLD' });
    expect(r.rejected[0]!.reason).toContain('epoch seconds');
  });

  it('keeps pre-rejected indexes (bad NDJSON lines) as they are', () => {
    const cols = allocColumns(2);
    const pass = validateReadings([null, { sensor: 'wl-1', ts: NOW, value: 2 }], ctx, cols, new Map([[0, { index: 0, code: 'INVALID_JSON', reason: 'line 1' }]]));
    expect(pass.rejected).toEqual([{ index: 0, code: 'INVALID_JSON', reason: 'line 1' }]);
    expect(cols.n).toBe(1);
  });
});

describe('provisioning requests', () => {
  it('takes class and location from the first reading of an unknown sensor that carries a class', () => {
    const batch = [
      { sensor: 'new-1', ts: NOW, value: 1 },
      { sensor: 'new-1', ts: NOW - 1, value: 2, class: 'water_level', lon: 1.52, lat: 42.51 },
      { sensor: 'new-2', ts: NOW, value: 3, class: 'lava', lon: 1, lat: 2 },
      { sensor: 'new-3', ts: NOW, value: 3, class: 'noise', lon: 181, lat: 2 },
      { sensor: 'new-4', ts: NOW, value: 3, class: 'noise' },
      { sensor: 'new-5', ts: NOW, value: 3 },
      { sensor: 'new-6', ts: NOW, value: 3, class: 'noise', metric: 'pm25', lon: 1, lat: 2 },
    ];
    const reqs = provisionRequests(batch, [0, 1, 2, 3, 4, 5, 6]);
    expect(reqs.get('new-1')).toEqual({ id: 'new-1', class: 'water_level', lon: 1.52, lat: 42.51 });
    expect(reqs.get('new-2')).toMatchObject({ code: 'UNKNOWN_CLASS' });
    expect(reqs.get('new-3')).toMatchObject({ code: 'BAD_COORDINATES' });
    expect(reqs.get('new-4')).toMatchObject({ code: 'LOCATION_REQUIRED' });
    expect(reqs.get('new-5')).toMatchObject({ code: 'UNKNOWN_SENSOR' });
    expect(reqs.get('new-6')).toMatchObject({ code: 'UNKNOWN_METRIC' });
  });

  it('checks provisioned sensors for range and age in a second pass', () => {
    const fresh: SensorRef = { ...gauge, key: 9, id: 'new-1' };
    const c2: ValidationContext = { ...ctx, lookup: (id) => (id === 'new-1' ? fresh : undefined) };
    const batch = [{ sensor: 'new-1', ts: NOW, value: 99 }, { sensor: 'new-1', ts: NOW, value: 3 }, { sensor: 'gone', ts: NOW, value: 3 }];
    const cols = allocColumns(3);
    const rejected = validateProvisioned(batch, [0, 1, 2], c2, cols);
    expect(rejected.map((r) => `${r.index}:${r.code}`)).toEqual(['0:VALUE_IMPLAUSIBLE', '2:UNKNOWN_SENSOR']);
    expect(cols.n).toBe(1);
  });
});

describe('parseNdjson', () => {
  it('parses one reading per line, skips blank lines and rejects bad lines by index', () => {
    const { items, bad } = parseNdjson('{"sensor":"a","ts":1,"value":1}\r\n\n{oops\n{"sensor":"b","ts":2,"value":2}\n');
    expect(items).toEqual([{ sensor: 'a', ts: 1, value: 1 }, null, { sensor: 'b', ts: 2, value: 2 }]);
    expect([...bad.values()]).toEqual([expect.objectContaining({ index: 1, code: 'INVALID_JSON', reason: expect.stringContaining('line 3') })]);
  });

  it('yields nothing for an empty body', () => {
    expect(parseNdjson('\n  \n').items).toEqual([]);
  });
});
