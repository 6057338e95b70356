/**
 * Validation of incoming readings (SPEC S2), hand-written for the hot path:
 * one pass over a batch fills typed columns with the good readings and lists
 * each bad one with its index, a stable code and a reason that says what to
 * fix. Pure: the sensor lookup and "now" are arguments.
 */
import { isValidLonLat } from '../../../platform/geo/index.js';
import { definitionFor, isSensorClass } from '../classes.js';
import { SENSOR_CLASSES, type RejectedReading, type SensorClass, type SensorRef } from '../types.js';
import type { ReadingColumns } from './types.js';

export interface ValidationContext {
  now: number;
  maxFutureMs: number;
  lookup(id: string): SensorRef | undefined;
  /** Oldest timestamp accepted for a class (raw retention): older readings would be deleted at once. */
  oldestFor(cls: SensorClass): number;
}

export interface ValidationPass {
  rejected: RejectedReading[];
  /** Indexes of readings that passed every check that does not need the sensor, but whose sensor is unknown. */
  unknown: number[];
}

export function allocColumns(size: number): ReadingColumns {
  return { keys: new Int32Array(size), ts: new Float64Array(size), values: new Float64Array(size), n: 0 };
}

/**
 * First pass over a batch: good readings are appended to `out`; unknown
 * sensors are only listed (the caller rejects or provisions them, then runs
 * checkKnown on them).
 */
export function validateReadings(batch: readonly unknown[], ctx: ValidationContext, out: ReadingColumns, preRejected?: ReadonlyMap<number, RejectedReading>): ValidationPass {
  const rejected: RejectedReading[] = [];
  const unknown: number[] = [];
  const latest = ctx.now + ctx.maxFutureMs;
  for (let i = 0; i < batch.length; i++) {
    const pre = preRejected?.get(i);
    if (pre) {
      rejected.push(pre);
      continue;
    }
    const r = batch[i] as { sensor?: unknown; ts?: unknown; value?: unknown } | null;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      rejected.push(reject(i, 'NOT_AN_OBJECT', `expected an object {"sensor","ts","value"}; got ${describe(r)}`));
      continue;
    }
    const id = r.sensor;
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
      rejected.push(reject(i, 'BAD_SENSOR', `"sensor" must be the sensor id, a non-empty string of at most 200 characters; got ${describe(id)}`));
      continue;
    }
    const value = r.value;
    if (typeof value !== 'number') {
      rejected.push(reject(i, 'VALUE_NOT_NUMBER', `"value" must be a JSON number; got ${describe(value)}`));
      continue;
    }
    if (!Number.isFinite(value)) {
      rejected.push(reject(i, 'VALUE_NOT_FINITE', `"value" must be a finite number; got ${String(value)}`));
      continue;
    }
    const ts = parseTimestamp(r.ts);
    if (ts !== ts) {
      rejected.push(reject(i, 'BAD_TIMESTAMP', `"ts" must be ISO-8601 with a time zone (e.g. 2026-01-01T08:00:00Z) or epoch milliseconds; got ${describe(r.ts)}`));
      continue;
    }
    if (ts > latest) {
      rejected.push(reject(i, 'TS_IN_FUTURE', `"ts" ${new Date(ts).toISOString()} is more than ${Math.round(ctx.maxFutureMs / 1000)} s ahead of the server clock (${new Date(ctx.now).toISOString()}); check the device clock`));
      continue;
    }
    const ref = ctx.lookup(id);
    if (ref === undefined) {
      unknown.push(i);
      continue;
    }
    const bad = checkKnown(i, ref, ts, value, ctx, r.ts);
    if (bad) {
      rejected.push(bad);
      continue;
    }
    const n = out.n++;
    out.keys[n] = ref.key;
    out.ts[n] = ts;
    out.values[n] = value;
  }
  return { rejected, unknown };
}

/** Checks that need the sensor: plausible range and retention. Returns the rejection, or undefined when good. */
export function checkKnown(i: number, ref: SensorRef, ts: number, value: number, ctx: ValidationContext, rawTs?: unknown): RejectedReading | undefined {
  if (value < ref.min || value > ref.max) {
    return reject(i, 'VALUE_IMPLAUSIBLE', `"value" ${value} is outside the plausible range ${ref.min}..${ref.max} of sensor ${ref.id} (${ref.class}/${ref.metric})`);
  }
  if (ts < ctx.oldestFor(ref.class)) {
    const hint = typeof rawTs === 'number' && rawTs < 1e11 ? ' (it looks like epoch seconds: send milliseconds)' : '';
    return reject(i, 'TS_TOO_OLD', `"ts" ${new Date(ts).toISOString()} is older than the ${ref.class} retention (oldest accepted ${new Date(ctx.oldestFor(ref.class)).toISOString()})${hint}`);
  }
  return undefined;
}

/** Second pass for readings whose sensor became known (provisioned): appends the good ones to `out`. */
export function validateProvisioned(batch: readonly unknown[], indexes: readonly number[], ctx: ValidationContext, out: ReadingColumns): RejectedReading[] {
  const rejected: RejectedReading[] = [];
  for (const i of indexes) {
    const r = batch[i] as { sensor: string; ts: unknown; value: number };
    const ref = ctx.lookup(r.sensor);
    if (!ref) {
      rejected.push(unknownSensor(i, r.sensor));
      continue;
    }
    const ts = parseTimestamp(r.ts);
    const bad = checkKnown(i, ref, ts, r.value, ctx, r.ts);
    if (bad) {
      rejected.push(bad);
      continue;
    }
    const n = out.n++;
    out.keys[n] = ref.key;
    out.ts[n] = ts;
    out.values[n] = r.value;
  }
  return rejected;
}

export function unknownSensor(i: number, id: string, canProvision = false): RejectedReading {
  return reject(
    i,
    'UNKNOWN_SENSOR',
    canProvision
      ? `sensor "${id}" is not registered; to register it automatically, send "class" (${SENSOR_CLASSES.join(', ')}) and "lon"/"lat" with its first reading`
      : `sensor "${id}" is not registered; register it with POST /api/v1/sensors (or use an API key with autoProvision)`,
  );
}

export interface ProvisionRequest {
  id: string;
  class: SensorClass;
  metric?: string;
  lon: number;
  lat: number;
}

/**
 * For each unknown sensor id, what to register: taken from the first of its
 * readings that carries "class". Ids whose request is missing or invalid map
 * to the rejection every reading of that sensor gets.
 */
export function provisionRequests(batch: readonly unknown[], unknown: readonly number[]): Map<string, ProvisionRequest | RejectedReading> {
  const out = new Map<string, ProvisionRequest | RejectedReading>();
  for (const i of unknown) {
    const r = batch[i] as { sensor: string; class?: unknown; metric?: unknown; lon?: unknown; lat?: unknown };
    const prev = out.get(r.sensor);
    if (prev && !('code' in prev && prev.code === 'UNKNOWN_SENSOR')) continue;
    if (r.class === undefined) {
      if (!prev) out.set(r.sensor, unknownSensor(i, r.sensor, true));
      continue;
    }
    out.set(r.sensor, provisionRequest(i, r));
  }
  return out;
}

function provisionRequest(i: number, r: { sensor: string; class?: unknown; metric?: unknown; lon?: unknown; lat?: unknown }): ProvisionRequest | RejectedReading {
  if (!isSensorClass(r.class)) return reject(i, 'UNKNOWN_CLASS', `"class" must be one of ${SENSOR_CLASSES.join(', ')}; got ${describe(r.class)}`);
  if (r.metric !== undefined && (typeof r.metric !== 'string' || !definitionFor(r.class, r.metric))) {
    return reject(i, 'UNKNOWN_METRIC', `"metric" ${describe(r.metric)} is not a metric of class ${r.class}; see GET /api/v1/sensor-classes`);
  }
  if (r.lon === undefined && r.lat === undefined) {
    return reject(i, 'LOCATION_REQUIRED', `sensor "${r.sensor}" is unknown and cannot be registered without a location: send "lon" and "lat" (WGS84) with its first reading`);
  }
  if (!isValidLonLat(r.lon, r.lat)) {
    return reject(i, 'BAD_COORDINATES', `"lon" must be -180..180 and "lat" -90..90 (WGS84 degrees); got [${describe(r.lon)}, ${describe(r.lat)}]`);
  }
  return { id: r.sensor, class: r.class, ...(typeof r.metric === 'string' ? { metric: r.metric } : {}), lon: r.lon as number, lat: r.lat as number };
}

/** Epoch ms from an ISO-8601 string with a zone or an epoch-ms number; NaN when neither. */
export function parseTimestamp(v: unknown): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0 || v > 8.64e15) return NaN;
    return Math.floor(v);
  }
  if (typeof v === 'string') return parseIso(v);
  return NaN;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function num(s: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM|±HH); a zone is required (a bare local time is ambiguous). */
export function parseIso(s: string): number {
  const len = s.length;
  if (len < 20 || len > 40) return NaN;
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 116 && sep !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const y = num(s, 0, 4);
  const mo = num(s, 5, 2);
  const d = num(s, 8, 2);
  const h = num(s, 11, 2);
  const mi = num(s, 14, 2);
  const sec = num(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return NaN;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS[mo - 1]! + (leap ? 1 : 0)) return NaN;
  let i = 19;
  let ms = 0;
  const dot = s.charCodeAt(i);
  if (dot === 46 || dot === 44) {
    i++;
    let digits = 0;
    let scale = 100;
    for (; i < len; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (digits < 3) ms += c * scale;
      scale /= 10;
      digits++;
    }
    if (digits === 0 || digits > 9) return NaN;
  }
  const z = s.charCodeAt(i);
  let offset = 0;
  if (z === 90 || z === 122) {
    if (i + 1 !== len) return NaN;
  } else if (z === 43 || z === 45) {
    const rest = len - i - 1;
    const oh = num(s, i + 1, 2);
    let om = 0;
    if (rest === 5 && s.charCodeAt(i + 3) === 58) om = num(s, i + 4, 2);
    else if (rest === 4) om = num(s, i + 3, 2);
    else if (rest !== 2) return NaN;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offset = (z === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
  } else {
    return NaN;
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset;
}

/**
 * NDJSON: one reading per line; blank lines are skipped. A reading's index is
 * its position among the non-blank lines (0-based). A line that is not JSON
 * becomes a null placeholder plus a rejection naming its line number.
 */
export function parseNdjson(text: string): { items: unknown[]; bad: Map<number, RejectedReading> } {
  const items: unknown[] = [];
  const bad = new Map<number, RejectedReading>();
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    let s = text.slice(start, end);
    start = end + 1;
    if (s.endsWith('\r')) s = s.slice(0, -1);
    if (s.trim().length === 0) continue;
    try {
      items.push(JSON.parse(s));
    } catch (err) {
      bad.set(items.length, reject(items.length, 'INVALID_JSON', `line ${line} is not valid JSON: ${(err as Error).message}`));
      items.push(null);
    }
  }
  return { items, bad };
}

function reject(index: number, code: string, reason: string): RejectedReading {
  return { index, code, reason };
}

/** A short rendering of an untrusted value for error messages. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}" (a string)`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${String(v)} (a ${typeof v})`;
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
