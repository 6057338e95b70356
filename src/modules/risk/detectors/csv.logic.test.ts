// Unit tests of the NAB CSV parser and writer.
import { describe, expect, it } from 'vitest';
import { formatScoredCsv, parseNabCsv, parseNabTime } from './csv.logic.js';

describe('NAB CSV', () => {
  it('reads NAB timestamps as UTC, with or without fractional seconds', () => {
    expect(parseNabTime('2014-04-10 07:15:00')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(parseNabTime('2014-04-10 07:15:00.000000')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(parseNabTime('yesterday')).toBeNaN();
  });

  it('round-trips rows and names the line of a bad value', () => {
    const s = parseNabCsv('timestamp,value\r\n2014-01-01 00:00:00,1.5\r\n2014-01-01 00:05:00,-2\r\n');
    expect(s.rows.map((r) => r.value)).toEqual([1.5, -2]);
    expect(formatScoredCsv(s, [0, 0.25])).toBe('timestamp,value,anomaly_score\n2014-01-01 00:00:00,1.5,0\n2014-01-01 00:05:00,-2,0.25\n');
    expect(() => parseNabCsv('timestamp,value\n2014-01-01 00:00:00,\n')).toThrow(/line 2: value "" is not a number/);
    expect(() => parseNabCsv('ts,v\n')).toThrow(/line 1/);
  });
});
