import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { DEFAULT_RULES } from './defaults.js';
import { validateRule, type RuleLookups } from './validate.logic.js';

const look: RuleLookups = {
  sensor: (id) => (id === 's-1' ? { class: 'water_level', thresholds: { warn: 1 } } : undefined),
  orgUnit: (id) => id === 'org-1',
  category: (c) => ['WATERLOGGING', 'FIRE_HAZARD'].includes(c),
};

const good = {
  name: 'high water',
  scope: { kind: 'class', class: 'water_level' },
  condition: { type: 'threshold', op: '>', value: 2, clear: 1.8, forS: 30 },
  severity: 'major',
  openEvent: { minSeverity: 'critical', category: 'WATERLOGGING' },
};

function refusal(raw: unknown): AppError {
  try {
    validateRule(raw, look);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).status).toBe(400);
    return e as AppError;
  }
  throw new Error('expected the rule to be refused');
}

describe('validateRule', () => {
  it('accepts a complete rule and fills in defaults', () => {
    const r = validateRule(good, look);
    expect(r).toMatchObject({ name: 'high water', enabled: true, severity: 'major', condition: { type: 'threshold', clear: 1.8, forS: 30 } });
    expect(validateRule({ ...good, openEvent: undefined }, look).openEvent).toBeNull();
  });

  it('accepts every default rule', () => {
    for (const r of DEFAULT_RULES) expect(() => validateRule(r, { ...look, category: () => true }), r.name).not.toThrow();
  });

  it.each([
    ['unknown class', { ...good, scope: { kind: 'class', class: 'volcano' } }, 'UNKNOWN_CLASS', 'unknown sensor class "volcano"'],
    ['unknown metric', { ...good, scope: { kind: 'class', class: 'traffic', metric: 'colour' } }, 'UNKNOWN_METRIC', 'flow, speed'],
    ['bad op', { ...good, condition: { type: 'threshold', op: '>=', value: 1 } }, 'BAD_OP', 'op must be ">" or "<"'],
    ['missing threshold', { ...good, condition: { type: 'threshold', op: '>' } }, 'MISSING_THRESHOLD', 'condition.value'],
    ['clear on the wrong side', { ...good, condition: { type: 'threshold', op: '>', value: 2, clear: 3 } }, 'BAD_CLEAR', 'at or below the value 2'],
    ['clear with a sensor threshold', { ...good, condition: { type: 'threshold', op: '>', value: 'sensor.warn', clear: 3 } }, 'BAD_CLEAR', 'numeric value'],
    ['negative hold time', { ...good, condition: { type: 'threshold', op: '>', value: 2, forS: -5 } }, 'BAD_WINDOW', 'condition.forS'],
    ['negative rate window', { ...good, condition: { type: 'rate', op: 'rise', perMinute: 1, windowS: -60 } }, 'BAD_WINDOW', 'condition.windowS'],
    ['rate without speed', { ...good, condition: { type: 'rate', op: 'rise', windowS: 60 } }, 'MISSING_THRESHOLD', 'condition.perMinute'],
    ['bad rate op', { ...good, condition: { type: 'rate', op: 'up', perMinute: 1, windowS: 60 } }, 'BAD_OP', 'rise, fall or any'],
    ['missing factor below 1', { ...good, condition: { type: 'missing', factor: 0.5 } }, 'BAD_FACTOR', '1 to 1000'],
    ['compound without parts', { ...good, condition: { type: 'compound', withinM: 1000, all: [] } }, 'EMPTY_COMPOUND', 'at least one part'],
    ['compound part without window', { ...good, condition: { type: 'compound', withinM: 1000, all: [{ class: 'rainfall', measure: 'sum', op: '>', value: 5 }] } }, 'BAD_WINDOW', 'condition.all[0].windowS'],
    ['compound with a negative radius', { ...good, condition: { type: 'compound', withinM: -1, all: [{ class: 'rainfall', measure: 'last', op: '>', value: 5 }] } }, 'BAD_RADIUS', 'withinM'],
    ['unknown sensor', { ...good, scope: { kind: 'sensor', sensorId: 'nope' } }, 'UNKNOWN_SENSOR', 'no sensor "nope"'],
    ['sensor without the threshold', { ...good, scope: { kind: 'sensor', sensorId: 's-1' }, condition: { type: 'threshold', op: '>', value: 'sensor.alarm' } }, 'MISSING_THRESHOLD', 'has no alarm threshold'],
    ['unknown org unit', { ...good, scope: { kind: 'area', orgUnitId: 'org-x', class: 'smoke' } }, 'UNKNOWN_ORG_UNIT', 'no org unit "org-x"'],
    ['unknown category', { ...good, openEvent: { minSeverity: 'major', category: 'PARTY' } }, 'UNKNOWN_CATEGORY', 'PARTY'],
    ['bad severity', { ...good, severity: 'urgent' }, 'BAD_SEVERITY', 'critical, major, minor, warning'],
    ['no name', { ...good, name: ' ' }, 'BAD_RULE', 'name'],
    ['unknown condition type', { ...good, condition: { type: 'vibes' } }, 'BAD_CONDITION', 'threshold, rate, missing, belowUsual or compound'],
  ])('refuses %s with a message that says what is wrong', (_what, raw, code, text) => {
    const e = refusal(raw);
    expect(e.code).toBe(code);
    expect(e.message).toContain(text);
  });

  it('lists every problem at once', () => {
    const e = refusal({ name: '', scope: { kind: 'class', class: 'x' }, condition: { type: 'rate', op: 'up', perMinute: -1, windowS: 0 }, severity: 'loud' });
    const problems = (e.details as { problems: Array<{ field: string }> }).problems.map((p) => p.field);
    expect(problems).toEqual(expect.arrayContaining(['name', 'scope.class', 'condition.op', 'condition.perMinute', 'condition.windowS', 'severity']));
  });

  it('refuses what is not a rule at all', () => {
    expect(refusal('hello').code).toBe('BAD_RULE');
    expect(refusal(null).code).toBe('BAD_RULE');
  });
});

describe('relative (below usual) rules', () => {
  const base = { name: 'jam', scope: { kind: 'class', class: 'traffic', metric: 'speed' }, severity: 'major' };
  it('accepts percent with optional clearPercent, forS and learnS', () => {
    expect(validateRule({ ...base, condition: { type: 'belowUsual', percent: 50, clearPercent: 70, forS: 20, learnS: 1800 } }, look).condition)
      .toEqual({ type: 'belowUsual', percent: 50, clearPercent: 70, forS: 20, learnS: 1800 });
    expect(validateRule({ ...base, condition: { type: 'belowUsual', percent: 40 } }, look).condition).toEqual({ type: 'belowUsual', percent: 40 });
  });
  it.each([
    [{ percent: 0 }, 'BAD_PERCENT', 'condition.percent'],
    [{ percent: 120 }, 'BAD_PERCENT', 'below 100'],
    [{}, 'BAD_PERCENT', 'e.g. 50'],
    [{ percent: 50, clearPercent: 40 }, 'BAD_CLEAR', 'hysteresis'],
    [{ percent: 50, learnS: 5 }, 'BAD_WINDOW', 'condition.learnS'],
    [{ percent: 50, forS: -1 }, 'BAD_WINDOW', 'condition.forS'],
  ])('refuses %j with %s', (cond, code, text) => {
    const e = refusal({ ...base, condition: { type: 'belowUsual', ...cond } });
    expect(e.code).toBe(code);
    expect(e.message).toContain(text);
  });
});
