/**
 * Telemetry (SPEC S2–S3): ingestion with group commit, durable raw readings,
 * minute/hour/day rollups, retention by class, queries and the latest value
 * of every sensor in memory — wired together.
 */
import type { Kernel } from '../../../platform/module.js';
import type { AuditLog } from '../../../platform/audit/types.js';
import type { Principal } from '../../../platform/auth/roles.js';
import type { Migration } from '../../../platform/db/index.js';
import type { App } from '../../../platform/http/app.js';
import type { IngestResult, RejectedReading, SensorDirectory, WireReading } from '../types.js';
import { createIngestService } from './ingest.service.js';
import { LatestStore } from './latest.js';
import { createMaintenance } from './maintenance.js';
import { createQueryService, type QueryService } from './query.service.js';
import { registerTelemetryRoutes } from './routes.js';
import { createTelemetryStore, migrations, type TelemetryStore } from './store.js';
import { DEFAULT_TELEMETRY_OPTIONS, type TelemetryOptions } from './types.js';

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

/** What tests and benchmarks may also reach: run upkeep on demand, wait for the writer. */
export interface TelemetryInternals {
  /** Merge everything stored so far into the rollups; resolves with the watermark (seq). */
  rollupNow(): Promise<number>;
  /** Apply retention now; resolves with the rows deleted. */
  retentionNow(): Promise<{ raw: number; rollups: number }>;
  /** Store everything queued now. */
  flush(): Promise<void>;
  /** Readings waiting for the store. */
  backlog(): number;
  queries: QueryService;
  options: TelemetryOptions;
}

export function createTelemetry(
  k: Kernel & { audit: AuditLog; directory: SensorDirectory },
  overrides: Partial<TelemetryOptions> = {},
): Telemetry & TelemetryInternals {
  const options: TelemetryOptions = { ...DEFAULT_TELEMETRY_OPTIONS, ...overrides };
  // Statements are prepared against the tables, which exist only once migrations ran: build the store on first use.
  let built: TelemetryStore | undefined;
  const store = (): TelemetryStore => (built ??= createTelemetryStore(k.database));
  const lazyStore = new Proxy({} as TelemetryStore, { get: (_t, p) => store()[p as keyof TelemetryStore] });

  const latest = new LatestStore();
  const maintenance = createMaintenance({ store: lazyStore, directory: k.directory, clock: k.clock, log: k.log, options });
  const ingestService = createIngestService({
    sink: { insert: (b) => store().insert(b), busy: () => built?.busy() ?? false },
    directory: k.directory,
    latest,
    bus: k.bus,
    clock: k.clock,
    log: k.log,
    options,
    maxBatchReadings: k.config.maxBatchReadings,
    afterCommit: (batches, outcomes) => maintenance.onCommitted(batches, outcomes),
  });
  const queries = createQueryService({ store: lazyStore, directory: k.directory, latest, clock: k.clock, options });
  const ingest = (batch: readonly unknown[], principal: Principal, pre?: ReadonlyMap<number, RejectedReading>) => ingestService.ingest(batch, principal, pre);

  return {
    migrations,
    registerRoutes: (app) => registerTelemetryRoutes(app, ingest, queries, { saturated: () => ingestService.writer.backlog() >= options.maxQueuedRows }),
    async start() {
      for (const l of await store().loadLatest()) latest.offer(l.sensorKey, l.ts, l.value);
      maintenance.start();
    },
    async stop() {
      await maintenance.stop();
      await ingestService.writer.close();
      // Persist what the rollups gathered in memory, so the next start has little to read back.
      await maintenance.rollupNow(true).catch((err: unknown) => k.log.warn({ err }, 'telemetry: final rollup failed; the next start catches up'));
    },
    ingest: (batch, principal) => ingest(batch, principal),
    latest,
    rollupNow: () => maintenance.rollupNow(),
    retentionNow: maintenance.retentionNow,
    flush: () => ingestService.writer.flush(),
    backlog: () => ingestService.writer.backlog(),
    queries,
    options,
  };
}
