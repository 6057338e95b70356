/** The indicator-class table: complete, consistent, and the lookups answer as documented. */
import { describe, expect, it } from 'vitest';
import { SENSOR_CLASSES } from './types.js';
import { METRIC_DEFINITIONS, SENSOR_CLASS_INFO, classInfo, defaultMetric, definitionFor, isSensorClass, metricsOf, retentionFor } from './classes.js';

describe('sensor classes', () => {
  it('covers all 12 classes of SPEC S2 in order, each with at least one metric', () => {
    expect(SENSOR_CLASS_INFO.map((i) => i.class)).toEqual([...SENSOR_CLASSES]);
    expect(SENSOR_CLASS_INFO).toHaveLength(12);
    for (const i of SENSOR_CLASS_INFO) expect(i.metrics.length).toBeGreaterThan(0);
  });

  it('gives every metric a unit, a range with min < max, both names and a positive interval', () => {
    for (const d of METRIC_DEFINITIONS) {
      expect(d.unit, `${d.class}.${d.metric}`).not.toBe('');
      expect(d.min).toBeLessThan(d.max);
      expect(d.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(d.nameEn).toMatch(/[A-Za-z]/);
      expect(Number.isInteger(d.intervalS) && d.intervalS > 0).toBe(true);
      expect(d.metric).toMatch(/^[a-z0-9_]+$/);
    }
  });

  it('has the seeds\' metrics with the expected units and ranges', () => {
    expect(definitionFor('traffic', 'flow')).toMatchObject({ unit: 'veh/h', min: 0, max: 10_000 });
    expect(definitionFor('traffic', 'speed')).toMatchObject({ unit: 'km/h', min: 0, max: 200 });
    expect(metricsOf('air_quality').map((d) => d.metric)).toEqual(['pm25', 'pm10', 'no2', 'o3']);
    expect(definitionFor('air_quality', 'no2')?.unit).toBe('µg/m³');
    expect(definitionFor('noise', 'laeq')).toMatchObject({ unit: 'dB(A)', min: 20, max: 140 });
    expect(definitionFor('water_level', 'level')).toMatchObject({ unit: 'm', min: -10, max: 50 });
    expect(definitionFor('rainfall', 'intensity')).toMatchObject({ unit: 'mm/h', min: 0, max: 300 });
    expect(definitionFor('pipe', 'pressure')).toMatchObject({ unit: 'kPa', min: 0, max: 2000 });
    expect(definitionFor('pipe', 'flow')?.unit).toBe('m³/h');
    expect(definitionFor('energy', 'load')?.unit).toBe('kW');
    expect(definitionFor('crowd', 'density')).toMatchObject({ unit: 'persons/m²', min: 0, max: 10 });
    expect(definitionFor('parking', 'occupancy')).toMatchObject({ unit: '%', min: 0, max: 100 });
    expect(definitionFor('tilt', 'angle')).toMatchObject({ unit: '°', min: -90, max: 90 });
    expect(definitionFor('smoke', 'obscuration')).toMatchObject({ unit: '%/m', min: 0, max: 100 });
    expect(definitionFor('sos', 'alert')).toMatchObject({ min: 0, max: 1 });
  });

  it('answers undefined for a metric the class does not measure', () => {
    expect(definitionFor('traffic', 'pm25')).toBeUndefined();
    expect(definitionFor('noise', 'flow')).toBeUndefined();
  });

  it('names a default metric per class that is one of its own', () => {
    expect(defaultMetric('traffic').metric).toBe('flow');
    expect(defaultMetric('air_quality').metric).toBe('pm25');
    expect(defaultMetric('pipe').metric).toBe('pressure');
    for (const c of SENSOR_CLASSES) expect(definitionFor(c, defaultMetric(c).metric)).toBe(defaultMetric(c));
    for (const c of SENSOR_CLASSES) expect(classInfo(c).defaultMetric).toBe(defaultMetric(c).metric);
  });

  it('keeps raw data 30 days by default and SOS a year; rollups longer than raw', () => {
    expect(retentionFor('traffic').rawDays).toBe(30);
    expect(retentionFor('sos').rawDays).toBe(365);
    for (const c of SENSOR_CLASSES) {
      const r = retentionFor(c);
      expect(r.minuteDays).toBeGreaterThanOrEqual(r.rawDays);
      expect(r.hourDays).toBeGreaterThanOrEqual(r.minuteDays);
      expect(r.dayDays).toBeGreaterThanOrEqual(r.hourDays);
    }
  });

  it('recognises class names', () => {
    expect(isSensorClass('smoke')).toBe(true);
    expect(isSensorClass('Smoke')).toBe(false);
    expect(isSensorClass('toString')).toBe(false);
    expect(isSensorClass(3)).toBe(false);
  });
});
