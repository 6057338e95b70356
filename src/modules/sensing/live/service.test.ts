/** Unit tests of the live hub: snapshot, filtering, coalescing, skipping blocked clients, stuck cut-off, heartbeats. */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { ManualClock } from '../../../platform/clock.js';
import type { SensorDirectory, SensorRef } from '../types.js';
import { parseLiveFilter } from './filter.logic.js';
import { createLiveHub, type LiveSink } from './service.js';
import { DEFAULT_LIVE_OPTIONS } from './types.js';

/** A socket-like sink whose "unsent bytes" the test controls. */
class Sink implements LiveSink {
  chunks: string[] = [];
  blocked = false;
  ended = false;
  destroyed = false;
  get writableLength() {
    return this.blocked ? 1 << 20 : 0;
  }
  write(chunk: string) {
    this.chunks.push(chunk);
    return !this.blocked;
  }
  end() {
    this.ended = true;
  }
  destroy() {
    this.destroyed = true;
  }
  /** Parsed SSE events written so far. */
  events(): Array<{ event: string; data: unknown }> {
    return this.chunks.join('').split('\n\n').filter((b) => b.startsWith('event:')).map((b) => {
      const [ev, data] = b.split('\n');
      return { event: ev!.slice(7), data: JSON.parse(data!.slice(6)) };
    });
  }
}

function fixture() {
  const refs: SensorRef[] = [];
  for (let i = 0; i < 100; i++) {
    refs.push({ key: i, id: `s${i}`, class: i % 2 ? 'noise' : 'traffic', metric: 'm', min: 0, max: 1000, orgPath: i < 50 ? '/c/d1/' : '/c/d2/', lon: 1.5, lat: 42.5 });
  }
  const byId = new Map(refs.map((r) => [r.id, r]));
  const directory: SensorDirectory = {
    byId: (id) => byId.get(id),
    byKey: (k) => refs[k],
    all: () => refs,
    provision: async () => {
      throw new Error('not used');
    },
  };
  const latest = new Map<number, { ts: number; value: number }>([[0, { ts: 1, value: 10 }], [1, { ts: 1, value: 11 }], [60, { ts: 1, value: 60 }]]);
  const clock = new ManualClock(1_000_000);
  const hub = createLiveHub({ directory, latest: { get: (k) => latest.get(k), size: () => latest.size }, clock, log: pino({ level: 'silent' }) }, DEFAULT_LIVE_OPTIONS);
  const readings = (ids: number[], value: number, ts = 2) => hub.onReadings({ sensorIds: ids.map((i) => `s${i}`), ts: ids.map(() => ts), values: ids.map(() => value) });
  return { refs, byId, hub, clock, readings };
}

describe('live hub', () => {
  it('sends a snapshot of the matching sensors, then only matching changes', () => {
    const { hub, readings } = fixture();
    const sink = new Sink();
    hub.addClient(parseLiveFilter({ class: 'traffic', area: 'd1' }), sink);
    expect(sink.events()).toEqual([{ event: 'snapshot', data: [['s0', 1, 10]] }]);
    readings([0, 1, 2, 60], 5);
    hub.tick();
    const [, ev] = sink.events();
    expect(ev).toEqual({ event: 'reading', data: [['s0', 2, 5], ['s2', 2, 5]] });
  });

  it('sends one newest value per sensor per tick', () => {
    const { hub, readings } = fixture();
    const sink = new Sink();
    hub.addClient(parseLiveFilter({ sensor: 's3' }), sink);
    readings([3], 1, 10);
    readings([3], 2, 30);
    readings([3], 3, 20); // late arrival: older than what is pending
    hub.tick();
    expect(sink.events().slice(1)).toEqual([{ event: 'reading', data: [['s3', 30, 2]] }]);
    expect(hub.stats()).toMatchObject({ coalesced: 2, dropped: 0 });
    hub.tick();
    expect(sink.events()).toHaveLength(2); // nothing new, nothing sent
  });

  it('skips a blocked client, keeps its pending set bounded, and cuts it off after the stuck timeout', () => {
    const { hub, clock, readings } = fixture();
    const slow = new Sink();
    const fast = new Sink();
    hub.addClient(parseLiveFilter({}), slow);
    hub.addClient(parseLiveFilter({}), fast);
    slow.blocked = true;
    const all = Array.from({ length: 100 }, (_, i) => i);
    for (let round = 0; round < 250; round++) {
      readings(all, round, round);
      if (round % 25 === 0) hub.tick();
      clock.advance(100); // 25 s in all: under the 30 s limit
    }
    const s = hub.stats();
    expect(s.clients).toBe(2);
    expect(s.maxDirty).toBeLessThanOrEqual(100);
    expect(s.skippedTicks).toBeGreaterThan(0);
    expect(slow.chunks).toHaveLength(1); // only the snapshot
    expect(fast.events().length).toBeGreaterThan(5);

    // Blocked since the first skipped tick; time moves past the 30 s limit.
    clock.advance(DEFAULT_LIVE_OPTIONS.stuckTimeoutMs);
    hub.tick();
    expect(slow.destroyed).toBe(true);
    expect(fast.destroyed).toBe(false);
    expect(hub.stats()).toMatchObject({ clients: 1, stuckDisconnects: 1 });
  });

  it('a client that drains again in time is not cut off; it gets the newest values and the count it missed', () => {
    const { hub, clock, readings } = fixture();
    const sink = new Sink();
    hub.addClient(parseLiveFilter({ sensor: 's7' }), sink);
    sink.blocked = true;
    readings([7], 1, 1);
    hub.tick();
    clock.advance(DEFAULT_LIVE_OPTIONS.stuckTimeoutMs - 1);
    readings([7], 2, 2);
    hub.tick();
    sink.blocked = false;
    clock.advance(10);
    hub.tick();
    expect(sink.destroyed).toBe(false);
    expect(sink.events().slice(1)).toEqual([{ event: 'dropped', data: { count: 1 } }, { event: 'reading', data: [['s7', 2, 2]] }]);
    expect(hub.stats()).toMatchObject({ dropped: 1, skippedTicks: 2 });
  });

  it('sends a heartbeat comment after a quiet spell', () => {
    const { hub, clock } = fixture();
    const sink = new Sink();
    hub.addClient(parseLiveFilter({}), sink);
    hub.tick();
    expect(sink.chunks).toHaveLength(1);
    clock.advance(DEFAULT_LIVE_OPTIONS.heartbeatMs);
    hub.tick();
    expect(sink.chunks[1]).toBe(': heartbeat\n\n');
  });

  it('re-evaluates the filter when the directory replaces a changed sensor', () => {
    const { hub, refs, byId, readings } = fixture();
    const sink = new Sink();
    hub.addClient(parseLiveFilter({ class: 'smoke' }), sink);
    readings([4], 1);
    hub.tick();
    expect(sink.events()).toHaveLength(1); // snapshot only: s4 is traffic
    const changed = { ...refs[4]!, class: 'smoke' as const };
    refs[4] = changed;
    byId.set('s4', changed);
    readings([4], 3);
    hub.tick();
    expect(sink.events()[1]!.data).toEqual([['s4', 2, 3]]);
  });

  it('removing and closing clients', () => {
    const { hub } = fixture();
    const a = new Sink();
    const b = new Sink();
    const removeA = hub.addClient(parseLiveFilter({}), a);
    hub.addClient(parseLiveFilter({}), b);
    removeA();
    expect(hub.stats().clients).toBe(1);
    hub.closeAll();
    expect(b.ended).toBe(true);
    expect(hub.stats().clients).toBe(0);
  });
});
