/**
 * The live stream of city-event changes (SSE, GET /api/v1/events/live): a
 * compact frame {eventId, state, leadDepartment, orgPath, version, action}
 * per change, to each connected principal allowed to see the event
 * (visibility.logic.ts; citizens only their own reports). Workbenches use it
 * to refresh their queues instead of polling.
 *
 * One broadcast bus subscription per Event* type; changes that arrive in the
 * same turn are looked up together (the payload lacks what visibility needs:
 * reporter, co-handlers, org path). A handler whose department just lost the
 * event (transfer, return) still gets that frame, so their inbox drops it.
 * A client whose socket backs up stops getting frames and, once it drains,
 * gets one `resync` (reload everything); one that never drains is cut off.
 * A burst larger than BURST_RESYNC changes is sent as `resync` to everyone.
 */
import { Type } from 'typebox';
import type { OrgDirectory } from '../../platform/auth/types.js';
import type { Principal } from '../../platform/auth/roles.js';
import type { Bus } from '../../platform/bus/types.js';
import { toIso, type Clock } from '../../platform/clock.js';
import { principalOf, type App } from '../../platform/http/app.js';
import type { CityModule, Kernel } from '../../platform/module.js';
import { createEventStore, type EventStore } from './store.js';
import type { CityEvent, EventChangedPayload } from './types.js';
import { canSee, type Viewer } from './visibility.logic.js';
import { WEBHOOK_EVENT_TYPES } from './webhooks/types.js';

/** What the stream needs of a socket (a ServerResponse; tests pass a fake). */
export interface LiveSocket {
  readonly writableLength: number;
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  end(): void;
  destroy(): void;
}

export interface EventFrame { eventId: string; state: string; leadDepartment: string | null; orgPath: string | null; version: number; action: string }

export interface EventLiveOptions {
  /** Bytes a client may have unsent before it is skipped (default 256 KiB). */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  /** Heartbeats a skipped client may stay undrained before it is cut off (default 2). */
  maxLaggingBeats?: number;
}

interface Client { socket: LiveSocket; viewer: Viewer; lagging: boolean; dropped: number; laggingBeats: number }

const BURST_RESYNC = 500;
/** Last lead department and co-handlers seen per event, so the department that lost an event hears of it. */
const REMEMBER = 20_000;

export const sseFrame = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

export function createEventLive(d: { bus: Bus; clock: Clock; store: Pick<EventStore, 'get'>; log?: { error(o: object, msg: string): void } }, o: EventLiveOptions = {}) {
  const maxBuffered = o.maxBufferedBytes ?? 256 * 1024;
  const clients = new Set<Client>();
  const unsubs: Array<() => Promise<void>> = [];
  const pending = new Map<string, EventChangedPayload>();
  const before = new Map<string, Pick<CityEvent, 'leadDepartment' | 'cohandlers'>>();
  let heartbeat: NodeJS.Timeout | undefined;
  let scheduled = false;
  let flushing: Promise<void> = Promise.resolve();
  const counters = { frames: 0, resyncs: 0, cutOff: 0 };

  /** End every stream (server shutdown: an open stream would keep the HTTP server from closing). */
  const closeClients = (): void => {
    for (const c of clients) c.socket.end();
    clients.clear();
  };

  const drop = (c: Client) => {
    clients.delete(c);
    c.socket.destroy();
  };

  const send = (c: Client, chunk: string): void => {
    if (c.lagging) {
      c.dropped++;
      return;
    }
    if (c.socket.writableLength > maxBuffered) {
      c.lagging = true;
      c.dropped++;
      c.socket.once('drain', () => {
        if (!clients.has(c)) return;
        c.lagging = false;
        c.laggingBeats = 0;
        counters.resyncs++;
        c.socket.write(sseFrame('resync', { dropped: c.dropped }));
        c.dropped = 0;
      });
      return;
    }
    c.socket.write(chunk);
  };

  async function flush(): Promise<void> {
    scheduled = false;
    const batch = [...pending.values()];
    pending.clear();
    if (!clients.size || !batch.length) return;
    if (batch.length > BURST_RESYNC) {
      for (const c of clients) send(c, sseFrame('resync', { changes: batch.length }));
      return;
    }
    const stored = await Promise.all(batch.map((p) => d.store.get(p.eventId)));
    batch.forEach((p, i) => {
      const ev = stored[i];
      if (!ev) return;
      const was = before.get(p.eventId);
      before.delete(p.eventId);
      before.set(p.eventId, { leadDepartment: ev.leadDepartment, cohandlers: ev.cohandlers });
      if (before.size > REMEMBER) before.delete(before.keys().next().value!);
      // The stored record may be newer than the payload: the frame says what changed, the reader reloads anyway.
      const frame: EventFrame = { eventId: p.eventId, state: p.state, leadDepartment: p.leadDepartment, orgPath: ev.orgPath, version: p.version, action: p.action };
      const chunk = sseFrame('event', frame);
      for (const c of clients) {
        if (canSee(ev, c.viewer) || (was && canSee({ ...ev, ...was }, c.viewer))) {
          counters.frames++;
          send(c, chunk);
        }
      }
    });
  }

  const onChange = (p: EventChangedPayload) => {
    if (!clients.size) return;
    pending.set(p.eventId, p);
    if (scheduled) return;
    scheduled = true;
    // Changes published in the same turn (a group-committed intake batch) are looked up together.
    setImmediate(() => {
      flushing = flushing.then(flush).catch((err: unknown) => d.log?.error({ err }, 'event live: lookup failed'));
    });
  };

  return {
    async start() {
      for (const t of WEBHOOK_EVENT_TYPES) unsubs.push(await d.bus.subscribe(t, (e) => onChange(e.payload)));
      heartbeat = setInterval(() => {
        for (const c of clients) {
          if (c.lagging && ++c.laggingBeats >= (o.maxLaggingBeats ?? 2)) {
            counters.cutOff++;
            drop(c);
          } else send(c, `: heartbeat ${toIso(d.clock.now())}\n\n`);
        }
      }, o.heartbeatMs ?? 15_000);
      heartbeat.unref();
    },
    async stop() {
      if (heartbeat) clearInterval(heartbeat);
      for (const u of unsubs.splice(0)) await u();
      await flushing;
      closeClients();
    },
    closeClients,
    /** Register a client for a viewer; returns its remover. */
    add(socket: LiveSocket, viewer: Viewer): () => void {
      const c: Client = { socket, viewer, lagging: false, dropped: 0, laggingBeats: 0 };
      clients.add(c);
      socket.write(sseFrame('hello', { at: toIso(d.clock.now()) }));
      return () => void clients.delete(c);
    },
    /** Resolves once changes received so far have gone out. */
    async settled(): Promise<void> {
      await new Promise((r) => setImmediate(r));
      await flushing;
    },
    stats: () => ({ clients: clients.size, ...counters }),
  };
}

export type EventLive = ReturnType<typeof createEventLive>;

const STREAM_DOC = `Server-Sent Events (text/event-stream). First \`event: hello\` ({at}), then \`event: event\` for every change of a city event the caller may see: {eventId, state, leadDepartment, orgPath, version, action} (citizens: their own reports only). Reload what you show when one arrives.
\`event: resync\` means frames were dropped (the client fell behind, or a burst of changes): reload everything. A ": heartbeat" comment comes every 15 s; a client that stops reading is cut off (EventSource reconnects by itself).
Browsers' EventSource cannot send headers: pass the session token as ?access_token=….`;

export async function viewerOf(p: Principal, org: OrgDirectory): Promise<Viewer> {
  // As the service does: only grid workers are scoped by org unit.
  const unit = p.orgUnitId && p.roles.includes('grid_worker') ? await org.get(p.orgUnitId) : null;
  return { id: p.id, roles: p.roles, department: p.department ?? null, orgPath: unit?.path ?? null };
}

export function registerEventLiveRoute(app: App, live: EventLive, org: OrgDirectory): void {
  app.get('/api/v1/events/live', {
    config: { access: ['admin', 'dispatcher', 'handler', 'grid_worker', 'citizen', 'leader'], allowQueryToken: true },
    schema: {
      tags: ['events'],
      summary: 'Live changes of the events the caller may see (SSE)',
      description: STREAM_DOC,
      querystring: Type.Object({ access_token: Type.Optional(Type.String({ description: 'Session token, for clients that cannot send an Authorization header' })) }),
    },
  }, async (req, reply) => {
    const viewer = await viewerOf(principalOf(req), org);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const remove = live.add(res, viewer);
    res.on('close', remove);
  });
  app.addHook('preClose', async () => live.closeClients());
}

/** The events module with its live stream: route, bus subscriptions, and every client closed on stop. */
export function withEventLive(module: CityModule, k: Pick<Kernel, 'database' | 'bus' | 'clock' | 'log'> & { org: OrgDirectory }): CityModule {
  const live = createEventLive({ bus: k.bus, clock: k.clock, store: createEventStore(k.database), log: k.log });
  return {
    ...module,
    async registerRoutes(app) {
      await module.registerRoutes?.(app);
      registerEventLiveRoute(app, live, k.org);
    },
    async start() {
      await module.start?.();
      await live.start();
    },
    async stop() {
      await live.stop();
      await module.stop?.();
    },
  };
}
