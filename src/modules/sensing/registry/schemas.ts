/** TypeBox schemas of the registry's HTTP API and the record → wire conversions (ISO times). */
import { Type } from 'typebox';
import { toIso } from '../../../platform/clock.js';
import type { Device } from '../types.js';
import type { SensorEntry } from './types.js';

export const PointSchema = Type.Object(
  { type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 3, description: '[lon, lat] in WGS84 degrees' }) },
  { description: 'GeoJSON Point, longitude first' },
);

const Thresholds = Type.Union([Type.Object({ warn: Type.Optional(Type.Number()), alarm: Type.Optional(Type.Number()) }, { additionalProperties: false }), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

const sensorFields = {
  deviceId: Type.Optional(NullableString),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  class: Type.String({ description: 'One of the 12 indicator classes (GET /api/v1/sensor-classes)' }),
  metric: Type.Optional(Type.String({ description: "Defaults to the class's first metric" })),
  location: PointSchema,
  department: Type.Optional(Type.Union([Type.String({ description: 'Owner department code, e.g. SWJ' }), Type.Null()])),
  expectedIntervalS: Type.Optional(Type.Integer({ minimum: 1, description: 'Expected reporting interval, seconds' })),
  min: Type.Optional(Type.Number({ description: 'Lowest plausible value; defaults to the metric range' })),
  max: Type.Optional(Type.Number()),
  thresholds: Type.Optional(Thresholds),
  state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('inactive'), Type.Literal('maintenance')])),
};

export const SensorCreateBody = Type.Object({ id: Type.Optional(Type.String({ description: 'Your id for the sensor; generated when absent' })), ...sensorFields }, { additionalProperties: false });
export const SensorPatchBody = Type.Partial(Type.Object(sensorFields), { additionalProperties: false });

export const SensorWire = Type.Object({
  id: Type.String(),
  key: Type.Integer({ description: 'Small integer used in telemetry storage' }),
  deviceId: NullableString,
  name: Type.String(),
  class: Type.String(),
  metric: Type.String(),
  unit: Type.String(),
  location: PointSchema,
  department: NullableString,
  orgUnitId: NullableString,
  orgPath: NullableString,
  expectedIntervalS: Type.Integer(),
  min: Type.Number(),
  max: Type.Number(),
  thresholds: Thresholds,
  state: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  distanceM: Type.Optional(Type.Number({ description: 'Distance from the "near" point, metres' })),
});

export const SensorQueryString = Type.Object({
  class: Type.Optional(Type.String()),
  metric: Type.Optional(Type.String()),
  state: Type.Optional(Type.String({ description: 'active, inactive, maintenance or silent' })),
  department: Type.Optional(Type.String()),
  area: Type.Optional(Type.String({ description: 'Org unit id: sensors inside it and its children' })),
  bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat' })),
  near: Type.Optional(Type.String({ description: 'lon,lat,radiusM — nearest first' })),
  q: Type.Optional(Type.String({ description: 'Name contains (case-insensitive)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

export const IdParams = Type.Object({ id: Type.String() });

export const ImportReportWire = Type.Object({
  imported: Type.Integer(),
  rejected: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() })),
});

const deviceFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  kind: Type.String({ description: 'e.g. weather_station, gateway, camera' }),
  location: PointSchema,
  department: Type.Optional(Type.Union([Type.String(), Type.Null()])),
};
export const DeviceCreateBody = Type.Object({ id: Type.Optional(Type.String()), ...deviceFields }, { additionalProperties: false });
export const DevicePatchBody = Type.Partial(Type.Object(deviceFields), { additionalProperties: false });
export const DeviceWire = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  location: PointSchema,
  department: NullableString,
  orgUnitId: NullableString,
  createdAt: Type.String({ format: 'date-time' }),
});
export const DeviceQueryString = Type.Object({
  kind: Type.Optional(Type.String()),
  department: Type.Optional(Type.String()),
  q: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

export function sensorToWire(s: SensorEntry & { distanceM?: number }) {
  return {
    id: s.id,
    key: s.key,
    deviceId: s.deviceId,
    name: s.name,
    class: s.class,
    metric: s.metric,
    unit: s.unit,
    location: s.location,
    department: s.department,
    orgUnitId: s.orgUnitId,
    orgPath: s.orgPath,
    expectedIntervalS: s.expectedIntervalS,
    min: s.min,
    max: s.max,
    thresholds: s.thresholds,
    state: s.state,
    createdAt: toIso(s.createdAt),
    updatedAt: toIso(s.updatedAt),
    ...(s.distanceM !== undefined ? { distanceM: s.distanceM } : {}),
  };
}

export function deviceToWire(d: Device) {
  return { ...d, createdAt: toIso(d.createdAt) };
}
