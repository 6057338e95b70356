/** Telemetry (SPEC S2–S3): ingestion, durable readings, rollups, retention, queries, latest values (placeholder until implemented). */
import type { Kernel } from '../../../platform/module.js';
import type { AuditLog } from '../../../platform/audit/types.js';
import type { Principal } from '../../../platform/auth/roles.js';
import type { Migration } from '../../../platform/db/index.js';
import type { App } from '../../../platform/http/app.js';
import type { IngestResult, SensorDirectory, WireReading } from '../types.js';

/** Latest value of every sensor, in memory. */
export interface LatestValues {
  get(sensorKey: number): { ts: number; value: number } | undefined;
  size(): number;
}

export interface Telemetry {
  migrations: Migration[];
  registerRoutes(app: App): void | Promise<void>;
  start(): Promise<void>;
  /** Flush what was acknowledged and stop workers. */
  stop(): Promise<void>;
  /** Validate, store durably, publish ReadingsIngested; resolves after the readings are durable. */
  ingest(batch: WireReading[], principal: Principal): Promise<IngestResult>;
  latest: LatestValues;
}

export function createTelemetry(_k: Kernel & { audit: AuditLog; directory: SensorDirectory }): Telemetry {
  return {
    migrations: [],
    registerRoutes: () => undefined,
    start: async () => undefined,
    stop: async () => undefined,
    ingest: async () => {
      throw new Error('telemetry not implemented');
    },
    latest: { get: () => undefined, size: () => 0 },
  };
}
