/**
 * Scale-out: two CityOps processes sharing one PostgreSQL schema and one NATS
 * JetStream stream. Readings ingested on one are queryable and streamed live
 * on the other; sensors registered on one are known to the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAvailable, TEST_NATS_URL, TEST_PG_URL, uniqueName } from '../src/platform/testing/services.js';
import { systemClock } from '../src/platform/clock.js';
import { startTestCity, type TestCity } from './helpers/city.js';
import { principalsFor, type TestPrincipal } from './helpers/auth.js';
import { openSse } from './live-client.js';

const up = (await serviceAvailable('PostgreSQL', TEST_PG_URL)) && (await serviceAvailable('NATS', TEST_NATS_URL));

describe.skipIf(!up)('two processes on PostgreSQL + NATS JetStream', () => {
  let a: TestCity;
  let b: TestCity;
  let callers: Record<string, TestPrincipal>;
  let baseB: string;

  beforeAll(async () => {
    const pgSchema = uniqueName('scale');
    const natsStream = uniqueName('SCALE').toUpperCase();
    // Real time: readings must pass the "not in the future" check on both nodes.
    a = await startTestCity({ postgres: true, nats: true, pgSchema, natsStream, clock: systemClock });
    b = await startTestCity({ postgres: true, nats: true, pgSchema, natsStream, clock: systemClock });
    await a.start();
    baseB = await b.listen();
    callers = await principalsFor(a);
  }, 60_000);

  afterAll(async () => {
    await b?.destroy();
    await a?.destroy();
  });

  it('ingests on one node, queries and streams on the other', async () => {
    const now = Date.now();
    await a.services.sensing.upsertSensors(
      [
        { id: 'scale-wl-1', name: 'Gauge 1', class: 'water_level', location: { type: 'Point', coordinates: [1.52, 42.51] } },
        { id: 'scale-tr-1', name: 'Traffic 1', class: 'traffic', metric: 'speed', location: { type: 'Point', coordinates: [1.53, 42.51] } },
      ],
      'test',
    );
    // B learns of A's sensors through the bus
    await expect.poll(() => b.services.sensing.directory.byId('scale-wl-1')?.id, { timeout: 10_000 }).toBe('scale-wl-1');

    const live = await openSse(baseB, '/api/v1/live?class=water_level', callers.dispatcher!.headers);
    expect(live.status).toBe(200);
    await live.waitFor((e) => e.event === 'snapshot');

    const readings = [
      { sensor: 'scale-wl-1', ts: now - 2000, value: 1.25 },
      { sensor: 'scale-wl-1', ts: now - 1000, value: 1.5 },
      { sensor: 'scale-tr-1', ts: now - 1000, value: 42 },
    ];
    const ack = await a.app.inject({ method: 'POST', url: '/api/v1/readings', headers: callers.device!.headers, payload: readings });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().accepted).toBe(3);

    // streamed on B, filtered by class
    const ev = await live.waitFor((e) => e.event === 'reading' && e.rows.some((r) => r[0] === 'scale-wl-1' && r[2] === 1.5), 0, 10_000);
    expect(ev.rows.every((r) => r[0] !== 'scale-tr-1')).toBe(true);
    live.close();

    // queried on B from the shared store
    const q = await b.app.inject({
      method: 'GET',
      url: `/api/v1/readings?sensor=scale-wl-1&step=raw&from=${new Date(now - 60_000).toISOString()}&to=${new Date(now + 1000).toISOString()}`,
      headers: callers.dispatcher!.headers,
    });
    expect(q.statusCode).toBe(200);
    expect(JSON.stringify(q.json())).toContain('1.25');

    // a retried batch on B is stored once
    const retry = await b.app.inject({ method: 'POST', url: '/api/v1/readings', headers: callers.device!.headers, payload: readings });
    expect(retry.json().accepted).toBe(0);
    expect(retry.json().duplicates).toBe(3);
  });
});
