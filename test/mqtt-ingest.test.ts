/**
 * MQTT ingestion through the real modules (SPEC S2) against the local
 * Mosquitto: a whole CityOps subscribed to a per-test topic; readings sent
 * as one object, an array, a partly bad batch and garbage; the good ones
 * become queryable, the process keeps serving, and the counters add up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { serviceAvailable, TEST_MQTT_URL, uniqueName } from '../src/platform/testing/services.js';
import type { SensorInput } from '../src/modules/sensing/types.js';
import type { MqttStats } from '../src/modules/sensing/live/index.js';
import { startTestCity, type TestCity } from './helpers/city.js';
import { principalsFor } from './helpers/auth.js';
import { openSse } from './live-client.js';
import { runMqttLoad } from '../src/modules/sensing/live/mqtt-load.js';

const up = await serviceAvailable('MQTT', TEST_MQTT_URL);
const LOAD_SENSORS = ['ml1', 'ml2', 'ml3', 'ml4', 'ml5', 'ml6', 'ml7'];

async function until(cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!up)('MQTT ingestion (real modules, local Mosquitto)', () => {
  let city: TestCity;
  let pub: MqttClient;
  let who: Awaited<ReturnType<typeof principalsFor>>;
  let base: string;
  const prefix = uniqueName('cityops-test');

  const stats = async (): Promise<MqttStats> => (await city.app.inject({ method: 'GET', url: '/api/v1/ingest/mqtt/stats', headers: who.admin.headers })).json();
  /** Wait until `received` messages arrived and none is still being stored. */
  const settled = (received: number) => until(async () => {
    const s = await stats();
    return s.received === received && s.inFlight === 0;
  });
  const iso = (agoS: number) => new Date(city.clock.now() - agoS * 1000).toISOString();
  /** The latest values as the live stream's snapshot reports them. */
  const latest = async (ids: string[]): Promise<Record<string, number>> => {
    const c = await openSse(base, `/api/v1/live?sensor=${ids.join(',')}`, who.admin.headers);
    const snap = await c.waitFor((e) => e.event === 'snapshot');
    c.close();
    return Object.fromEntries(snap.rows.map(([id, , v]) => [id, v]));
  };

  beforeAll(async () => {
    city = await startTestCity({ config: { mqttUrl: TEST_MQTT_URL, mqttTopic: `${prefix}/readings/#` } });
    const sensor = (id: string): SensorInput => ({ id, name: id, class: 'water_level', location: { type: 'Point', coordinates: [1.52, 42.51] } });
    await city.services.sensing.upsertSensors(['mq1', 'mq2', 'mq3', 'mq4', 'mq5'].map(sensor), 'test');
    // The load publisher sends values 0..100: traffic flow sensors take them.
    await city.services.sensing.upsertSensors(LOAD_SENSORS.map((id) => ({ ...sensor(id), class: 'traffic' as const })), 'test');
    who = await principalsFor(city);
    base = await city.listen();
    pub = await connectAsync(TEST_MQTT_URL, { protocolVersion: 5 });
  });
  afterAll(async () => {
    await pub?.endAsync();
    await city?.destroy();
  });

  it('is connected and subscribed to the configured topic', async () => {
    expect(await stats()).toMatchObject({ enabled: true, connected: true, topic: `${prefix}/readings/#`, received: 0 });
  });

  it('stores a single reading and a batch; both become queryable', async () => {
    await pub.publishAsync(`${prefix}/readings/gauge-1`, JSON.stringify({ sensor: 'mq1', ts: iso(30), value: 1.25 }), { qos: 1 });
    await pub.publishAsync(`${prefix}/readings/gateway`, JSON.stringify([{ sensor: 'mq2', ts: iso(30), value: 2.5 }, { sensor: 'mq3', ts: iso(30), value: 3.75 }]), { qos: 1 });
    await until(async () => (await stats()).accepted === 3);
    expect(await latest(['mq1', 'mq2', 'mq3'])).toEqual({ mq1: 1.25, mq2: 2.5, mq3: 3.75 });
  });

  it('keeps the good readings of a partly bad batch', async () => {
    const before = await stats();
    await pub.publishAsync(`${prefix}/readings/gateway`, JSON.stringify([
      { sensor: 'mq4', ts: iso(20), value: 4.5 },
      { sensor: 'nope', ts: iso(20), value: 1 },
      { sensor: 'mq5', ts: iso(20), value: 'high' },
      { sensor: 'mq5', ts: iso(20), value: 5.5 },
    ]), { qos: 1 });
    await settled(before.received + 1);
    const after = await stats();
    expect(after.accepted - before.accepted).toBe(2);
    expect(after.rejected - before.rejected).toBe(2);
    expect(await latest(['mq4', 'mq5'])).toEqual({ mq4: 4.5, mq5: 5.5 });
  });

  it('ignores garbage without harm and keeps serving', async () => {
    const before = await stats();
    for (const garbage of ['', 'hello', '{"sensor":', '[1,2,3', Buffer.from([0, 159, 146, 150])]) {
      await pub.publishAsync(`${prefix}/readings/junk`, garbage, { qos: 1 });
    }
    await pub.publishAsync(`${prefix}/readings/gauge-1`, JSON.stringify({ sensor: 'mq1', ts: iso(10), value: 1.5 }), { qos: 1 });
    await settled(before.received + 6);
    const after = await stats();
    expect(after.badMessages - before.badMessages).toBe(5);
    expect(after.accepted - before.accepted).toBe(1);
    expect(await latest(['mq1'])).toEqual({ mq1: 1.5 });
    expect((await city.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('the benchmark load publisher gets each message acknowledged on its response topic', async () => {
    const before = await stats();
    const r = await runMqttLoad({
      url: TEST_MQTT_URL, topic: `${prefix}/readings/load`, sensorIds: LOAD_SENSORS, readingsPerMessage: 5,
      durationMs: 300, connections: 2, now: () => city.clock.now() - 3600_000,
    });
    expect(r.messages).toBeGreaterThan(0);
    expect(r).toMatchObject({ readings: r.messages * 5, accepted: r.messages * 5, rejected: 0 });
    expect(r.ackMs.p99).toBeGreaterThan(0);
    await settled(before.received + r.messages);
    expect((await stats()).accepted - before.accepted).toBe(r.accepted);
  });

  it('only admins and dispatchers see the counters', async () => {
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/ingest/mqtt/stats', headers: who.dispatcher.headers })).statusCode).toBe(200);
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/ingest/mqtt/stats', headers: who.citizen.headers })).statusCode).toBe(403);
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/ingest/mqtt/stats' })).statusCode).toBe(401);
  });
});
