/**
 * MQTT ingestion (SPEC S2): subscribe to the configured broker and topic
 * filter, hand each message's readings to telemetry's ingest(), and
 * acknowledge a QoS 1/2 message only after ingest() resolved, i.e. once its
 * readings are durable (MQTT 5 manual acks via MQTT.js `customHandleAcks`).
 *
 * - Payload: one reading object, a JSON array, or NDJSON (see mqtt-payload.logic.ts).
 * - Bad messages are counted, logged at warn (rate-limited) and acknowledged:
 *   resending them would not help. Server-side failures (store down) are
 *   retried with back-off and never acknowledged before they succeed.
 * - Results: when a message carries an MQTT 5 Response Topic, the outcome
 *   {accepted, duplicates, rejected:[{index,code,reason}]} (or {error}) is
 *   published there with the same Correlation Data, QoS 0.
 * - MQTT.js hands messages over one at a time per connection, so several
 *   connections share one `$share/<group>/<topic>` subscription: messages
 *   are stored concurrently, and several CityOps processes split the work
 *   instead of each storing everything.
 * - A `?clientId=…` in MQTT_URL makes the sessions persistent: the broker
 *   keeps unacknowledged and newly arriving messages while CityOps is down.
 */
import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Clock } from '../../../platform/clock.js';
import { isAppError } from '../../../platform/errors.js';
import type { Principal } from '../../../platform/auth/roles.js';
import type { IngestResult, RejectedReading, WireReading } from '../types.js';
import { mqttTopicMatches, parseMqttPayload } from './mqtt-payload.logic.js';
import type { MqttStats } from './types.js';

/** Who MQTT readings are ingested as. */
export const MQTT_PRINCIPAL: Principal = { kind: 'apikey', id: 'mqtt', name: 'mqtt', roles: ['device'], autoProvision: false };

export interface MqttIngestOptions {
  url: string;
  topic: string;
  ingest(batch: WireReading[], principal: Principal): Promise<IngestResult>;
  clock: Clock;
  log: Logger;
  /** Connections sharing the subscription (messages stored in parallel). */
  connections?: number;
  shareGroup?: string;
  /** How long stop() waits for messages being stored before it disconnects anyway (they stay unacknowledged). */
  stopWaitMs?: number;
}

export interface MqttIngest {
  /** Connect and subscribe; resolves once subscribed, or after a few seconds while it keeps retrying in the background. */
  start(): Promise<void>;
  /** Finish the messages being stored (they get acknowledged), then disconnect. */
  stop(): Promise<void>;
  stats(): MqttStats;
}

const REASON_OK = 0;
const REASON_IMPLEMENTATION_ERROR = 131;
const REASON_PAYLOAD_FORMAT_INVALID = 153;
const LOG_EVERY_MS = 10_000;
const START_WAIT_MS = 5_000;

export function createMqttIngest(o: MqttIngestOptions): MqttIngest {
  const n = Math.max(1, o.connections ?? 4);
  const group = o.shareGroup ?? 'cityops';
  const filter = `$share/${group}/${o.topic}`;
  const counters = { received: 0, badMessages: 0, accepted: 0, duplicates: 0, rejected: 0, retries: 0, reconnects: 0 };
  const inFlight = new Set<Promise<unknown>>();
  const clients: MqttClient[] = [];
  /** Connections whose subscription the broker confirmed (since their last connect). */
  const subscribed = new Set<MqttClient>();
  let stopping = false;
  // One limiter per kind of trouble, so a flood of one kind does not hide another.
  const warnLimited = () => rateLimited(o.clock, (suppressed, obj: object, msg: string) => o.log.warn({ ...obj, suppressed }, msg));
  const warnBad = warnLimited();
  const warnRejected = warnLimited();
  const warnOffline = warnLimited();
  const fail = rateLimited(o.clock, (suppressed, obj: object, msg: string) => o.log.error({ ...obj, suppressed }, msg));
  const failClient = rateLimited(o.clock, (suppressed, obj: object, msg: string) => o.log.error({ ...obj, suppressed }, msg));

  const persistentId = new URL(o.url).searchParams.get('clientId');
  const clientOptions = (i: number): IClientOptions => ({
    protocolVersion: 5,
    clientId: persistentId ? `${persistentId}-${i}` : `cityops-${process.pid}-${Math.random().toString(36).slice(2, 10)}-${i}`,
    clean: !persistentId,
    properties: persistentId ? { sessionExpiryInterval: 24 * 3600 } : undefined,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    resubscribe: false, // subscribed on every 'connect' instead
  });

  const respond = (client: MqttClient, packet: IPublishPacket, body: object): void => {
    const to = packet.properties?.responseTopic;
    if (!to || mqttTopicMatches(o.topic, to)) return; // never answer into our own subscription
    client.publish(to, JSON.stringify(body), { qos: 0, properties: { correlationData: packet.properties?.correlationData } });
  };

  const ingestWithRetry = async (readings: WireReading[]): Promise<IngestResult> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await o.ingest(readings, MQTT_PRINCIPAL);
      } catch (err) {
        if ((isAppError(err) && err.status < 500) || stopping) throw err;
        counters.retries++;
        fail({ err, attempt }, 'mqtt: storing readings failed; retrying (message not acknowledged)');
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  };

  /** Store one message; resolves to the PUBACK reason code. Rejects (no ack) only when stopping mid-failure. */
  const handle = async (client: MqttClient, topic: string, payload: Buffer, packet: IPublishPacket): Promise<number> => {
    counters.received++;
    const parsed = parseMqttPayload(payload);
    if (!parsed.ok) {
      counters.badMessages++;
      warnBad({ topic, code: parsed.code, bytes: payload.length }, `mqtt: message ignored: ${parsed.reason}`);
      respond(client, packet, { error: { code: parsed.code, message: parsed.reason } });
      return REASON_PAYLOAD_FORMAT_INVALID;
    }
    let result: IngestResult = { accepted: 0, duplicates: 0, rejected: [] };
    if (parsed.readings.length > 0) {
      try {
        result = await ingestWithRetry(parsed.readings);
      } catch (err) {
        // Only the message's own fault is acknowledged; anything else stays unacknowledged.
        if (!isAppError(err) || err.status >= 500) throw err;
        counters.badMessages++;
        warnBad({ topic, code: err.code, readings: parsed.readings.length }, `mqtt: message refused: ${err.message}`);
        respond(client, packet, { error: { code: err.code, message: err.message, details: err.details } });
        return REASON_IMPLEMENTATION_ERROR;
      }
    }
    const rejected: RejectedReading[] = [...parsed.badLines, ...result.rejected.map((r) => ({ ...r, index: parsed.indexes?.[r.index] ?? r.index }))];
    counters.accepted += result.accepted;
    counters.duplicates += result.duplicates;
    counters.rejected += rejected.length;
    if (rejected.length) warnRejected({ topic, rejected: rejected.length, first: rejected[0] }, 'mqtt: some readings rejected');
    respond(client, packet, { accepted: result.accepted, duplicates: result.duplicates, rejected });
    return REASON_OK;
  };

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  const open = (i: number): Promise<void> =>
    new Promise((resolve) => {
      let client: MqttClient | undefined = undefined;
      const opts = clientOptions(i);
      opts.customHandleAcks = (topic, message, packet: IPublishPacket, done) => {
        // Stopping: leave the message unacknowledged for the broker to deliver again.
        if (stopping) return done(new Error('stopping'));
        track(handle(client!, topic, message, packet)).then(
          (code) => done(code),
          (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
        );
      };
      client = connect(o.url, opts);
      // QoS 0 messages bypass customHandleAcks; handle them here, one at a time like the rest.
      const superHandle = client.handleMessage.bind(client);
      client.handleMessage = (packet, callback) => {
        if (packet.qos !== 0) return superHandle(packet, callback);
        if (stopping) return callback();
        track(handle(client!, packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload), packet)).then(
          () => callback(),
          () => callback(),
        );
      };
      let connectedOnce = false;
      client.on('connect', () => {
        noDelay(client!);
        if (connectedOnce) counters.reconnects++;
        connectedOnce = true;
        client!.subscribe(filter, { qos: 1 }, (err, granted) => {
          const refused = granted?.find((g) => g.qos > 2);
          if (err || refused) {
            o.log.error({ err, filter, reason: refused?.qos }, 'mqtt: subscribe refused by the broker');
          } else {
            subscribed.add(client!);
            o.log.info({ filter, url: redact(o.url) }, 'mqtt: subscribed');
          }
          resolve();
        });
      });
      client.on('error', (err) => {
        if (!stopping) failClient({ err: err.message }, 'mqtt: client error');
      });
      client.on('close', () => subscribed.delete(client!));
      client.on('offline', () => warnOffline({ url: redact(o.url) }, 'mqtt: broker unreachable; reconnecting'));
      clients.push(client);
    });

  return {
    async start() {
      stopping = false;
      const all = Promise.all(Array.from({ length: n }, (_, i) => open(i)));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((r) => {
        timer = setTimeout(() => r('late'), START_WAIT_MS);
      });
      if ((await Promise.race([all, late])) === 'late') o.log.warn({ url: redact(o.url) }, 'mqtt: broker not reachable yet; ingestion starts when it is');
      clearTimeout(timer);
    },
    async stop() {
      stopping = true;
      // No unsubscribe: a persistent session should keep collecting messages while CityOps is down.
      // Messages arriving from now on are left unacknowledged; those being stored get acknowledged.
      const deadline = Date.now() + (o.stopWaitMs ?? 10_000);
      while (inFlight.size && Date.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => (timer = setTimeout(r, deadline - Date.now())))]);
        clearTimeout(timer);
      }
      const force = inFlight.size > 0;
      if (force) o.log.warn({ inFlight: inFlight.size }, 'mqtt: stopping with messages still being stored; they stay unacknowledged');
      await Promise.all(clients.splice(0).map((c) => c.endAsync(force)));
    },
    stats() {
      return { enabled: true, connected: subscribed.size > 0, topic: o.topic, inFlight: inFlight.size, ...counters };
    },
  };
}

/**
 * Turn off Nagle's algorithm: PUBACKs and small replies would otherwise wait
 * for the peer's delayed ACK (~40 ms on Linux) on every message.
 */
export function noDelay(client: MqttClient): void {
  (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
}

/** Call fn at most once per interval; reports how many calls were suppressed in between. */
function rateLimited<A extends unknown[]>(clock: Clock, fn: (suppressed: number, ...args: A) => void): (...args: A) => void {
  let last = -Infinity;
  let suppressed = 0;
  return (...args) => {
    const now = clock.now();
    if (now - last < LOG_EVERY_MS) {
      suppressed++;
      return;
    }
    last = now;
    fn(suppressed, ...args);
    suppressed = 0;
  };
}

function redact(u: string): string {
  return u.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
