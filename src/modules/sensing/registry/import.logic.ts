/**
 * Bulk import (pure): turn a CSV or GeoJSON file into validated sensors,
 * one result per row, each bad row with its line (CSV: the physical line;
 * GeoJSON: feature index + 1) and the reason. Whole-file problems (no header,
 * not a FeatureCollection) throw a 400 AppError instead.
 */
import { badRequest, isAppError } from '../../../platform/errors.js';
import type { SensorInput } from '../types.js';
import { parseCsv } from './csv.logic.js';
import type { ValidSensor } from './types.js';
import { validateSensor } from './validate.logic.js';

export const REQUIRED_COLUMNS = ['name', 'class', 'lon', 'lat'] as const;
export const OPTIONAL_COLUMNS = ['id', 'metric', 'department', 'interval_s', 'min', 'max', 'warn', 'alarm', 'state'] as const;
const KNOWN = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);

export type ImportFormat = 'csv' | 'geojson';

export interface ImportRow {
  line: number;
  sensor?: ValidSensor;
  reason?: string;
}

/** Decide the format from a file name or content type, else from the first character. */
export function detectFormat(text: string, hint?: string): ImportFormat {
  const h = (hint ?? '').toLowerCase();
  if (/\.csv$|text\/csv/.test(h)) return 'csv';
  if (/\.(geo)?json$|json/.test(h)) return 'geojson';
  return /^\uFEFF?\s*[{[]/.test(text) ? 'geojson' : 'csv';
}

function reasonOf(e: unknown): string {
  if (isAppError(e)) return e.message;
  throw e;
}

/** A number from a cell or property: empty means "not given". */
function num(v: unknown, field: string, integer = false): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') throw badRequest('BAD_NUMBER', `${field}: expected a number; got ${JSON.stringify(v)}`);
  const t = v.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) || !Number.isFinite(n)) throw badRequest('BAD_NUMBER', `${field}: "${t}" is not a number`);
  if (integer && !Number.isInteger(n)) throw badRequest('BAD_NUMBER', `${field}: "${t}" is not a whole number`);
  return n;
}

const str = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'string' ? v.trim() : String(v);
  return s === '' ? undefined : s;
};

/** One row's named values → a validated sensor (throws AppError with the reason). */
export function rowToSensor(get: (column: string) => unknown, coords?: [unknown, unknown]): ValidSensor {
  const lon = coords ? num(coords[0], 'lon') : num(get('lon'), 'lon');
  const lat = coords ? num(coords[1], 'lat') : num(get('lat'), 'lat');
  if (lon === undefined || lat === undefined) throw badRequest('SENSOR_LOCATION_REQUIRED', 'lon and lat are required (WGS84 degrees)');
  const warn = num(get('warn'), 'warn');
  const alarm = num(get('alarm'), 'alarm');
  const input = {
    id: str(get('id')),
    name: str(get('name')) ?? '',
    class: str(get('class')),
    metric: str(get('metric')),
    location: { type: 'Point', coordinates: [lon, lat] },
    department: str(get('department')),
    expectedIntervalS: num(get('interval_s'), 'interval_s', true),
    min: num(get('min'), 'min'),
    max: num(get('max'), 'max'),
    thresholds: warn === undefined && alarm === undefined ? null : { warn, alarm },
    state: str(get('state')),
  } as unknown as SensorInput;
  return validateSensor(input);
}

/** Rows of a CSV file with the header id,name,class,metric,lon,lat,department,interval_s,min,max. */
export function rowsFromCsv(text: string): ImportRow[] {
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) throw badRequest('IMPORT_EMPTY', 'The file is empty; expected a header line such as id,name,class,metric,lon,lat,department,interval_s,min,max');
  const cols = header.fields.map((f) => f.trim().toLowerCase());
  const unknown = cols.filter((c) => !KNOWN.has(c));
  const missing = REQUIRED_COLUMNS.filter((c) => !cols.includes(c));
  const dup = cols.filter((c, i) => cols.indexOf(c) !== i);
  if (header.error || unknown.length || missing.length || dup.length) {
    const why = [
      header.error,
      missing.length ? `missing column(s) ${missing.join(', ')}` : '',
      unknown.length ? `unknown column(s) ${unknown.join(', ')}` : '',
      dup.length ? `repeated column(s) ${dup.join(', ')}` : '',
    ].filter(Boolean).join('; ');
    throw badRequest('IMPORT_BAD_HEADER', `CSV header on line ${header.line}: ${why}. Columns: ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(', ')} (${REQUIRED_COLUMNS.join(', ')} required)`);
  }
  const index = new Map(cols.map((c, i) => [c, i]));
  return records.map((r): ImportRow => {
    if (r.error) return { line: r.line, reason: r.error };
    if (r.fields.length !== cols.length) return { line: r.line, reason: `expected ${cols.length} fields as in the header, got ${r.fields.length}` };
    try {
      return { line: r.line, sensor: rowToSensor((c) => { const i = index.get(c); return i === undefined ? undefined : r.fields[i]; }) };
    } catch (e) {
      return { line: r.line, reason: reasonOf(e) };
    }
  });
}

/** Rows of a GeoJSON FeatureCollection of Points (properties named like the CSV columns). */
export function rowsFromGeoJson(doc: unknown): ImportRow[] {
  let d = doc;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d.charCodeAt(0) === 0xfeff ? d.slice(1) : d);
    } catch (e) {
      throw badRequest('IMPORT_BAD_GEOJSON', `The file is not valid JSON: ${(e as Error).message}`);
    }
  }
  const fc = d as { type?: unknown; features?: unknown } | null;
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw badRequest('IMPORT_BAD_GEOJSON', 'Expected a GeoJSON FeatureCollection: {"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[lon,lat]},"properties":{"name":…,"class":…}}]}');
  }
  return fc.features.map((f: unknown, i): ImportRow => {
    const line = i + 1;
    const feat = f as { type?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null; properties?: unknown } | null;
    if (!feat || typeof feat !== 'object' || feat.type !== 'Feature') return { line, reason: 'not a GeoJSON Feature' };
    const g = feat.geometry;
    if (!g || g.type !== 'Point' || !Array.isArray(g.coordinates) || g.coordinates.length < 2) {
      return { line, reason: 'geometry must be a Point with coordinates [lon, lat]' };
    }
    const props = feat.properties && typeof feat.properties === 'object' && !Array.isArray(feat.properties) ? (feat.properties as Record<string, unknown>) : {};
    try {
      return { line, sensor: rowToSensor((c) => (Object.prototype.hasOwnProperty.call(props, c) ? props[c] : undefined), [g.coordinates[0], g.coordinates[1]]) };
    } catch (e) {
      return { line, reason: reasonOf(e) };
    }
  });
}

/** Reject the second and later rows that repeat an id (the first one wins). */
export function rejectDuplicateIds(rows: ImportRow[]): void {
  const first = new Map<string, number>();
  for (const r of rows) {
    const id = r.sensor?.id;
    if (id === undefined) continue;
    const seen = first.get(id);
    if (seen !== undefined) {
      r.reason = `id ${id} repeats the row on line ${seen}`;
      delete r.sensor;
    } else first.set(id, r.line);
  }
}
