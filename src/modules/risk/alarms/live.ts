/**
 * The live stream of alarm changes (SSE): one broadcast bus subscription per
 * alarm event type, fanned out to every connected client. Changes of alarms
 * that flood control collapsed into an incident go out as `incident` events
 * (one thing to look at), the others as `alarm` events. A client whose socket
 * backs up past a bound is cut off (EventSource reconnects by itself).
 */
import type { Bus } from '../../../platform/bus/types.js';
import { toIso } from '../../../platform/clock.js';
import type { Clock } from '../../../platform/clock.js';
import type { AlarmChangedPayload } from '../types.js';

export interface LiveClient {
  readonly writableLength: number;
  write(chunk: string): boolean;
  destroy(): void;
}

const TYPES = ['AlarmRaised', 'AlarmUpdated', 'AlarmAcknowledged', 'AlarmCleared'] as const;
const MAX_BUFFERED = 1 << 20;
const HEARTBEAT_MS = 15_000;

export const sseFrame = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

export function createAlarmLive(bus: Bus, clock: Clock) {
  const clients = new Set<LiveClient>();
  const unsubs: Array<() => Promise<void>> = [];
  let heartbeat: NodeJS.Timeout | undefined;

  const send = (c: LiveClient, chunk: string) => {
    if (c.writableLength > MAX_BUFFERED) {
      clients.delete(c);
      c.destroy();
      return;
    }
    c.write(chunk);
  };

  const broadcast = (type: (typeof TYPES)[number], p: AlarmChangedPayload, at: number) => {
    if (!clients.size) return;
    const change = { type, at: toIso(at), ...p };
    const chunk = p.incidentId ? sseFrame('incident', { incidentId: p.incidentId, alarm: change }) : sseFrame('alarm', change);
    for (const c of clients) send(c, chunk);
  };

  return {
    async start() {
      for (const t of TYPES) unsubs.push(await bus.subscribe(t, (e) => broadcast(t, e.payload, e.at)));
      heartbeat = setInterval(() => {
        for (const c of clients) send(c, `: heartbeat ${toIso(clock.now())}\n\n`);
      }, HEARTBEAT_MS);
      heartbeat.unref();
    },
    async stop() {
      if (heartbeat) clearInterval(heartbeat);
      for (const u of unsubs.splice(0)) await u();
      for (const c of clients) c.destroy();
      clients.clear();
    },
    /** Register a client; returns its remover. */
    add(c: LiveClient, hello: string): () => void {
      clients.add(c);
      c.write(hello);
      return () => void clients.delete(c);
    },
    clients: () => clients.size,
  };
}

export type AlarmLive = ReturnType<typeof createAlarmLive>;
