/**
 * In-process bus (the default). Handlers run asynchronously after publish
 * returns, one event at a time per subscription, so a slow handler never
 * blocks the publisher; a failing handler is retried a few times, then logged.
 */
import { newId } from '../ids.js';
import type { Clock } from '../clock.js';
import { RecentIds } from './dedupe.js';
import type { Bus, DomainEventMap, Envelope, EventType, Handler, SubscribeOptions } from './types.js';

interface Subscription {
  type: string;
  handler: Handler<EventType>;
  queue: Envelope[];
  running: boolean;
  seen: RecentIds;
  active: boolean;
}

export interface MemoryBusOptions {
  clock: Clock;
  onError?: (err: unknown, event: Envelope) => void;
  maxAttempts?: number;
}

export function createMemoryBus(opts: MemoryBusOptions): Bus & { drain(): Promise<void> } {
  const subs = new Map<string, Subscription[]>();
  const maxAttempts = opts.maxAttempts ?? 3;
  let closed = false;
  const idle: Array<() => void> = [];

  const pump = async (sub: Subscription) => {
    if (sub.running) return;
    sub.running = true;
    while (sub.queue.length && sub.active) {
      const ev = sub.queue.shift()!;
      if (!sub.seen.firstTime(ev.id)) continue;
      for (let attempt = 1; ; attempt++) {
        try {
          await sub.handler(ev as Envelope<EventType>);
          break;
        } catch (err) {
          if (attempt >= maxAttempts) {
            opts.onError?.(err, ev);
            break;
          }
        }
      }
    }
    sub.running = false;
    if (![...subs.values()].flat().some((s) => s.running || (s.queue.length && s.active))) idle.splice(0).forEach((f) => f());
  };

  return {
    kind: 'memory',
    async publish<K extends EventType>(type: K, payload: DomainEventMap[K], o?: { id?: string }) {
      if (closed) throw new Error('bus closed');
      const env: Envelope<K> = { id: o?.id ?? newId('evt'), type, at: opts.clock.now(), payload };
      const list = subs.get(type) ?? [];
      const groupsDone = new Set<string>();
      for (const s of list) {
        // One delivery per group: the first member of each group takes it.
        const g = (s as Subscription & { group?: string }).group;
        if (g) {
          if (groupsDone.has(g)) continue;
          groupsDone.add(g);
        }
        s.queue.push(env as Envelope);
        void pump(s);
      }
      return env;
    },
    async subscribe<K extends EventType>(type: K, handler: Handler<K>, o?: SubscribeOptions) {
      const sub: Subscription & { group?: string } = {
        type,
        handler: handler as Handler<EventType>,
        queue: [],
        running: false,
        seen: new RecentIds(10_000),
        active: true,
        group: o?.group,
      };
      const list = subs.get(type) ?? [];
      list.push(sub);
      subs.set(type, list);
      return async () => {
        sub.active = false;
        subs.set(type, (subs.get(type) ?? []).filter((s) => s !== sub));
      };
    },
    healthy: () => !closed,
    async close() {
      closed = true;
    },
    /** Resolves when every queued event has been handled (tests use this instead of sleeping). */
    drain() {
      const busy = [...subs.values()].flat().some((s) => s.running || (s.queue.length && s.active));
      return busy ? new Promise<void>((r) => idle.push(r)) : Promise.resolve();
    },
  };
}
