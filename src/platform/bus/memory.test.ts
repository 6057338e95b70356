import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { createMemoryBus } from './memory.js';

declare module './types.js' {
  interface DomainEventMap {
    TestPing: { n: number };
  }
}

describe('memory bus', () => {
  it('delivers typed events to every broadcast subscriber and one member per group', async () => {
    const bus = createMemoryBus({ clock: new ManualClock() });
    const a: number[] = [];
    const b: number[] = [];
    const g1: number[] = [];
    const g2: number[] = [];
    await bus.subscribe('TestPing', (e) => void a.push(e.payload.n));
    await bus.subscribe('TestPing', (e) => void b.push(e.payload.n));
    await bus.subscribe('TestPing', (e) => void g1.push(e.payload.n), { group: 'workers' });
    await bus.subscribe('TestPing', (e) => void g2.push(e.payload.n), { group: 'workers' });
    for (let n = 0; n < 5; n++) await bus.publish('TestPing', { n });
    await bus.drain();
    expect(a).toEqual([0, 1, 2, 3, 4]);
    expect(b).toEqual([0, 1, 2, 3, 4]);
    expect(g1.length + g2.length).toBe(5);
  });

  it('handles a redelivered id once and retries a failing handler', async () => {
    const errors: unknown[] = [];
    const bus = createMemoryBus({ clock: new ManualClock(), onError: (e) => errors.push(e), maxAttempts: 3 });
    const seen: number[] = [];
    let failures = 0;
    await bus.subscribe('TestPing', (e) => {
      if (e.payload.n === 2 && failures++ < 1) throw new Error('transient');
      seen.push(e.payload.n);
    });
    await bus.publish('TestPing', { n: 1 }, { id: 'same' });
    await bus.publish('TestPing', { n: 1 }, { id: 'same' });
    await bus.publish('TestPing', { n: 2 });
    await bus.drain();
    expect(seen).toEqual([1, 2]);
    expect(errors).toEqual([]);
  });

  it('stops delivering after unsubscribe', async () => {
    const bus = createMemoryBus({ clock: new ManualClock() });
    const seen: number[] = [];
    const off = await bus.subscribe('TestPing', (e) => void seen.push(e.payload.n));
    await bus.publish('TestPing', { n: 1 });
    await bus.drain();
    await off();
    await bus.publish('TestPing', { n: 2 });
    await bus.drain();
    expect(seen).toEqual([1]);
  });
});
