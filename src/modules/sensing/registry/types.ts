/** The registry's own types: device inputs, sensor patches, search filters and directory entries. */
import type { Point, BBox } from '../../../platform/geo/index.js';
import type { Device, Sensor, SensorClass, SensorInput, SensorRef, SensorState } from '../types.js';

/** A sensor as the registry keeps it in memory: the full record plus the telemetry key and coordinates. */
export interface SensorEntry extends Sensor, SensorRef {
  class: SensorClass;
}

/** States a caller may set; 'silent' is derived from missing data, never written by hand. */
export const WRITABLE_STATES = ['active', 'inactive', 'maintenance'] as const;
export type WritableState = (typeof WRITABLE_STATES)[number];

/** A sensor input after validation: every default filled in, ready to store. */
export interface ValidSensor {
  id: string | undefined;
  deviceId: string | null;
  name: string;
  class: SensorClass;
  metric: string;
  unit: string;
  lon: number;
  lat: number;
  department: string | null;
  expectedIntervalS: number;
  min: number;
  max: number;
  thresholds: { warn?: number; alarm?: number } | null;
  state: SensorState;
}

export type SensorPatch = Partial<Omit<SensorInput, 'id'>>;

export interface DeviceInput {
  id?: string;
  name: string;
  kind: string;
  location: Point;
  department?: string | null;
}

export type DevicePatch = Partial<Omit<DeviceInput, 'id'>>;

/** Search filters as the HTTP query gives them (strings), before parsing. */
export interface SensorQuery {
  class?: string;
  metric?: string;
  state?: string;
  department?: string;
  area?: string;
  bbox?: string;
  near?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export interface Near {
  lon: number;
  lat: number;
  radiusM: number;
}

/** Parsed filters the store understands. */
export interface SensorFilter {
  class?: SensorClass;
  metric?: string;
  state?: SensorState;
  department?: string;
  /** org_path prefix ("/city/district/") of the requested area. */
  pathPrefix?: string;
  bbox?: BBox;
  q?: string;
}

export interface SensorPage {
  items: Array<SensorEntry & { distanceM?: number }>;
  total: number;
  limit: number;
  offset: number;
}

export interface DeviceFilter {
  kind?: string;
  department?: string;
  q?: string;
  limit: number;
  offset: number;
}

export type { Device, Sensor };
