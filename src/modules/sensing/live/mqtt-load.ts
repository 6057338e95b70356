/**
 * MQTT load publisher for the ingestion benchmark (bench/ingest.ts): several
 * publisher connections send batches of readings as JSON arrays and measure
 * the end-to-end acknowledgement — CityOps answers on the MQTT 5 response
 * topic once a message's readings are durable. A window of unanswered
 * messages per connection keeps the load closed-loop, like HTTP clients
 * waiting for their responses (an open-loop flood would only fill the
 * broker's queue). Runs in the load process, never in the server.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { noDelay } from './mqtt.js';

export interface MqttLoadOptions {
  url: string;
  /** Topic the server subscribes to (under its MQTT_TOPIC filter), e.g. "cityops/readings/load". */
  topic: string;
  sensorIds: readonly string[];
  readingsPerMessage: number;
  /** Stop after this long, ms. */
  durationMs: number;
  connections?: number;
  /**
   * Unanswered messages allowed per connection (default 2). More only queues
   * up: the server stores a few messages at a time per connection, so the
   * acknowledgement latency grows with the window while throughput does not.
   */
  window?: number;
  /** Timestamps of the readings, epoch ms (default: the wall clock). */
  now?: () => number;
  /** Called about once a second with the readings acknowledged so far. */
  onProgress?: (acknowledged: number, elapsedMs: number) => void;
}

export interface MqttLoadResult {
  messages: number;
  readings: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  elapsedMs: number;
  readingsPerS: number;
  ackMs: { p50: number; p99: number; max: number };
}

interface Reply {
  accepted?: number;
  duplicates?: number;
  rejected?: unknown[];
  error?: unknown;
}

/** Publish readings for durationMs and report throughput and acknowledgement latency. */
export async function runMqttLoad(o: MqttLoadOptions): Promise<MqttLoadResult> {
  const connections = o.connections ?? 2;
  const window = o.window ?? 2;
  const now = o.now ?? Date.now;
  const replyBase = `cityops-load-replies/${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const latencies: number[] = [];
  const totals = { messages: 0, readings: 0, accepted: 0, duplicates: 0, rejected: 0 };
  let cursor = 0;
  let cycleTs = 0;
  const started = Date.now();
  const deadline = started + o.durationMs;

  // Each sensor appears once per pass over the list, so one timestamp per pass keeps (sensor, ts) unique.
  const nextBatch = (): string => {
    let s = '[';
    for (let i = 0; i < o.readingsPerMessage; i++) {
      if (cursor === 0) cycleTs = Math.max(now(), cycleTs + 1);
      const id = o.sensorIds[cursor]!;
      cursor = (cursor + 1) % o.sensorIds.length;
      s += `${i ? ',' : ''}{"sensor":${JSON.stringify(id)},"ts":${cycleTs},"value":${(Math.random() * 100).toFixed(2)}}`;
    }
    return `${s}]`;
  };

  const runConnection = async (c: number): Promise<void> => {
    const client: MqttClient = await connectAsync(o.url, { protocolVersion: 5, clean: true, reconnectPeriod: 0 });
    noDelay(client);
    const replyTopic = `${replyBase}/${c}`;
    const sentAt = new Map<number, { at: number; readings: number }>();
    let seq = 0;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((r) => (finish = r));

    const send = (): void => {
      if (Date.now() >= deadline) {
        if (sentAt.size === 0) finish();
        return;
      }
      const id = seq++;
      const corr = Buffer.alloc(4);
      corr.writeUInt32BE(id);
      sentAt.set(id, { at: Date.now(), readings: o.readingsPerMessage });
      totals.messages++;
      totals.readings += o.readingsPerMessage;
      client.publish(`${o.topic}/${c}`, nextBatch(), { qos: 1, properties: { responseTopic: replyTopic, correlationData: corr } });
    };

    client.on('message', (_t, payload, packet) => {
      const corr = packet.properties?.correlationData;
      if (!corr || corr.length !== 4) return;
      const sent = sentAt.get(corr.readUInt32BE(0));
      if (!sent) return;
      sentAt.delete(corr.readUInt32BE(0));
      latencies.push(Date.now() - sent.at);
      const reply = JSON.parse(payload.toString()) as Reply;
      totals.accepted += reply.accepted ?? 0;
      totals.duplicates += reply.duplicates ?? 0;
      totals.rejected += reply.error ? sent.readings : (reply.rejected?.length ?? 0);
      send();
    });
    await client.subscribeAsync(replyTopic, { qos: 0 });
    for (let i = 0; i < window; i++) send();
    // Replies are QoS 0: do not wait for ever on one that got lost.
    const giveUp = setTimeout(finish, o.durationMs + 15_000);
    await done;
    clearTimeout(giveUp);
    await client.endAsync();
  };

  const progress = o.onProgress ? setInterval(() => o.onProgress!(totals.accepted + totals.duplicates, Date.now() - started), 1000) : undefined;
  try {
    await Promise.all(Array.from({ length: connections }, (_, c) => runConnection(c)));
  } finally {
    clearInterval(progress);
  }
  const elapsedMs = Date.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    ...totals,
    elapsedMs,
    readingsPerS: Math.round(((totals.accepted + totals.duplicates) * 1000) / Math.max(1, elapsedMs)),
    ackMs: { p50: pct(50), p99: pct(99), max: latencies[latencies.length - 1] ?? 0 },
  };
}
