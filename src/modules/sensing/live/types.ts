/** Live state (SPEC S4) and MQTT ingestion: filter, stream tuning, counters. */
import type { BBox } from '../../../platform/geo/index.js';
import type { SensorClass } from '../types.js';

/** What a live client asked to see; every set field must match (AND). */
export interface LiveFilter {
  classes: ReadonlySet<SensorClass> | null;
  /** Org unit id: sensors whose orgPath contains this unit. */
  area: string | null;
  bbox: BBox | null;
  sensorIds: ReadonlySet<string> | null;
}

/** Stream tuning; defaults suit production, tests shorten them. */
export interface LiveOptions {
  /** How often dirty values are flushed to clients, ms. */
  tickMs: number;
  /** A client is only written to while its socket buffer holds less than this, bytes. */
  maxBufferedBytes: number;
  /** A client whose socket has not drained for this long is disconnected, ms. */
  stuckTimeoutMs: number;
  /** A comment line is sent when nothing else was written for this long, ms. */
  heartbeatMs: number;
}

export const DEFAULT_LIVE_OPTIONS: LiveOptions = {
  tickMs: 250,
  maxBufferedBytes: 64 * 1024,
  stuckTimeoutMs: 30_000,
  heartbeatMs: 15_000,
};

export interface LiveStats {
  clients: number;
  /** Largest per-client set of values waiting to be sent (bounded by the sensors it matches). */
  maxDirty: number;
  totalDirty: number;
  /** Bytes waiting in the clients' socket buffers, summed and the largest. */
  bufferedBytes: number;
  maxBufferedBytes: number;
  /** Readings folded into a newer one of the same sensor within one tick (the stream sends at most one value per sensor per tick). */
  coalesced: number;
  /** Pending updates replaced by newer ones because a client was not reading (summed over clients). */
  dropped: number;
  /** Ticks on which a client was skipped because its socket had not drained. */
  skippedTicks: number;
  /** Clients disconnected because their socket did not drain in time. */
  stuckDisconnects: number;
  eventsSent: number;
}

export interface MqttStats {
  enabled: boolean;
  /** At least one connection is up and subscribed. */
  connected: boolean;
  topic: string | null;
  /** Messages received from the broker. */
  received: number;
  /** Messages that could not be used at all (not JSON, wrong shape, refused batch). */
  badMessages: number;
  /** Readings stored, already stored (harmless repeats), and refused. */
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Ingest attempts that failed for a server-side reason and were retried. */
  retries: number;
  /** Messages being stored right now (not yet acknowledged to the broker). */
  inFlight: number;
  reconnects: number;
}
