/**
 * Validation of sensor and device inputs (pure). Each check throws a 400
 * AppError whose code is stable and whose message says what to fix; on
 * success every default (metric, unit, range, interval, state) is filled in.
 */
import { badRequest } from '../../../platform/errors.js';
import { parsePoint } from '../../../platform/geo/index.js';
import { defaultMetric, definitionFor, isSensorClass, metricsOf } from '../classes.js';
import { SENSOR_CLASSES, type Sensor, type SensorInput } from '../types.js';
import { WRITABLE_STATES, type DeviceInput, type SensorPatch, type ValidSensor, type WritableState } from './types.js';

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const DEPT_RE = /^[A-Z0-9_]{1,16}$/;
/** A week: a sensor reporting less often than this is not a live sensor. */
const MAX_INTERVAL_S = 7 * 24 * 3600;

export function validateId(v: unknown, field: string): string {
  if (typeof v !== 'string' || !ID_RE.test(v)) {
    throw badRequest('BAD_ID', `${field}: 1–64 characters of letters, digits, "_", ".", ":" or "-", starting with a letter or digit; got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Department codes are upper-case (e.g. "SWJ"); lower-case input is accepted and upper-cased. */
export function validateDepartment(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  const code = typeof v === 'string' ? v.trim().toUpperCase() : v;
  if (typeof code !== 'string' || !DEPT_RE.test(code)) {
    throw badRequest('BAD_DEPARTMENT', `department: a code of 1–16 characters A–Z, 0–9 or "_" (e.g. "SWJ"); got ${JSON.stringify(v)}`);
  }
  return code;
}

export function validateName(v: unknown, field = 'name'): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (s.length === 0 || s.length > 200) throw badRequest('BAD_NAME', `${field}: 1–200 characters required; got ${JSON.stringify(v)}`);
  return s;
}

function finite(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badRequest('BAD_NUMBER', `${field}: must be a finite number; got ${JSON.stringify(v)}`);
  return v;
}

function validateThresholds(v: unknown): ValidSensor['thresholds'] {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest('BAD_THRESHOLDS', 'thresholds: expected {"warn"?: number, "alarm"?: number} or null');
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'warn' && k !== 'alarm');
  if (extra.length) throw badRequest('BAD_THRESHOLDS', `thresholds: only "warn" and "alarm" are allowed; remove ${extra.join(', ')}`);
  const out: { warn?: number; alarm?: number } = {};
  if (o.warn !== undefined && o.warn !== null) out.warn = finite(o.warn, 'thresholds.warn');
  if (o.alarm !== undefined && o.alarm !== null) out.alarm = finite(o.alarm, 'thresholds.alarm');
  return out.warn === undefined && out.alarm === undefined ? null : out;
}

/** Validate a sensor input and fill in the defaults of its class and metric. */
export function validateSensor(input: SensorInput): ValidSensor {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw badRequest('BAD_SENSOR', 'Expected a sensor object {"name", "class", "location", …}');
  const i = input as unknown as Record<string, unknown>;
  const id = i.id === undefined || i.id === null || i.id === '' ? undefined : validateId(i.id, 'id');
  if (!isSensorClass(i.class)) {
    throw badRequest('UNKNOWN_CLASS', `class: must be one of ${SENSOR_CLASSES.join(', ')}; got ${JSON.stringify(i.class)}`);
  }
  const cls = i.class;
  const metricName = i.metric === undefined || i.metric === null || i.metric === '' ? defaultMetric(cls).metric : i.metric;
  const def = typeof metricName === 'string' ? definitionFor(cls, metricName) : undefined;
  if (!def) {
    throw badRequest('UNKNOWN_METRIC', `metric: class ${cls} measures ${metricsOf(cls).map((d) => d.metric).join(', ')}; got ${JSON.stringify(metricName)}`);
  }
  const location = parsePoint(i.location, 'location');
  const min = i.min === undefined || i.min === null ? def.min : finite(i.min, 'min');
  const max = i.max === undefined || i.max === null ? def.max : finite(i.max, 'max');
  if (!(min < max)) throw badRequest('BAD_RANGE', `min must be less than max; got min ${min}, max ${max} (the default range of ${cls}.${def.metric} is ${def.min}..${def.max} ${def.unit})`);
  let interval = def.intervalS;
  if (i.expectedIntervalS !== undefined && i.expectedIntervalS !== null) {
    const n = i.expectedIntervalS;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_INTERVAL_S) {
      throw badRequest('BAD_INTERVAL', `expected interval: whole seconds from 1 to ${MAX_INTERVAL_S}; got ${JSON.stringify(n)}`);
    }
    interval = n;
  }
  const state = i.state === undefined || i.state === null ? 'active' : i.state;
  if (!(WRITABLE_STATES as readonly unknown[]).includes(state)) {
    throw badRequest('BAD_STATE', `state: one of ${WRITABLE_STATES.join(', ')}; got ${JSON.stringify(i.state)}`);
  }
  const deviceId = i.deviceId === undefined || i.deviceId === null || i.deviceId === '' ? null : validateId(i.deviceId, 'deviceId');
  return {
    id,
    deviceId,
    name: validateName(i.name),
    class: cls,
    metric: def.metric,
    unit: def.unit,
    lon: location.coordinates[0],
    lat: location.coordinates[1],
    department: validateDepartment(i.department),
    expectedIntervalS: interval,
    min,
    max,
    thresholds: validateThresholds(i.thresholds),
    state: state as WritableState,
  };
}

/**
 * Apply a patch to a stored sensor, giving the full input to validate again.
 * A new class or metric brings its own unit and default range unless the
 * patch sets min/max too: the old range would mean nothing in the new unit.
 */
export function applySensorPatch(s: Sensor, patch: SensorPatch): SensorInput {
  const has = (k: keyof SensorPatch) => Object.prototype.hasOwnProperty.call(patch, k) && patch[k] !== undefined;
  const cls = has('class') ? patch.class! : s.class;
  const classChanged = cls !== s.class;
  const metric = has('metric') ? patch.metric : classChanged ? undefined : s.metric;
  const measureChanged = classChanged || metric !== s.metric;
  return {
    id: s.id,
    deviceId: has('deviceId') ? (patch.deviceId ?? null) : s.deviceId,
    name: has('name') ? patch.name! : s.name,
    class: cls,
    metric,
    location: has('location') ? patch.location! : s.location,
    department: has('department') ? (patch.department ?? null) : s.department,
    expectedIntervalS: has('expectedIntervalS') ? patch.expectedIntervalS : measureChanged ? undefined : s.expectedIntervalS,
    min: has('min') ? patch.min : measureChanged ? undefined : s.min,
    max: has('max') ? patch.max : measureChanged ? undefined : s.max,
    thresholds: has('thresholds') ? (patch.thresholds ?? null) : s.thresholds,
    state: has('state') ? patch.state : s.state === 'silent' ? 'active' : s.state,
  };
}

export interface ValidDevice {
  id: string | undefined;
  name: string;
  kind: string;
  lon: number;
  lat: number;
  department: string | null;
}

export function validateDevice(input: DeviceInput): ValidDevice {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw badRequest('BAD_DEVICE', 'Expected a device object {"name", "kind", "location", …}');
  const i = input as unknown as Record<string, unknown>;
  const kind = typeof i.kind === 'string' ? i.kind.trim() : '';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(kind)) {
    throw badRequest('BAD_KIND', `kind: 1–64 characters of letters, digits, "_", ".", ":" or "-" (e.g. "weather_station"); got ${JSON.stringify(i.kind)}`);
  }
  const location = parsePoint(i.location, 'location');
  return {
    id: i.id === undefined || i.id === null || i.id === '' ? undefined : validateId(i.id, 'id'),
    name: validateName(i.name),
    kind,
    lon: location.coordinates[0],
    lat: location.coordinates[1],
    department: validateDepartment(i.department),
  };
}

/** Sensors whose fields differ in anything a caller can set (used to skip no-op updates). */
export function sameSensor(a: ValidSensor & { id: string }, b: Sensor): boolean {
  return (
    a.id === b.id && a.deviceId === b.deviceId && a.name === b.name && a.class === b.class && a.metric === b.metric && a.unit === b.unit &&
    a.lon === b.location.coordinates[0] && a.lat === b.location.coordinates[1] && a.department === b.department &&
    a.expectedIntervalS === b.expectedIntervalS && a.min === b.min && a.max === b.max && a.state === b.state &&
    JSON.stringify(a.thresholds) === JSON.stringify(b.thresholds)
  );
}
