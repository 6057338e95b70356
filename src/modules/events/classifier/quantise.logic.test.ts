// Weight storage: quantised values come back within half a step; bad shapes are refused.
import { describe, expect, it } from 'vitest';
import { dequantise, quantise } from './quantise.logic.js';

describe('quantise', () => {
  const values = [0.5, -0.25, 0.001, 0, 0, 0, -3, 2.5, 0.1];

  for (const bits of [8, 16] as const) {
    it(`round-trips ${bits}-bit rows within half a step of each row's scale`, () => {
      const q = quantise(values, 3, bits);
      expect(q.scales).toHaveLength(3);
      const back = dequantise(JSON.parse(JSON.stringify(q)));
      values.forEach((v, i) => expect(Math.abs((back[i] ?? 0) - v)).toBeLessThanOrEqual((q.scales[Math.floor(i / 3)] ?? 0) / 2 + 1e-12));
      expect(back[3]).toBe(0);
    });
  }

  it('refuses data that does not fit the stated shape', () => {
    const q = quantise(values, 3, 8);
    expect(() => dequantise({ ...q, length: 10 })).toThrow(RangeError);
  });
});
