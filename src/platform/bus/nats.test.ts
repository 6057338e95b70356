/**
 * The NATS JetStream bus against the local NATS server: typed round trip,
 * work sharing in a group, broadcast to several processes, at-least-once with
 * idempotent handling, and durable groups that catch up after a restart.
 * Each test uses a fresh stream and deletes it afterwards.
 */
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { TEST_NATS_URL, serviceAvailable, uniqueName } from '../testing/services.js';
import { createNatsBus, deleteNatsStream, subjectPrefix, type NatsBusOptions } from './nats.js';
import { durableName } from './nats-consumers.js';
import type { Bus, Envelope } from './types.js';

declare module './types.js' {
  interface DomainEventMap {
    NatsTestPing: { n: number; text: string; tags: string[] };
    NatsTestJob: { job: number };
  }
}

const up = await serviceAvailable('NATS', TEST_NATS_URL);
const log = pino({ level: 'silent' });
const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));

let streams: string[] = [];
let buses: Bus[] = [];

/** A bus on its own connection — as another CityOps process would have. */
async function open(stream: string, extra: Partial<NatsBusOptions> = {}): Promise<Bus> {
  const bus = await createNatsBus({ url: TEST_NATS_URL, clock, log, stream, retry: { backoffMs: [20], ackWaitMs: 5000 }, ...extra });
  buses.push(bus);
  return bus;
}

function freshStream(): string {
  const s = uniqueName('BUS').toUpperCase();
  streams.push(s);
  return s;
}

/** Resolves when `n` items have been collected (events arrive over the network: no clock to advance). */
function collector<T>(n: number) {
  const items: T[] = [];
  let done!: () => void;
  const reached = new Promise<void>((r) => (done = r));
  return {
    items,
    add(x: T) {
      items.push(x);
      if (items.length >= n) done();
    },
    reached: (label: string, ms = 10_000) =>
      Promise.race([reached, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${label}: got ${items.length} of ${n}`)), ms))]),
  };
}

afterEach(async () => {
  for (const b of buses) await b.close();
  for (const s of streams) await deleteNatsStream(TEST_NATS_URL, s);
  buses = [];
  streams = [];
});

describe.skipIf(!up)('NATS JetStream bus', () => {
  it('creates the stream and round-trips typed events, durably acknowledged', async () => {
    const stream = freshStream();
    const bus = await open(stream);
    expect(bus.kind).toBe('nats');
    expect(bus.healthy()).toBe(true);
    const got = collector<Envelope<'NatsTestPing'>>(2);
    await bus.subscribe('NatsTestPing', (e) => got.add(e));
    const sent = await bus.publish('NatsTestPing', { n: 1, text: '暴雨预警', tags: ['a'] });
    await bus.publish('NatsTestPing', { n: 2, text: 'second', tags: [] }, { id: 'evt_custom' });
    await got.reached('round trip');
    expect(got.items[0]).toEqual(sent);
    expect(got.items[0]).toMatchObject({ type: 'NatsTestPing', at: clock.now(), payload: { n: 1, text: '暴雨预警', tags: ['a'] } });
    expect(got.items[1]!.id).toBe('evt_custom');

    const nc = await connect({ servers: TEST_NATS_URL });
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    await nc.close();
    expect(info.config).toMatchObject({ subjects: [`${subjectPrefix(stream)}.>`], storage: 'file' });
    expect(info.state.messages).toBe(2);
    expect(subjectPrefix('CITYOPS')).toBe('cityops.events');
  });

  it('shares a group\'s work between two processes: each event handled by exactly one', async () => {
    const stream = freshStream();
    const [a, b] = [await open(stream), await open(stream)];
    const all = collector<{ who: string; job: number }>(40);
    let releaseA!: () => void;
    const bHandledOne = new Promise<void>((r) => (releaseA = r));
    // A stalls on its first job until B has done one: without sharing, B would never get any.
    await a.subscribe('NatsTestJob', async (e) => {
      await bHandledOne;
      all.add({ who: 'a', job: e.payload.job });
    }, { group: 'workers' });
    await b.subscribe('NatsTestJob', (e) => {
      all.add({ who: 'b', job: e.payload.job });
      releaseA();
    }, { group: 'workers' });
    for (let job = 0; job < 40; job++) await a.publish('NatsTestJob', { job });
    await all.reached('group work');
    expect(all.items.map((x) => x.job).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(all.items.some((x) => x.who === 'a')).toBe(true);
    expect(all.items.some((x) => x.who === 'b')).toBe(true);
  });

  it('broadcasts to every process listening without a group, in order', async () => {
    const stream = freshStream();
    const [a, b] = [await open(stream), await open(stream)];
    const gotA = collector<number>(5);
    const gotB = collector<number>(5);
    await a.subscribe('NatsTestPing', (e) => gotA.add(e.payload.n));
    await b.subscribe('NatsTestPing', (e) => gotB.add(e.payload.n));
    for (let n = 0; n < 5; n++) await b.publish('NatsTestPing', { n, text: '', tags: [] });
    await Promise.all([gotA.reached('a'), gotB.reached('b')]);
    expect(gotA.items).toEqual([0, 1, 2, 3, 4]);
    expect(gotB.items).toEqual([0, 1, 2, 3, 4]);
  });

  it('redelivers to a handler that failed, and handles a re-published id once', async () => {
    const stream = freshStream();
    const bus = await open(stream);
    const calls: string[] = [];
    const done = collector<string>(3);
    await bus.subscribe('NatsTestJob', (e) => {
      calls.push(e.id);
      if (e.payload.job === 1 && calls.filter((id) => id === e.id).length === 1) throw new Error('flaky on first try');
      done.add(e.id);
    }, { group: 'flaky' });
    await bus.publish('NatsTestJob', { job: 1 }, { id: 'evt_flaky' });
    await bus.publish('NatsTestJob', { job: 2 }, { id: 'evt_twice' });
    await bus.publish('NatsTestJob', { job: 2 }, { id: 'evt_twice' });
    await bus.publish('NatsTestJob', { job: 3 }, { id: 'evt_last' });
    await done.reached('at-least-once');
    expect(calls.filter((id) => id === 'evt_flaky')).toHaveLength(2);
    expect(calls.filter((id) => id === 'evt_twice')).toHaveLength(1);
    expect([...done.items].sort()).toEqual(['evt_flaky', 'evt_last', 'evt_twice']);
  });

  it('gives up on an event after maxDeliver failures and keeps going', async () => {
    const stream = freshStream();
    const bus = await open(stream, { retry: { maxDeliver: 3, backoffMs: [10, 20], ackWaitMs: 5000 } });
    const failing = collector<number>(3);
    const ok = collector<number>(1);
    await bus.subscribe('NatsTestJob', (e) => {
      if (e.payload.job === 0) {
        failing.add(0);
        throw new Error('always fails');
      }
      ok.add(e.payload.job);
    }, { group: 'poison' });
    await bus.publish('NatsTestJob', { job: 0 });
    await bus.publish('NatsTestJob', { job: 1 });
    await Promise.all([failing.reached('attempts'), ok.reached('next event')]);
    const nc = await connect({ servers: TEST_NATS_URL });
    const jsm = await jetstreamManager(nc);
    let info = await jsm.consumers.info(stream, durableName('poison', 'NatsTestJob'));
    for (let i = 0; i < 100 && info.num_ack_pending > 0; i++) info = await jsm.consumers.info(stream, info.name);
    await nc.close();
    expect(info.num_ack_pending).toBe(0);
    expect(failing.items).toHaveLength(3);
  });

  it('a durable group catches up, after a restart, on what was published while it was away', async () => {
    const stream = freshStream();
    const publisher = await open(stream);
    const first = await open(stream);
    const before = collector<number>(1);
    const stop = await first.subscribe('NatsTestJob', (e) => before.add(e.payload.job), { group: 'reports' });
    await publisher.publish('NatsTestJob', { job: 0 });
    await before.reached('before');
    await stop();
    await first.close();
    for (let job = 1; job <= 3; job++) await publisher.publish('NatsTestJob', { job });
    const restarted = await open(stream);
    const after = collector<number>(3);
    await restarted.subscribe('NatsTestJob', (e) => after.add(e.payload.job), { group: 'reports' });
    await after.reached('after restart');
    expect(after.items).toEqual([1, 2, 3]);
    expect(before.items).toEqual([0]);
  });

  it('drops a malformed message and keeps delivering', async () => {
    const stream = freshStream();
    const bus = await open(stream);
    const got = collector<number>(1);
    await bus.subscribe('NatsTestJob', (e) => got.add(e.payload.job), { group: 'robust' });
    const nc = await connect({ servers: TEST_NATS_URL });
    const { jetstream } = await import('@nats-io/jetstream');
    await jetstream(nc).publish(`${subjectPrefix(stream)}.NatsTestJob`, 'not json');
    await nc.close();
    await bus.publish('NatsTestJob', { job: 7 });
    await got.reached('after malformed');
    expect(got.items).toEqual([7]);
  });

  it('reports health, refuses work once closed, and fails fast on a bad URL or name', async () => {
    const bus = await open(freshStream());
    expect(bus.healthy()).toBe(true);
    await bus.close();
    expect(bus.healthy()).toBe(false);
    await expect(bus.publish('NatsTestJob', { job: 1 })).rejects.toThrow(/closed/);
    await bus.close();
    await expect(createNatsBus({ url: 'nats://127.0.0.1:1', clock, log })).rejects.toThrow();
    await expect(createNatsBus({ url: TEST_NATS_URL, clock, log, stream: 'bad.name' })).rejects.toThrow(/stream name/);
  });
});
