/** Bulk-import parsing: rows from CSV and GeoJSON, line numbers, reasons, whole-file errors. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { detectFormat, rejectDuplicateIds, rowsFromCsv, rowsFromGeoJson } from './import.logic.js';

const fixture = (name: string) => fs.readFileSync(new URL(`../../../../test/fixtures/sensors/${name}`, import.meta.url), 'utf8');
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'none';
};

describe('rowsFromCsv', () => {
  it('reads every row of the good fixture, one per class', () => {
    const rows = rowsFromCsv(fixture('good.csv'));
    expect(rows).toHaveLength(13);
    expect(rows.every((r) => r.sensor && !r.reason)).toBe(true);
    expect(new Set(rows.map((r) => r.sensor!.class)).size).toBe(12);
    expect(rows[1]!.sensor).toMatchObject({ id: 'fx-traffic-2', name: 'Avinguda Carlemany, speed', metric: 'speed', unit: 'km/h', min: 0, max: 150, department: 'JJ', expectedIntervalS: 60 });
    expect(rows[3]!.sensor).toMatchObject({ metric: 'laeq', expectedIntervalS: 60, min: 20, max: 140 });
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('reports each bad row of the mixed fixture (CRLF, a quoted line break) with its physical line and reason', () => {
    const rows = rowsFromCsv(fixture('mixed.csv'));
    rejectDuplicateIds(rows);
    const bad = Object.fromEntries(rows.filter((r) => r.reason).map((r) => [r.line, r.reason]));
    expect(Object.keys(bad).map(Number)).toEqual([3, 6, 7, 8, 9, 10, 11, 13]);
    expect(bad[3]).toMatch(/class: must be one of/);
    expect(bad[6]).toMatch(/noise measures laeq/);
    expect(bad[7]).toMatch(/longitude must be -180..180/);
    expect(bad[8]).toMatch(/min must be less than max/);
    expect(bad[9]).toMatch(/expected 10 fields as in the header, got 5/);
    expect(bad[10]).toMatch(/lon: "abc" is not a number/);
    expect(bad[11]).toMatch(/id mx-1 repeats the row on line 2/);
    expect(bad[13]).toMatch(/department/);
    const good = rows.filter((r) => r.sensor);
    expect(good.map((r) => r.line)).toEqual([2, 4, 14, 15]);
    expect(good[1]!.sensor!.name).toBe('Two-line\r\nname');
    expect(good[3]!.sensor!.id).toBeUndefined();
  });

  it('accepts columns in any order and case, optional ones left out', () => {
    const rows = rowsFromCsv('LAT,Lon,Class,Name\n42.5,1.5,tilt,Manhole\n');
    expect(rows[0]!.sensor).toMatchObject({ class: 'tilt', metric: 'angle', lon: 1.5, lat: 42.5, name: 'Manhole' });
  });

  it('reads thresholds and state columns', () => {
    const rows = rowsFromCsv('name,class,lon,lat,warn,alarm,state\nG,water_level,1.5,42.5,3,4.5,maintenance\nH,water_level,1.5,42.5,,,\n');
    expect(rows[0]!.sensor).toMatchObject({ thresholds: { warn: 3, alarm: 4.5 }, state: 'maintenance' });
    expect(rows[1]!.sensor).toMatchObject({ thresholds: null, state: 'active' });
  });

  it('requires a location', () => {
    const rows = rowsFromCsv('name,class,lon,lat\nG,noise,,\n');
    expect(rows[0]!.reason).toMatch(/lon and lat are required/);
  });

  it('rejects a file whose header is wrong, saying which columns', () => {
    expect(codeOf(() => rowsFromCsv(''))).toBe('IMPORT_EMPTY');
    expect(codeOf(() => rowsFromCsv('name,class,lon\n'))).toBe('IMPORT_BAD_HEADER');
    expect(() => rowsFromCsv('name,class,lon\n')).toThrow(/missing column\(s\) lat/);
    expect(() => rowsFromCsv('name,class,lon,lat,intervall_s\n')).toThrow(/unknown column\(s\) intervall_s/);
    expect(() => rowsFromCsv('name,class,lon,lat,lat\n')).toThrow(/repeated column\(s\) lat/);
  });

  it('a header alone gives no rows', () => {
    expect(rowsFromCsv('name,class,lon,lat\r\n')).toEqual([]);
  });
});

describe('rowsFromGeoJson', () => {
  it('reads good features and reports bad ones by feature index + 1', () => {
    const rows = rowsFromGeoJson(fixture('mixed.geojson'));
    expect(rows.filter((r) => r.sensor).map((r) => r.sensor!.id)).toEqual(['gj-1', 'gj-2', 'gj-6']);
    const bad = Object.fromEntries(rows.filter((r) => r.reason).map((r) => [r.line, r.reason]));
    expect(Object.keys(bad).map(Number)).toEqual([3, 4, 5, 7]);
    expect(bad[3]).toMatch(/Point/);
    expect(bad[4]).toMatch(/class/);
    expect(bad[5]).toMatch(/latitude/);
    expect(bad[7]).toMatch(/interval_s: "2.5" is not a whole number|whole seconds/);
    expect(rows[0]!.sensor).toMatchObject({ metric: 'speed', expectedIntervalS: 30, lon: 1.5235, lat: 42.5078 });
    expect(rows[5]!.sensor).toMatchObject({ metric: 'no2', expectedIntervalS: 600 });
  });

  it('accepts an already parsed document', () => {
    const rows = rowsFromGeoJson({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { name: 'n', class: 'sos' } }] });
    expect(rows[0]!.sensor).toMatchObject({ class: 'sos', metric: 'alert', lon: 1, lat: 2 });
  });

  it('reports features that are not features, and missing properties', () => {
    const rows = rowsFromGeoJson({ type: 'FeatureCollection', features: [null, 5, { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: null }] });
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(rows[0]!.reason).toMatch(/not a GeoJSON Feature/);
    expect(rows[2]!.reason).toMatch(/class/);
  });

  it('rejects what is not a FeatureCollection as a whole', () => {
    expect(codeOf(() => rowsFromGeoJson('{not json'))).toBe('IMPORT_BAD_GEOJSON');
    expect(codeOf(() => rowsFromGeoJson('{"type":"Feature"}'))).toBe('IMPORT_BAD_GEOJSON');
    expect(codeOf(() => rowsFromGeoJson([]))).toBe('IMPORT_BAD_GEOJSON');
  });
});

describe('detectFormat', () => {
  it('goes by the file name or content type, then by the content', () => {
    expect(detectFormat('{', 'x.csv')).toBe('csv');
    expect(detectFormat('a,b', 'sensors.geojson')).toBe('geojson');
    expect(detectFormat('a,b', 'application/geo+json')).toBe('geojson');
    expect(detectFormat('a,b', 'text/csv')).toBe('csv');
    expect(detectFormat('\uFEFF  {"type":"FeatureCollection"}')).toBe('geojson');
    expect(detectFormat('id,name')).toBe('csv');
  });
});
