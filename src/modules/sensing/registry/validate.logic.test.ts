/** Sensor and device validation: defaults, every rejection code, and how patches merge. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import type { Sensor, SensorInput } from '../types.js';
import { applySensorPatch, sameSensor, validateDepartment, validateDevice, validateSensor } from './validate.logic.js';

const at = (lon: number, lat: number) => ({ type: 'Point' as const, coordinates: [lon, lat] as [number, number] });
const base: SensorInput = { name: 'Gauge', class: 'water_level', location: at(1.53, 42.51) };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).status).toBe(400);
    return (e as AppError).code;
  }
  throw new Error('expected a 400 AppError');
}

describe('validateSensor', () => {
  it('fills in the defaults of the class and metric', () => {
    expect(validateSensor(base)).toEqual({
      id: undefined, deviceId: null, name: 'Gauge', class: 'water_level', metric: 'level', unit: 'm', lon: 1.53, lat: 42.51,
      department: null, expectedIntervalS: 60, min: -10, max: 50, thresholds: null, state: 'active',
    });
  });

  it('keeps what the caller set and upper-cases the department', () => {
    const v = validateSensor({ ...base, id: 'g-1', class: 'air_quality', metric: 'no2', department: 'hbj', expectedIntervalS: 600, min: 0, max: 400, thresholds: { warn: 100, alarm: 200 }, state: 'maintenance', name: '  NO2 site ' });
    expect(v).toMatchObject({ id: 'g-1', metric: 'no2', unit: 'µg/m³', department: 'HBJ', expectedIntervalS: 600, min: 0, max: 400, thresholds: { warn: 100, alarm: 200 }, state: 'maintenance', name: 'NO2 site' });
  });

  it('rejects each kind of bad input with its own code', () => {
    expect(codeOf(() => validateSensor({ ...base, class: 'weather' as never }))).toBe('UNKNOWN_CLASS');
    expect(codeOf(() => validateSensor({ ...base, metric: 'pm25' }))).toBe('UNKNOWN_METRIC');
    expect(codeOf(() => validateSensor({ ...base, location: at(181, 0) }))).toBe('BAD_COORDINATES');
    expect(codeOf(() => validateSensor({ ...base, location: at(0, -91) }))).toBe('BAD_COORDINATES');
    expect(codeOf(() => validateSensor({ ...base, location: { type: 'Point', coordinates: [Number.NaN, 1] } as never }))).toBe('BAD_COORDINATES');
    expect(codeOf(() => validateSensor({ ...base, location: undefined as never }))).toBe('BAD_COORDINATES');
    expect(codeOf(() => validateSensor({ ...base, min: 5, max: 5 }))).toBe('BAD_RANGE');
    expect(codeOf(() => validateSensor({ ...base, min: 60 }))).toBe('BAD_RANGE');
    expect(codeOf(() => validateSensor({ ...base, max: Number.POSITIVE_INFINITY }))).toBe('BAD_NUMBER');
    expect(codeOf(() => validateSensor({ ...base, department: 'Water Dept' }))).toBe('BAD_DEPARTMENT');
    expect(codeOf(() => validateSensor({ ...base, department: 'ABCDEFGHIJKLMNOPQ' }))).toBe('BAD_DEPARTMENT');
    expect(codeOf(() => validateSensor({ ...base, expectedIntervalS: 0 }))).toBe('BAD_INTERVAL');
    expect(codeOf(() => validateSensor({ ...base, expectedIntervalS: 1.5 }))).toBe('BAD_INTERVAL');
    expect(codeOf(() => validateSensor({ ...base, state: 'silent' }))).toBe('BAD_STATE');
    expect(codeOf(() => validateSensor({ ...base, thresholds: { warn: 'high' } as never }))).toBe('BAD_NUMBER');
    expect(codeOf(() => validateSensor({ ...base, thresholds: { critical: 3 } as never }))).toBe('BAD_THRESHOLDS');
    expect(codeOf(() => validateSensor({ ...base, name: '   ' }))).toBe('BAD_NAME');
    expect(codeOf(() => validateSensor({ ...base, id: 'has space' }))).toBe('BAD_ID');
    expect(codeOf(() => validateSensor({ ...base, id: 'x'.repeat(65) }))).toBe('BAD_ID');
    expect(codeOf(() => validateSensor(null as never))).toBe('BAD_SENSOR');
    expect(codeOf(() => validateSensor([] as never))).toBe('BAD_SENSOR');
  });

  it('says what to fix in the message', () => {
    expect(() => validateSensor({ ...base, metric: 'pm25' })).toThrow(/water_level measures level/);
    expect(() => validateSensor({ ...base, class: 'weather' as never })).toThrow(/one of traffic, air_quality/);
  });

  it('accepts a department of 1–16 characters A–Z, 0–9 or _', () => {
    expect(validateDepartment('SWJ')).toBe('SWJ');
    expect(validateDepartment('water_2')).toBe('WATER_2');
    expect(validateDepartment('')).toBeNull();
    expect(validateDepartment(null)).toBeNull();
  });
});

describe('applySensorPatch', () => {
  const stored: Sensor = {
    id: 's1', deviceId: null, name: 'Gauge', class: 'water_level', metric: 'level', unit: 'm', location: at(1.53, 42.51), department: 'SWJ',
    orgUnitId: null, orgPath: null, expectedIntervalS: 120, min: -2, max: 8, thresholds: { warn: 3 }, state: 'active', createdAt: 1, updatedAt: 1,
  };

  it('keeps every field the patch does not name', () => {
    const v = validateSensor(applySensorPatch(stored, { name: 'Renamed' }));
    expect(v).toMatchObject({ id: 's1', name: 'Renamed', metric: 'level', min: -2, max: 8, expectedIntervalS: 120, department: 'SWJ', thresholds: { warn: 3 } });
    expect(sameSensor({ ...validateSensor(applySensorPatch(stored, {})), id: 's1' }, stored)).toBe(true);
  });

  it('clears nullable fields given null', () => {
    const v = validateSensor(applySensorPatch(stored, { department: null, thresholds: null }));
    expect(v.department).toBeNull();
    expect(v.thresholds).toBeNull();
  });

  it('brings the new class\'s default metric, unit, range and interval when the class changes', () => {
    const v = validateSensor(applySensorPatch(stored, { class: 'rainfall' }));
    expect(v).toMatchObject({ class: 'rainfall', metric: 'intensity', unit: 'mm/h', min: 0, max: 300, expectedIntervalS: 60 });
  });

  it('keeps a range given together with a new metric', () => {
    const v = validateSensor(applySensorPatch({ ...stored, class: 'traffic', metric: 'flow', unit: 'veh/h', min: 0, max: 5000 }, { metric: 'speed', max: 120 }));
    expect(v).toMatchObject({ metric: 'speed', unit: 'km/h', min: 0, max: 120 });
  });

  it('turns a derived silent state back into active', () => {
    expect(applySensorPatch({ ...stored, state: 'silent' }, { name: 'x' }).state).toBe('active');
  });

  it('notices any difference', () => {
    const same = { ...validateSensor(applySensorPatch(stored, {})), id: 's1' };
    expect(sameSensor({ ...same, lat: 42.52 }, stored)).toBe(false);
    expect(sameSensor({ ...same, thresholds: { warn: 4 } }, stored)).toBe(false);
    expect(sameSensor({ ...same, state: 'inactive' }, stored)).toBe(false);
  });
});

describe('validateDevice', () => {
  it('validates kind, name and location', () => {
    expect(validateDevice({ name: 'Station', kind: 'weather_station', location: at(1.5, 42.5), department: 'swj' })).toEqual({ id: undefined, name: 'Station', kind: 'weather_station', lon: 1.5, lat: 42.5, department: 'SWJ' });
    expect(codeOf(() => validateDevice({ name: 'S', kind: 'weather station', location: at(1.5, 42.5) }))).toBe('BAD_KIND');
    expect(codeOf(() => validateDevice({ name: 'S', kind: 'gw', location: at(1.5, 99) }))).toBe('BAD_COORDINATES');
  });
});
