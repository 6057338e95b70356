/**
 * Ingestion use case (SPEC S2): validate a batch, register unknown sensors
 * for auto-provisioning API keys, hand the good readings to the group-commit
 * writer and answer once they are durable. After each commit the latest
 * values move on and one ReadingsIngested event per chunk goes on the bus
 * (not awaited: the acknowledgement never waits for subscribers).
 */
import type { Logger } from 'pino';
import type { Principal } from '../../../platform/auth/roles.js';
import type { Bus } from '../../../platform/bus/types.js';
import type { Clock } from '../../../platform/clock.js';
import { AppError, badRequest, isAppError } from '../../../platform/errors.js';
import { retentionFor } from '../classes.js';
import { SENSOR_CLASSES, type IngestResult, type ReadingsIngestedPayload, type RejectedReading, type SensorClass, type SensorDirectory } from '../types.js';
import type { LatestStore } from './latest.js';
import type { InsertOutcome, ReadingColumns, TelemetryOptions } from './types.js';
import { allocColumns, provisionRequests, unknownSensor, validateProvisioned, validateReadings, type ValidationContext } from './validate.logic.js';
import { GroupCommitWriter, type WriteSink } from './writer.js';

const DAY_MS = 86_400_000;

export interface IngestDeps {
  sink: WriteSink;
  directory: SensorDirectory;
  latest: LatestStore;
  bus: Bus;
  clock: Clock;
  log: Logger;
  options: TelemetryOptions;
  maxBatchReadings: number;
  /** Also told of every commit (the rollup feed). */
  afterCommit?(batches: readonly ReadingColumns[], outcomes: readonly InsertOutcome[]): void;
}

export type IngestService = ReturnType<typeof createIngestService>;

export function createIngestService(d: IngestDeps) {
  const { options: o } = d;
  const rawDays = Object.fromEntries(SENSOR_CLASSES.map((c) => [c, retentionFor(c).rawDays])) as Record<SensorClass, number>;

  const publish = (payload: ReadingsIngestedPayload) => {
    d.bus.publish('ReadingsIngested', payload).catch((err: unknown) => d.log.warn({ err }, 'telemetry: ReadingsIngested not published'));
  };

  function onCommitted(batches: readonly ReadingColumns[], outcomes: readonly InsertOutcome[]): void {
    let ev: ReadingsIngestedPayload = { sensorIds: [], ts: [], values: [] };
    for (let b = 0; b < batches.length; b++) {
      const c = batches[b]!;
      const mask = outcomes[b]!.insertedMask;
      for (let j = 0; j < c.n; j++) {
        if (mask && mask[j] === 0) continue;
        const key = c.keys[j]!;
        d.latest.offer(key, c.ts[j]!, c.values[j]!);
        const ref = d.directory.byKey(key);
        if (!ref) continue;
        ev.sensorIds.push(ref.id);
        ev.ts.push(c.ts[j]!);
        ev.values.push(c.values[j]!);
        if (ev.sensorIds.length >= o.eventChunk) {
          publish(ev);
          ev = { sensorIds: [], ts: [], values: [] };
        }
      }
    }
    if (ev.sensorIds.length) publish(ev);
    d.afterCommit?.(batches, outcomes);
  }

  const writer = new GroupCommitWriter(d.sink, {
    flushDelayMs: o.flushDelayMs,
    flushRows: o.flushRows,
    maxQueuedRows: o.maxQueuedRows,
    onCommitted,
    onError: (err) => d.log.error({ err }, 'telemetry: storing readings failed'),
  });

  function context(now: number): ValidationContext {
    return {
      now,
      maxFutureMs: o.maxFutureMs,
      lookup: (id) => d.directory.byId(id),
      oldestFor: (cls) => now - rawDays[cls] * DAY_MS,
    };
  }

  /** Register the unknown sensors a batch asks for; returns the rejections of readings that still cannot be stored. */
  async function provision(batch: readonly unknown[], unknown: number[], principal: Principal, ctx: ValidationContext, cols: ReadingColumns): Promise<RejectedReading[]> {
    const requests = provisionRequests(batch, unknown);
    const refused = new Map<string, RejectedReading>();
    await Promise.all([...requests].map(async ([id, req]) => {
      if ('code' in req) {
        refused.set(id, req);
        return;
      }
      try {
        await d.directory.provision({ ...req, department: principal.department ?? null }, principal.id);
      } catch (err) {
        if (!isAppError(err) || err.status >= 500) throw err;
        refused.set(id, { index: -1, code: err.code, reason: err.message });
      }
    }));
    const rejected: RejectedReading[] = [];
    const ok: number[] = [];
    for (const i of unknown) {
      const r = refused.get((batch[i] as { sensor: string }).sensor);
      if (r) rejected.push({ index: i, code: r.code, reason: r.reason });
      else ok.push(i);
    }
    return rejected.concat(validateProvisioned(batch, ok, ctx, cols));
  }

  /**
   * Validate and store a batch. Resolves once the accepted readings are durable
   * with {accepted (newly stored), duplicates (already stored), rejected}.
   * Throws AppError for problems of the whole batch: not an array, empty,
   * too large (413), store busy or shutting down (503).
   */
  async function ingest(batch: readonly unknown[], principal: Principal, preRejected?: ReadonlyMap<number, RejectedReading>): Promise<IngestResult> {
    if (!Array.isArray(batch)) throw badRequest('BODY_NOT_ARRAY', 'Send the readings as a JSON array [{"sensor","ts","value"}, …] or as NDJSON (one reading per line)');
    if (batch.length === 0) throw badRequest('EMPTY_BATCH', 'The batch holds no readings; send at least one');
    if (batch.length > d.maxBatchReadings) {
      throw new AppError(413, 'BATCH_TOO_LARGE', `A batch may hold at most ${d.maxBatchReadings} readings; this one has ${batch.length}: split it`, { maxBatchReadings: d.maxBatchReadings });
    }
    if (writer.backlog() >= o.maxQueuedRows) {
      throw new AppError(503, 'SERVICE_BUSY', `The store is ${writer.backlog()} readings behind; retry after a second (see Retry-After)`, { retryAfterS: 1 });
    }
    const ctx = context(d.clock.now());
    const cols = allocColumns(batch.length);
    const pass = validateReadings(batch, ctx, cols, preRejected);
    let rejected = pass.rejected;
    if (pass.unknown.length) {
      if (principal.autoProvision) {
        rejected = rejected.concat(await provision(batch, pass.unknown, principal, ctx, cols));
      } else {
        for (const i of pass.unknown) rejected.push(unknownSensor(i, (batch[i] as { sensor: string }).sensor));
      }
      rejected.sort((a, b) => a.index - b.index);
    }
    if (cols.n === 0) return { accepted: 0, duplicates: 0, rejected };
    const outcome = await writer.write(cols);
    return { accepted: outcome.inserted, duplicates: cols.n - outcome.inserted, rejected };
  }

  return { ingest, writer };
}
