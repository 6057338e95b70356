/**
 * The live hub: one bus subscription fans readings out to every stream client.
 *
 * Backpressure by coalescing: each client keeps only the newest pending value
 * per sensor (a "dirty set" bounded by the sensors it matches), never a queue
 * of messages. A tick writes one batch to each client whose socket has
 * drained and skips the others; a client that stays blocked past the stuck
 * timeout is cut off. So a slow client costs ingestion O(matching readings)
 * map updates and its memory stays bounded, however far behind it falls.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../../platform/clock.js';
import type { ReadingsIngestedPayload, SensorDirectory, SensorRef } from '../types.js';
import type { LatestValues } from '../telemetry/index.js';
import { matchesFilter } from './filter.logic.js';
import { rowsJson, sseComment, sseEvent, type PendingValue } from './frames.logic.js';
import type { LiveFilter, LiveOptions, LiveStats } from './types.js';

/** Where a client's bytes go: the HTTP response in production (ServerResponse fits). */
export interface LiveSink {
  readonly writableLength: number;
  write(chunk: string): boolean;
  end(): void;
  destroy(): void;
}

// Beyond this key the per-client match cache is not used (keys are meant to be small integers).
const MAX_CACHED_KEY = 1 << 22;

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
  coalesced: number;
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
  const counters = { coalesced: 0, skippedTicks: 0, stuckDisconnects: 0, eventsSent: 0 };

  const matches = (c: Client, ref: SensorRef): boolean => {
    const k = ref.key;
    if (k < 0 || k >= MAX_CACHED_KEY) return matchesFilter(c.filter, ref);
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
      send(c, sseEvent('reading', rowsJson(c.dirty.values(), c.coalesced)));
      counters.eventsSent++;
      c.dirty.clear();
      c.coalesced = 0;
    } else if (now - c.lastWriteAt >= opts.heartbeatMs) {
      send(c, sseComment('heartbeat'));
    }
  };

  return {
    addClient(filter, sink) {
      const c: Client = {
        filter, sink, match: new Uint8Array(1024), seenRef: [], dirty: new Map(), coalesced: 0, blockedSince: null, lastWriteAt: deps.clock.now(), closed: false,
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
      const n = p.sensorIds.length;
      const refs: Array<SensorRef | undefined> = new Array(n);
      for (let i = 0; i < n; i++) refs[i] = deps.directory.byId(p.sensorIds[i]!);
      for (const c of clients) {
        const dirty = c.dirty;
        for (let i = 0; i < n; i++) {
          const ref = refs[i];
          if (!ref || !matches(c, ref)) continue;
          const ts = p.ts[i]!;
          const pending = dirty.get(ref.key);
          if (!pending) {
            dirty.set(ref.key, { id: ref.id, ts, value: p.values[i]! });
          } else {
            c.coalesced++;
            counters.coalesced++;
            // Out-of-order arrivals never replace a newer value.
            if (ts >= pending.ts) {
              pending.ts = ts;
              pending.value = p.values[i]!;
            }
          }
        }
      }
    },

    tick() {
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
