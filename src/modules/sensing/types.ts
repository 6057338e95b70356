/** Sensing (SPEC S1–S4): sensor classes, the registry's records, readings and their domain events. */
import type { Point } from '../../platform/geo/index.js';

/** The seeds' 12 indicator classes (SPEC S2). */
export const SENSOR_CLASSES = [
  'traffic', 'air_quality', 'noise', 'water_level', 'rainfall', 'pipe',
  'energy', 'crowd', 'parking', 'tilt', 'smoke', 'sos',
] as const;
export type SensorClass = (typeof SENSOR_CLASSES)[number];

export interface MetricDefinition {
  class: SensorClass;
  metric: string;
  unit: string;
  /** Plausible physical range; readings outside are rejected as implausible. */
  min: number;
  max: number;
  nameZh: string;
  nameEn: string;
  /** Default expected reporting interval, seconds. */
  intervalS: number;
}

export type SensorState = 'active' | 'inactive' | 'maintenance' | 'silent';

export interface Device {
  id: string;
  name: string;
  kind: string;
  location: Point;
  department: string | null;
  orgUnitId: string | null;
  createdAt: number;
}

export interface Sensor {
  id: string;
  deviceId: string | null;
  name: string;
  class: SensorClass;
  metric: string;
  unit: string;
  location: Point;
  department: string | null;
  /** Deepest org unit containing the location, and its path for area queries. */
  orgUnitId: string | null;
  orgPath: string | null;
  expectedIntervalS: number;
  min: number;
  max: number;
  /** Optional alert thresholds (the risk module reads these). */
  thresholds: { warn?: number; alarm?: number } | null;
  state: SensorState;
  createdAt: number;
  updatedAt: number;
}

/** What the telemetry hot path needs to know about a sensor, kept in memory. */
export interface SensorRef {
  /** Small integer key used in telemetry tables instead of the string id. */
  key: number;
  id: string;
  class: SensorClass;
  metric: string;
  min: number;
  max: number;
  orgPath: string | null;
  lon: number;
  lat: number;
}

export interface SensorDirectory {
  /** In-memory lookup; undefined when unknown. */
  byId(id: string): SensorRef | undefined;
  byKey(key: number): SensorRef | undefined;
  all(): Iterable<SensorRef>;
  /** Register an unknown sensor seen from an auto-provisioning API key. */
  provision(input: { id: string; class: SensorClass; metric?: string; lon?: number; lat?: number; department?: string | null }, actor: string): Promise<SensorRef>;
}

/** One accepted reading. ts is epoch ms (UTC). */
export interface Reading {
  sensorKey: number;
  ts: number;
  value: number;
}

export interface ReadingsIngestedPayload {
  /** Compact columnar batch: sensor ids, epoch-ms timestamps and values. */
  sensorIds: string[];
  ts: number[];
  values: number[];
}

export interface SensorChangedPayload {
  sensorId: string;
  change: 'created' | 'updated' | 'deleted';
}

declare module '../../platform/bus/types.js' {
  interface DomainEventMap {
    ReadingsIngested: ReadingsIngestedPayload;
    SensorChanged: SensorChangedPayload;
  }
}

/** A reading as it arrives on the wire (HTTP or MQTT), before validation. */
export interface WireReading {
  sensor?: unknown;
  ts?: unknown;
  value?: unknown;
}

export interface RejectedReading {
  index: number;
  code: string;
  reason: string;
}

export interface IngestResult {
  accepted: number;
  /** Readings already stored (same sensor and timestamp): harmless retries. */
  duplicates: number;
  rejected: RejectedReading[];
}

export interface SensorInput {
  id?: string;
  deviceId?: string | null;
  name: string;
  class: SensorClass;
  metric?: string;
  location: Point;
  department?: string | null;
  expectedIntervalS?: number;
  min?: number;
  max?: number;
  thresholds?: { warn?: number; alarm?: number } | null;
  state?: SensorState;
}

export interface ImportReport {
  imported: number;
  rejected: Array<{ line: number; reason: string }>;
}

/** What the sensing module offers other modules (the simulator, the CLI). */
export interface SensingService {
  directory: SensorDirectory;
  /** The full registry record from memory (thresholds, expected interval, name); undefined when unknown. */
  sensor(id: string): Sensor | undefined;
  upsertSensors(sensors: SensorInput[], actor: string): Promise<{ created: number; updated: number }>;
  importSensors(file: string, actor: string, onProgress?: (done: number, total: number) => void): Promise<ImportReport>;
  /** Validate and store; resolves only once the accepted readings are durable. */
  ingest(batch: WireReading[], principal: import('../../platform/auth/roles.js').Principal): Promise<IngestResult>;
}
