/** Telemetry's own types: columnar reading batches, resolutions, query results and tuning knobs. */

/**
 * Accepted readings of one request, column by column: typed arrays avoid an
 * object per reading on the hot path. Only the first `n` slots are used.
 */
export interface ReadingColumns {
  keys: Int32Array;
  ts: Float64Array;
  values: Float64Array;
  n: number;
}

/** What storing one batch did: how many rows were new, and which (only when some were duplicates). */
export interface InsertOutcome {
  inserted: number;
  /** 1 = stored now, 0 = already stored; absent when every reading was new. */
  insertedMask?: Uint8Array;
}

/** Stored resolutions: raw readings and three rollups. */
export type Step = 'raw' | '1m' | '1h' | '1d';
export type RollupStep = Exclude<Step, 'raw'>;
export type StepParam = Step | 'auto';

/** What the rollup worker maintains, each with its own watermark (the seq up to which it includes raw rows). */
export type RollupTarget = RollupStep | 'latest';
export const ROLLUP_TARGETS: readonly RollupTarget[] = ['1m', '1h', '1d', 'latest'];

export const STEP_MS: Record<RollupStep, number> = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 };
export const ROLLUP_STEPS: readonly RollupStep[] = ['1m', '1h', '1d'];

/** One aggregate bucket: min, max, sum and count of the readings whose ts falls in [start, start + step). */
export interface Bucket {
  sensorKey: number;
  start: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

export interface RawPoint {
  ts: number;
  value: number;
}

export interface BucketPoint {
  ts: number;
  min: number;
  max: number;
  avg: number;
  count: number;
}

export interface SeriesResult {
  sensor: string;
  step: Step;
  from: number;
  to: number;
  points: RawPoint[] | BucketPoint[];
  /** True when more points exist in the range than `limit` allowed. */
  truncated: boolean;
}

export interface AggregateResult {
  class: string;
  area: string | null;
  metric: string | null;
  step: RollupStep;
  from: number;
  to: number;
  sensors: number;
  buckets: BucketPoint[];
}

export interface TelemetryOptions {
  /** Longest wait before queued readings are written (group commit), ms. */
  flushDelayMs: number;
  /** Write at once when this many readings are queued. */
  flushRows: number;
  /** Refuse new batches (503 SERVICE_BUSY) while this many readings wait for the store. */
  maxQueuedRows: number;
  /** Readings may be this far ahead of the server clock (device clocks drift), ms. */
  maxFutureMs: number;
  /** Background rollup period, ms (0 = only on demand). */
  rollupIntervalMs: number;
  /** Raw rows aggregated per read step of a rollup run (keeps each event-loop block short). */
  rollupChunkRows: number;
  /** Background retention period, ms (0 = only on demand). */
  retentionIntervalMs: number;
  /** Rows deleted per retention statement. */
  retentionBatchRows: number;
  /** Readings per ReadingsIngested event (NATS messages have a size limit). */
  eventChunk: number;
  /** Longest range a raw query may cover, ms. */
  maxRawRangeMs: number;
}

export const DEFAULT_TELEMETRY_OPTIONS: TelemetryOptions = {
  flushDelayMs: 4,
  flushRows: 20_000,
  maxQueuedRows: 400_000,
  maxFutureMs: 5 * 60_000,
  rollupIntervalMs: 10_000,
  rollupChunkRows: 50_000,
  retentionIntervalMs: 10 * 60_000,
  retentionBatchRows: 5_000,
  eventChunk: 5_000,
  maxRawRangeMs: 24 * 3_600_000,
};
