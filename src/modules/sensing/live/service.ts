/**
 * The live hub: one bus subscription fans readings out to every stream client.
 *
 * Backpressure by coalescing, in two stages. The bus handler only records
 * the newest value per sensor in typed arrays shared by all clients — O(1)
 * per reading, whatever the number of clients, fast or slow. Each tick
 * merges the sensors that changed into every matching client's "dirty set"
 * (newest pending value per sensor, so bounded by the sensors it matches;
 * never a queue of messages), then writes one batch to each client whose
 * socket has drained and skips the others. A client that stays blocked past
 * the stuck timeout is cut off. However far behind a client falls, its
 * memory stays bounded and ingestion does not wait for it.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../../platform/clock.js';
import type { ReadingsIngestedPayload, SensorDirectory, SensorRef } from '../types.js';
import type { LatestValues } from '../telemetry/index.js';
import { matchesFilter } from './filter.logic.js';
import { readingFrames, rowsJson, sseComment, sseEvent, type PendingValue } from './frames.logic.js';
import type { LiveFilter, LiveOptions, LiveStats } from './types.js';

/** Where a client's bytes go: the HTTP response in production (ServerResponse fits). */
export interface LiveSink {
  readonly writableLength: number;
  write(chunk: string): boolean;
  end(): void;
  destroy(): void;
}

// Sensor keys are the registry's small dense integers and per-key arrays are sized by the largest;
// a key beyond this is not streamed rather than growing the arrays without bound.
const MAX_KEY = 1 << 22;

interface Client {
  filter: LiveFilter;
  sink: LiveSink;
  /**
   * Filter results per sensor key, valid while seenRef[key] is the very entry
   * they were computed from: the directory replaces an entry when a sensor
   * changes (class, place), so a change simply misses the cache.
   */
  match: Uint8Array;
  seenRef: Array<SensorRef | undefined>;
  dirty: Map<number, PendingValue>;
  /** Pending updates replaced by newer ones while the client was not reading. */
  dropped: number;
  blockedSince: number | null;
  lastWriteAt: number;
  closed: boolean;
}

export interface LiveHub {
  /** Register a client: writes the snapshot now, then batches on each tick. Returns its remover. */
  addClient(filter: LiveFilter, sink: LiveSink): () => void;
  onReadings(p: ReadingsIngestedPayload): void;
  tick(): void;
  stats(): LiveStats;
  /** End every stream (shutdown). */
  closeAll(): void;
}

export function createLiveHub(deps: { directory: SensorDirectory; latest: LatestValues; clock: Clock; log: Logger }, opts: LiveOptions): LiveHub {
  const clients = new Set<Client>();
  const counters = { coalesced: 0, dropped: 0, skippedTicks: 0, stuckDisconnects: 0, eventsSent: 0 };

  const matches = (c: Client, ref: SensorRef): boolean => {
    const k = ref.key;
    if (k < 0 || k >= MAX_KEY) return matchesFilter(c.filter, ref);
    if (k >= c.match.length) {
      const grown = new Uint8Array(Math.max(k + 1, c.match.length * 2));
      grown.set(c.match);
      c.match = grown;
    }
    if (c.seenRef[k] !== ref) {
      c.seenRef[k] = ref;
      c.match[k] = matchesFilter(c.filter, ref) ? 1 : 0;
    }
    return c.match[k] === 1;
  };

  // Newest value per sensor key since the last tick, how many readings it stood for, and the keys touched.
  let tickTs = new Float64Array(1024);
  let tickValue = new Float64Array(1024);
  let tickHits = new Uint32Array(1024);
  const tickRef: Array<SensorRef | undefined> = [];
  let changed: number[] = [];

  const ensureCapacity = (k: number): void => {
    if (k < tickHits.length) return;
    const size = Math.max(k + 1, tickHits.length * 2);
    const grow = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    tickTs = grow(tickTs, (n) => new Float64Array(n));
    tickValue = grow(tickValue, (n) => new Float64Array(n));
    tickHits = grow(tickHits, (n) => new Uint32Array(n));
  };

  /** Move this tick's changes into the client's dirty set (if they match its filter). */
  const merge = (c: Client): void => {
    for (const k of changed) {
      const ref = tickRef[k]!;
      if (!matches(c, ref)) continue;
      const ts = tickTs[k]!;
      const pending = c.dirty.get(k);
      if (!pending) {
        c.dirty.set(k, { id: ref.id, ts, value: tickValue[k]! });
        continue;
      }
      c.dropped++;
      counters.dropped++;
      // Out-of-order arrivals never replace a newer value.
      if (ts >= pending.ts) {
        pending.ts = ts;
        pending.value = tickValue[k]!;
      }
    }
  };

  const send = (c: Client, chunk: string): void => {
    c.sink.write(chunk);
    c.lastWriteAt = deps.clock.now();
  };

  const remove = (c: Client): void => {
    c.closed = true;
    c.dirty.clear();
    clients.delete(c);
  };

  const flush = (c: Client, now: number): void => {
    if (c.sink.writableLength >= opts.maxBufferedBytes) {
      c.blockedSince ??= now;
      if (c.dirty.size) counters.skippedTicks++;
      if (now - c.blockedSince >= opts.stuckTimeoutMs) {
        counters.stuckDisconnects++;
        deps.log.warn({ blockedMs: now - c.blockedSince, buffered: c.sink.writableLength }, 'live: client stopped reading; disconnected');
        remove(c);
        c.sink.destroy();
      }
      return;
    }
    c.blockedSince = null;
    if (c.dirty.size) {
      send(c, readingFrames(c.dirty.values(), c.dropped));
      counters.eventsSent++;
      c.dirty.clear();
      c.dropped = 0;
    } else if (now - c.lastWriteAt >= opts.heartbeatMs) {
      send(c, sseComment('heartbeat'));
    }
  };

  return {
    addClient(filter, sink) {
      const c: Client = {
        filter, sink, match: new Uint8Array(1024), seenRef: [], dirty: new Map(), dropped: 0, blockedSince: null, lastWriteAt: deps.clock.now(), closed: false,
      };
      // The snapshot is bounded by the sensors the client matches, like the dirty set.
      const rows: PendingValue[] = [];
      for (const ref of deps.directory.all()) {
        if (!matches(c, ref)) continue;
        const v = deps.latest.get(ref.key);
        if (v) rows.push({ id: ref.id, ts: v.ts, value: v.value });
      }
      send(c, `retry: 3000\n\n${sseEvent('snapshot', rowsJson(rows))}`);
      counters.eventsSent++;
      clients.add(c);
      return () => remove(c);
    },

    onReadings(p) {
      if (clients.size === 0) return;
      for (let i = 0; i < p.sensorIds.length; i++) {
        const ref = deps.directory.byId(p.sensorIds[i]!);
        if (!ref || ref.key < 0 || ref.key >= MAX_KEY) continue;
        const k = ref.key;
        const ts = p.ts[i]!;
        ensureCapacity(k);
        if (tickHits[k] === 0) {
          changed.push(k);
        } else if (ts < tickTs[k]!) {
          tickHits[k] = tickHits[k]! + 1;
          continue;
        }
        tickHits[k] = tickHits[k]! + 1;
        tickTs[k] = ts;
        tickValue[k] = p.values[i]!;
        tickRef[k] = ref;
      }
    },

    tick() {
      if (changed.length) {
        for (const c of clients) merge(c);
        for (const k of changed) {
          counters.coalesced += tickHits[k]! - 1;
          tickHits[k] = 0;
          tickRef[k] = undefined;
        }
        changed = [];
      }
      const now = deps.clock.now();
      for (const c of clients) if (!c.closed) flush(c, now);
    },

    stats() {
      let maxDirty = 0;
      let totalDirty = 0;
      let bufferedBytes = 0;
      let maxBufferedBytes = 0;
      for (const c of clients) {
        maxDirty = Math.max(maxDirty, c.dirty.size);
        totalDirty += c.dirty.size;
        bufferedBytes += c.sink.writableLength;
        maxBufferedBytes = Math.max(maxBufferedBytes, c.sink.writableLength);
      }
      return { clients: clients.size, maxDirty, totalDirty, bufferedBytes, maxBufferedBytes, ...counters };
    },

    closeAll() {
      for (const c of [...clients]) {
        remove(c);
        c.sink.end();
      }
    },
  };
}
