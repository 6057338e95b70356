/**
 * NATS JetStream bus: the same interface as the in-process bus, across
 * processes. One file-backed stream holds every domain event (subject
 * "<stream>.events.<Type>", lower-cased stream name: "cityops.events.>" for the
 * default stream); publish resolves once JetStream has stored the event, with
 * the envelope id as Nats-Msg-Id so a re-publish within the duplicate window is
 * dropped by the server. Group subscribers share a durable pull consumer
 * (explicit acks, redelivery with backoff, survives restarts); subscribers
 * without a group each get an ordered consumer of new events (broadcast).
 */
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { DiscardPolicy, RetentionPolicy, StorageType, jetstream, jetstreamManager, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { consumeBroadcast, consumeGroup, type Running } from './nats-consumers.js';
import type { Bus, DomainEventMap, Envelope, EventType, Handler, SubscribeOptions } from './types.js';

export interface NatsRetryOptions {
  /** Deliveries of one event to a group before it is given up (logged, kept in the stream). */
  maxDeliver: number;
  /** Redelivery delays after a handler failure, by attempt (the last one repeats). */
  backoffMs: number[];
  /** An unacknowledged event goes to another member after this long (a crashed or stuck process). */
  ackWaitMs: number;
}

export interface NatsBusOptions {
  url: string;
  clock: Clock;
  log: Logger;
  /** JetStream stream name; tests use a fresh one. */
  stream?: string;
  /** Oldest events the stream keeps (default 7 days). */
  maxAgeMs?: number;
  /** Largest size of the stream; the oldest events go first (default 1 GiB). */
  maxBytes?: number;
  /** Window in which a re-published envelope id is dropped (default 2 minutes). */
  duplicateWindowMs?: number;
  retry?: Partial<NatsRetryOptions>;
  /** Events a group member holds unacknowledged at once (default 16): small keeps work spread across members. */
  prefetch?: number;
}

export const DEFAULT_STREAM = 'CITYOPS';
const DEFAULT_RETRY: NatsRetryOptions = { maxDeliver: 5, backoffMs: [1000, 5000, 15000, 60000], ackWaitMs: 30_000 };
const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Subjects of a stream: "cityops.events.>" for the default stream. */
export function subjectPrefix(stream: string): string {
  return `${stream.toLowerCase()}.events`;
}

export async function createNatsBus(o: NatsBusOptions): Promise<Bus> {
  const stream = o.stream ?? DEFAULT_STREAM;
  if (!TOKEN.test(stream)) throw new Error(`NATS stream name "${stream}" may only hold letters, digits, "_" and "-"`);
  const prefix = subjectPrefix(stream);
  const retry: NatsRetryOptions = { ...DEFAULT_RETRY, ...o.retry };
  if (retry.maxDeliver < 1 || !retry.backoffMs.length) throw new Error('NATS retry needs maxDeliver ≥ 1 and at least one backoff delay');

  const nc = await connect({ servers: o.url, name: `cityops-${process.pid}`, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
  let connected = true;
  let closed = false;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        connected = false;
        o.log.warn({ server: s.server }, 'NATS disconnected; reconnecting');
      } else if (s.type === 'reconnect') {
        connected = true;
        o.log.info({ server: s.server }, 'NATS reconnected');
      }
    }
  })().catch(() => undefined);

  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
    await ensureStream(jsm, {
      name: stream,
      subjects: [`${prefix}.>`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: nanos(o.maxAgeMs ?? 7 * 24 * 3600_000),
      max_bytes: o.maxBytes ?? 1024 ** 3,
      duplicate_window: nanos(o.duplicateWindowMs ?? 120_000),
      num_replicas: 1,
    });
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw new Error(`NATS JetStream at ${o.url} is not usable: ${(err as Error).message}`, { cause: err });
  }
  const js = jetstream(nc);
  const running = new Set<Running>();

  const subjectOf = (type: string) => {
    if (!TOKEN.test(type)) throw new Error(`event type "${type}" cannot be a NATS subject token`);
    return `${prefix}.${type}`;
  };

  return {
    kind: 'nats',

    async publish<K extends EventType>(type: K, payload: DomainEventMap[K], opts?: { id?: string }): Promise<Envelope<K>> {
      if (closed) throw new Error('bus closed');
      const env: Envelope<K> = { id: opts?.id ?? newId('evt'), type, at: o.clock.now(), payload };
      await js.publish(subjectOf(type), JSON.stringify(env), { msgID: env.id, expect: { streamName: stream }, timeout: 10_000 });
      return env;
    },

    async subscribe<K extends EventType>(type: K, handler: Handler<K>, opts?: SubscribeOptions): Promise<() => Promise<void>> {
      if (closed) throw new Error('bus closed');
      const ctx = { js, jsm, stream, subject: subjectOf(type), handler: handler as Handler<EventType>, log: o.log, retry, prefetch: o.prefetch ?? 16 };
      const run = opts?.group ? await consumeGroup(ctx, opts.group, type) : await consumeBroadcast(ctx);
      running.add(run);
      return async () => {
        running.delete(run);
        await run.stop();
      };
    },

    healthy: () => !closed && connected && !nc.isClosed(),

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...running].map((r) => r.stop()));
      running.clear();
      if (!nc.isClosed()) await nc.drain().catch(() => undefined);
    },
  };
}

/** Create the stream, or bring an existing one's limits up to date (another process may race us). */
async function ensureStream(jsm: JetStreamManager, cfg: StreamConfig | (Partial<StreamConfig> & { name: string })): Promise<void> {
  const { name, storage: _s, retention: _r, num_replicas: _n, ...updatable } = cfg;
  const exists = await jsm.streams.info(name).then(() => true, () => false);
  if (exists) {
    await jsm.streams.update(name, updatable);
    return;
  }
  try {
    await jsm.streams.add(cfg);
  } catch (err) {
    if (!(await jsm.streams.info(name).then(() => true, () => false))) throw err;
    await jsm.streams.update(name, updatable);
  }
}

/** Remove a stream and everything in it (tests clean up their own). */
export async function deleteNatsStream(url: string, stream: string): Promise<void> {
  const nc: NatsConnection = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}
