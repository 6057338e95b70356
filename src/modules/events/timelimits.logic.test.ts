/** Time limits with explicit times: taxonomy limits, overrides, the 80% warning, escalation levels and paused clocks. */
import { describe, expect, it } from 'vitest';
import { categoryOf, limitMs, timeView, type ClockInput, type Taxonomy } from './timelimits.logic.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 22, 8);
const tax: Taxonomy = {
  departments: [{ code: 'CGJ', zh: '城管', en: 'Urban' }],
  categories: [{ code: 'MANHOLE', zh: '井盖', en: 'Manhole', department: 'CGJ', hours: 24, urgentHours: 2 }],
};
const manhole = categoryOf(tax, 'MANHOLE');
const clock = (over: Partial<ClockInput> = {}): ClockInput => ({ state: 'in_progress', clockStartAt: T0, limitMs: 10 * H, pausedMs: 0, suspendedAt: null, ...over });

describe('time limits', () => {
  it('reads hours and urgentHours from the taxonomy, overrides win', () => {
    expect(limitMs(manhole, false)).toBe(24 * H);
    expect(limitMs(manhole, true)).toBe(2 * H);
    expect(limitMs(manhole, false, { MANHOLE: { hours: 12 } })).toBe(12 * H);
    expect(limitMs(manhole, true, { MANHOLE: { hours: 12 } })).toBe(2 * H);
    expect(() => categoryOf(tax, 'NOPE')).toThrow(expect.objectContaining({ status: 400, code: 'UNKNOWN_CATEGORY' }) as Error);
  });

  it('warns at 80%, breaches at 100% (street station) and calls the city centre at 150%', () => {
    expect(timeView(clock(), T0 + 7.9 * H)).toMatchObject({ status: 'ok', dueLevel: 0, deadlineAt: T0 + 10 * H, warnAt: T0 + 8 * H });
    expect(timeView(clock(), T0 + 8 * H)).toMatchObject({ status: 'warning', dueLevel: 0 });
    expect(timeView(clock(), T0 + 10 * H)).toMatchObject({ status: 'breached', dueLevel: 1 });
    expect(timeView(clock(), T0 + 14.9 * H)).toMatchObject({ dueLevel: 1 });
    expect(timeView(clock(), T0 + 15 * H)).toMatchObject({ dueLevel: 2 });
    expect(timeView(clock(), T0 + 9 * H, { warnFraction: 0.95, cityCentreFraction: 2 })).toMatchObject({ status: 'ok' });
  });

  it('a suspension pauses the clock and moves the deadline', () => {
    // suspended at 6 h for 4 h so far: 6 h elapsed, deadline 4 h later
    const s = timeView(clock({ suspendedAt: T0 + 6 * H }), T0 + 10 * H);
    expect(s).toMatchObject({ status: 'ok', paused: true, elapsedMs: 6 * H, deadlineAt: T0 + 14 * H });
    // resumed after 5 h paused in total
    expect(timeView(clock({ pausedMs: 5 * H }), T0 + 14 * H)).toMatchObject({ elapsedMs: 9 * H, status: 'warning', deadlineAt: T0 + 15 * H });
  });

  it('the clock stops once the result is reported', () => {
    for (const state of ['result_reported', 'rated', 'closed'] as const) {
      expect(timeView(clock({ state }), T0 + 100 * H)).toMatchObject({ status: 'stopped', deadlineAt: null, dueLevel: 0 });
    }
  });
});
