/**
 * The MQTT ingestion adapter against the local Mosquitto: payload shapes,
 * per-message results on the MQTT 5 response topic, retries on server-side
 * failures, and "acknowledged only once durable" (an unacknowledged message
 * is delivered again after a restart). Ingest is a recording function here;
 * test/mqtt-ingest.test.ts runs the same path through the real modules.
 */
import net from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import pino from 'pino';
import { AppError } from '../src/platform/errors.js';
import { systemClock } from '../src/platform/clock.js';
import type { Principal } from '../src/platform/auth/roles.js';
import { serviceAvailable, TEST_MQTT_URL, uniqueName } from '../src/platform/testing/services.js';
import type { IngestResult, WireReading } from '../src/modules/sensing/types.js';
import { createMqttIngest, type MqttIngest } from '../src/modules/sensing/live/mqtt.js';

const up = await serviceAvailable('MQTT', TEST_MQTT_URL);
const log = pino({ level: 'silent' });

type IngestFn = (batch: WireReading[], p: Principal) => Promise<IngestResult>;

/** Resolves when cond() holds; polls the event loop (the broker delivers asynchronously). */
async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(!up)('MQTT ingestion adapter (local Mosquitto)', () => {
  let pub: MqttClient;
  const adapters: MqttIngest[] = [];
  let prefix: string;

  beforeAll(async () => {
    pub = await connectAsync(TEST_MQTT_URL, { protocolVersion: 5 });
    return async () => {
      await pub.endAsync();
    };
  });
  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.stop();
  });

  const start = async (ingest: IngestFn, extra: { url?: string; stopWaitMs?: number; connections?: number } = {}) => {
    const a = createMqttIngest({ url: extra.url ?? TEST_MQTT_URL, topic: `${prefix}/readings/#`, ingest, clock: systemClock, log, connections: extra.connections ?? 2, stopWaitMs: extra.stopWaitMs });
    adapters.push(a);
    await a.start();
    return a;
  };

  const recorder = () => {
    const batches: Array<{ batch: WireReading[]; principal: Principal }> = [];
    const ingest: IngestFn = async (batch, principal) => {
      batches.push({ batch, principal });
      const rejected = batch.flatMap((r, index) => (typeof r.value === 'number' ? [] : [{ index, code: 'BAD_VALUE', reason: 'value must be a number' }]));
      return { accepted: batch.length - rejected.length, duplicates: 0, rejected };
    };
    return { batches, ingest };
  };

  it('takes one reading, an array, or NDJSON per message; ignores garbage; answers on the response topic', async () => {
    prefix = uniqueName('mq');
    const { batches, ingest } = recorder();
    const a = await start(ingest);
    const replies: unknown[] = [];
    await pub.subscribeAsync(`${prefix}/replies`);
    pub.on('message', (topic, msg) => {
      if (topic === `${prefix}/replies`) replies.push(JSON.parse(msg.toString()));
    });
    const r = (i: number, value: unknown = i) => ({ sensor: `s${i}`, ts: '2026-11-22T08:00:00Z', value });
    const withReply = { qos: 1 as const, properties: { responseTopic: `${prefix}/replies`, correlationData: Buffer.from('c1') } };

    await pub.publishAsync(`${prefix}/readings/dev1`, JSON.stringify(r(1)), { qos: 1 });
    await pub.publishAsync(`${prefix}/readings/dev2`, JSON.stringify([r(2), r(3)]), { qos: 1 });
    await pub.publishAsync(`${prefix}/readings/dev3`, `${JSON.stringify(r(4))}\nnot json\n${JSON.stringify(r(5, 'x'))}\n`, withReply);
    await pub.publishAsync(`${prefix}/readings/dev4`, Buffer.from([0xde, 0xad, 0xbe, 0xef]), withReply);
    await pub.publishAsync(`${prefix}/readings/dev5`, JSON.stringify(r(6)), { qos: 0 });
    await until(() => a.stats().received === 5 && replies.length === 2);

    expect(batches.map((b) => b.batch.map((x) => x.sensor)).sort()).toEqual([['s1'], ['s2', 's3'], ['s4', 's5'], ['s6']]);
    expect(batches[0]!.principal).toMatchObject({ kind: 'apikey', roles: ['device'], name: 'mqtt', autoProvision: false });
    expect(a.stats()).toMatchObject({ enabled: true, connected: true, received: 5, badMessages: 1, accepted: 5, rejected: 2, inFlight: 0 });
    // NDJSON indexes refer to the lines of the message, bad JSON lines included
    expect(replies).toContainEqual({
      accepted: 1, duplicates: 0,
      rejected: [{ index: 1, code: 'BAD_JSON', reason: 'line 2: malformed JSON' }, { index: 2, code: 'BAD_VALUE', reason: 'value must be a number' }],
    });
    expect(replies).toContainEqual({ error: { code: 'BAD_PAYLOAD', message: expect.stringContaining('not JSON') } });
  });

  it('retries server-side failures and counts refused batches without retrying them', async () => {
    prefix = uniqueName('mq');
    let calls = 0;
    const a = await start(async (batch) => {
      calls++;
      if (batch[0]?.sensor === 'refuse') throw new AppError(413, 'BATCH_TOO_LARGE', 'too many readings');
      if (calls <= 2) throw new Error('store unavailable');
      return { accepted: batch.length, duplicates: 0, rejected: [] };
    }, { connections: 1 });
    await pub.publishAsync(`${prefix}/readings/x`, JSON.stringify({ sensor: 'a', ts: 1, value: 1 }), { qos: 1 });
    await until(() => a.stats().accepted === 1);
    expect(a.stats()).toMatchObject({ retries: 2, badMessages: 0 });
    await pub.publishAsync(`${prefix}/readings/x`, JSON.stringify({ sensor: 'refuse', ts: 1, value: 1 }), { qos: 1 });
    await until(() => a.stats().badMessages === 1);
    expect(calls).toBe(4);
  });

  it('reconnects when the broker connection is lost and carries on', async () => {
    prefix = uniqueName('mq');
    // A TCP relay in front of the broker, so the test can cut the connection.
    const broker = new URL(TEST_MQTT_URL);
    const pipes = new Set<net.Socket>();
    const relay = net.createServer((inbound) => {
      const outbound = net.connect(Number(broker.port) || 1883, broker.hostname);
      for (const [a, b] of [[inbound, outbound], [outbound, inbound]] as const) {
        a.pipe(b);
        pipes.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          pipes.delete(a);
          b.destroy();
        });
      }
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    try {
      const { batches, ingest } = recorder();
      const a = await start(ingest, { url: `mqtt://127.0.0.1:${(relay.address() as net.AddressInfo).port}`, connections: 1 });
      await pub.publishAsync(`${prefix}/readings/x`, JSON.stringify({ sensor: 'before', ts: 1, value: 1 }), { qos: 1 });
      await until(() => batches.length === 1);
      for (const p of pipes) p.destroy();
      await until(() => a.stats().reconnects === 1 && a.stats().connected);
      await pub.publishAsync(`${prefix}/readings/x`, JSON.stringify({ sensor: 'after', ts: 2, value: 2 }), { qos: 1 });
      await until(() => batches.length === 2);
      expect(batches.map((b) => b.batch[0]!.sensor)).toEqual(['before', 'after']);
    } finally {
      for (const p of pipes) p.destroy();
      relay.close();
    }
  });

  it('a message is acknowledged only once stored: an unacknowledged one comes again after a restart', async () => {
    prefix = uniqueName('mq');
    const url = `${TEST_MQTT_URL}?clientId=${uniqueName('cityops-test')}`;
    let seen = 0;
    const hung = await start(async () => {
      seen++;
      return new Promise<never>(() => undefined); // the store never answers
    }, { url, stopWaitMs: 100, connections: 1 });
    await pub.publishAsync(`${prefix}/readings/x`, JSON.stringify({ sensor: 'a', ts: 1, value: 1 }), { qos: 1 });
    await until(() => seen === 1);
    await hung.stop();
    adapters.splice(adapters.indexOf(hung), 1);

    const { batches, ingest } = recorder();
    const again = await start(ingest, { url, connections: 1 });
    await until(() => batches.length === 1);
    expect(batches[0]!.batch).toEqual([{ sensor: 'a', ts: 1, value: 1 }]);
    await again.stop();
    adapters.splice(adapters.indexOf(again), 1);

    // Now acknowledged: a third start with the same session gets nothing more.
    const third = recorder();
    const last = await start(third.ingest, { url, connections: 1 });
    await pub.publishAsync(`${prefix}/readings/x`, JSON.stringify({ sensor: 'b', ts: 2, value: 2 }), { qos: 1 });
    await until(() => third.batches.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(third.batches.map((b) => b.batch[0]!.sensor)).toEqual(['b']);
    expect(last.stats().received).toBe(1);
    // Clean up the persistent session on the broker.
    const cleaner = await connectAsync(`${TEST_MQTT_URL}`, { protocolVersion: 5, clientId: `${new URL(url).searchParams.get('clientId')}-0`, clean: true, properties: { sessionExpiryInterval: 0 } });
    await last.stop();
    adapters.splice(adapters.indexOf(last), 1);
    await cleaner.endAsync();
  });
});
