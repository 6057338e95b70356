import { describe, expect, it } from 'vitest';
import { FAULT_PROFILES, newFaultState, stepFault, type FaultChange } from './fault.logic.js';

const run = (values: number[], cls: keyof typeof FAULT_PROFILES = 'traffic', min = 0, max = 200) => {
  const s = newFaultState();
  const out: NonNullable<FaultChange>[] = [];
  for (const v of values) {
    const c = stepFault(s, FAULT_PROFILES[cls], min, max, v);
    if (c) out.push(c);
  }
  return { s, out };
};
const varying = (n: number) => Array.from({ length: n }, (_, i) => 40 + (i % 5));

describe('stepFault', () => {
  it('flags a normally varying sensor that repeats one value, and clears when it moves', () => {
    const { out } = run([...varying(100), ...new Array<number>(30).fill(41), 42]);
    expect(out).toEqual([{ kind: 'fault', fault: 'stuck' }, { kind: 'recovered', fault: 'stuck' }]);
  });

  it('leaves flat series alone where flat is normal: a sensor that rarely changes, a value at the floor, a dry rain gauge', () => {
    const rarely = Array.from({ length: 300 }, (_, i) => (i % 40 === 0 ? 5 : 4));
    expect(run(rarely).out).toEqual([]);
    expect(run([...varying(100), ...new Array<number>(200).fill(0)]).out).toEqual([]);
    expect(run(new Array<number>(500).fill(0), 'rainfall', 0, 300).out).toEqual([]);
  });

  it('flags impossible jumps and out-of-range or non-numbers', () => {
    expect(run([40, 41, 190]).out).toEqual([{ kind: 'fault', fault: 'jump' }]);
    expect(run([40, 41, 250]).out).toEqual([{ kind: 'fault', fault: 'range' }]);
    expect(run([40, NaN]).out).toEqual([{ kind: 'fault', fault: 'range' }]);
    expect(run([0, 1, 0, 1], 'sos', 0, 1).out).toEqual([]);
  });

  it('recovers from a jump after ten plausible readings in a row (the way back from a spike is a jump too)', () => {
    const { out, s } = run([40, 190, ...varying(10)]);
    expect(out).toEqual([{ kind: 'fault', fault: 'jump' }]);
    expect(s.faulty).toBe('jump');
    expect(stepFault(s, FAULT_PROFILES.traffic, 0, 200, 41)).toEqual({ kind: 'recovered', fault: 'jump' });
  });
});
