/** Unit tests: live filter parsing, matching, and SSE framing. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import type { SensorRef } from '../types.js';
import { matchesFilter, parseLiveFilter, unknownSensorIds } from './filter.logic.js';
import { readingFrames, rowsJson, sseComment, sseEvent } from './frames.logic.js';

const ref = (over: Partial<SensorRef> = {}): SensorRef => ({
  key: 1, id: 's1', class: 'traffic', metric: 'flow', min: 0, max: 10, orgPath: '/city/d1/st1/g1/', lon: 1.5, lat: 42.5, ...over,
});

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : 'not AppError';
  }
  return undefined;
}

describe('parseLiveFilter', () => {
  it('no parameters: everything matches', () => {
    const f = parseLiveFilter({});
    expect(f).toEqual({ classes: null, area: null, bbox: null, sensorIds: null });
    expect(matchesFilter(f, ref())).toBe(true);
  });

  it('parses comma lists, trims blanks', () => {
    const f = parseLiveFilter({ class: 'traffic, noise,', sensor: 'a,b', area: ' d1 ', bbox: '1,42,2,43' });
    expect([...f.classes!]).toEqual(['traffic', 'noise']);
    expect([...f.sensorIds!]).toEqual(['a', 'b']);
    expect(f.area).toBe('d1');
    expect(f.bbox).toEqual([1, 42, 2, 43]);
  });

  it('rejects bad input with 400 and a code', () => {
    expect(code(() => parseLiveFilter({ class: 'traffic,lava' }))).toBe('400 BAD_CLASS');
    expect(code(() => parseLiveFilter({ bbox: '1,2,3' }))).toBe('400 BAD_BBOX');
    expect(code(() => parseLiveFilter({ bbox: '2,42,1,43' }))).toBe('400 BAD_BBOX');
    expect(code(() => parseLiveFilter({ area: 'a/b' }))).toBe('400 BAD_AREA');
    expect(code(() => parseLiveFilter({ sensor: Array.from({ length: 5001 }, (_, i) => `s${i}`).join(',') }))).toBe('400 TOO_MANY_SENSORS');
  });
});

describe('matchesFilter', () => {
  it('class', () => {
    const f = parseLiveFilter({ class: 'noise,traffic' });
    expect(matchesFilter(f, ref())).toBe(true);
    expect(matchesFilter(f, ref({ class: 'smoke' }))).toBe(false);
  });

  it('area matches the unit and its descendants only', () => {
    expect(matchesFilter(parseLiveFilter({ area: 'd1' }), ref())).toBe(true);
    expect(matchesFilter(parseLiveFilter({ area: 'g1' }), ref())).toBe(true);
    expect(matchesFilter(parseLiveFilter({ area: 'd2' }), ref())).toBe(false);
    // a unit id that is a prefix of another must not match it
    expect(matchesFilter(parseLiveFilter({ area: 'd' }), ref())).toBe(false);
    expect(matchesFilter(parseLiveFilter({ area: 'd1' }), ref({ orgPath: null }))).toBe(false);
  });

  it('bbox is inclusive', () => {
    const f = parseLiveFilter({ bbox: '1.5,42.5,2,43' });
    expect(matchesFilter(f, ref())).toBe(true);
    expect(matchesFilter(f, ref({ lon: 1.49 }))).toBe(false);
    expect(matchesFilter(f, ref({ lat: 43.01 }))).toBe(false);
  });

  it('filters combine with AND', () => {
    const f = parseLiveFilter({ class: 'traffic', area: 'd1', sensor: 's1,s2' });
    expect(matchesFilter(f, ref())).toBe(true);
    expect(matchesFilter(f, ref({ id: 's3' }))).toBe(false);
    expect(matchesFilter(f, ref({ class: 'noise' }))).toBe(false);
    expect(matchesFilter(f, ref({ orgPath: '/city/d2/' }))).toBe(false);
  });

  it('names unknown sensor ids', () => {
    expect(unknownSensorIds(parseLiveFilter({ sensor: 'a,b,c' }), (id) => id === 'b')).toEqual(['a', 'c']);
    expect(unknownSensorIds(parseLiveFilter({}), () => false)).toEqual([]);
  });
});

describe('SSE frames', () => {
  it('encodes rows compactly and escapes ids', () => {
    const json = rowsJson([{ id: 's"1', ts: 1000, value: 2.5 }, { id: 's2', ts: 2000, value: -1 }]);
    expect(JSON.parse(json)).toEqual([['s"1', 1000, 2.5], ['s2', 2000, -1]]);
    expect(rowsJson([])).toBe('[]');
  });

  it('frames events and comments', () => {
    expect(sseEvent('reading', '{}')).toBe('event: reading\ndata: {}\n\n');
    expect(sseComment('hb')).toBe(': hb\n\n');
    expect(readingFrames([{ id: 'a', ts: 1, value: 2 }], 0)).toBe('event: reading\ndata: [["a",1,2]]\n\n');
    expect(readingFrames([{ id: 'a', ts: 1, value: 2 }], 7)).toBe('event: dropped\ndata: {"count":7}\n\nevent: reading\ndata: [["a",1,2]]\n\n');
  });
});
