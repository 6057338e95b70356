/** Live stream filters: parse the query (class, area, bbox, sensor) and test a sensor against them. Pure. */
import { badRequest } from '../../../platform/errors.js';
import { parseBBox } from '../../../platform/geo/index.js';
import { SENSOR_CLASSES, type SensorClass, type SensorRef } from '../types.js';
import type { LiveFilter } from './types.js';

export interface LiveQuery {
  class?: string;
  area?: string;
  bbox?: string;
  sensor?: string;
}

/** Most sensor ids one stream may name; larger selections should use area or bbox. */
export const MAX_FILTER_SENSORS = 5000;

const list = (s: string | undefined): string[] =>
  (s ?? '').split(',').map((x) => x.trim()).filter((x) => x.length > 0);

/** Parse the stream's query; throws a 400 AppError naming the bad parameter. */
export function parseLiveFilter(q: LiveQuery): LiveFilter {
  const classNames = list(q.class);
  const unknown = classNames.filter((c) => !(SENSOR_CLASSES as readonly string[]).includes(c));
  if (unknown.length) {
    throw badRequest('BAD_CLASS', `class: unknown sensor class ${unknown.map((c) => `"${c}"`).join(', ')}; use a comma list of ${SENSOR_CLASSES.join(', ')}`);
  }
  const area = q.area?.trim() ?? '';
  if (area.includes('/')) throw badRequest('BAD_AREA', `area: expected an org unit id; got "${area}"`);
  const ids = list(q.sensor);
  if (ids.length > MAX_FILTER_SENSORS) {
    throw badRequest('TOO_MANY_SENSORS', `sensor: at most ${MAX_FILTER_SENSORS} sensor ids per stream; got ${ids.length} (filter by area, bbox or class instead)`);
  }
  return {
    classes: classNames.length ? new Set(classNames as SensorClass[]) : null,
    area: area || null,
    bbox: q.bbox !== undefined && q.bbox.trim() !== '' ? parseBBox(q.bbox.trim()) : null,
    sensorIds: ids.length ? new Set(ids) : null,
  };
}

/** True when the sensor passes every filter the client set. */
export function matchesFilter(f: LiveFilter, s: SensorRef): boolean {
  if (f.classes && !f.classes.has(s.class)) return false;
  if (f.sensorIds && !f.sensorIds.has(s.id)) return false;
  // orgPath lists ancestors then self ("/city/district/street/grid/"), so a unit's sensors contain "/unit/".
  if (f.area && !(s.orgPath ?? '').includes(`/${f.area}/`)) return false;
  if (f.bbox) {
    const [w, south, e, n] = f.bbox;
    if (!(s.lon >= w && s.lon <= e && s.lat >= south && s.lat <= n)) return false;
  }
  return true;
}

/** Sensor ids named in the filter that the directory does not know (to answer 400 instead of a silent stream). */
export function unknownSensorIds(f: LiveFilter, known: (id: string) => boolean): string[] {
  if (!f.sensorIds) return [];
  return [...f.sensorIds].filter((id) => !known(id));
}
