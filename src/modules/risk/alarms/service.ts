/**
 * Alarm use cases (SPEC R3). The sink is the hot path: signal() only queues;
 * a flush applies the queued signals to the in-memory index of active alarms
 * (one per source and rule), runs flood control, writes the batch in one
 * transaction and then publishes. Operator actions, the event link and
 * flushes run one at a time (a small mutex), so the index, the store and the
 * versions operators see always agree.
 */
import type { Logger } from 'pino';
import type { AuditLog } from '../../../platform/audit/types.js';
import type { Principal } from '../../../platform/auth/roles.js';
import type { OrgDirectory } from '../../../platform/auth/types.js';
import type { Bus } from '../../../platform/bus/types.js';
import type { Clock } from '../../../platform/clock.js';
import { badRequest, conflict, forbidden, notFound } from '../../../platform/errors.js';
import { SEVERITIES, type Alarm, type AlarmChangedPayload, type AlarmIncident, type AlarmSignal, type AlarmState, type Severity } from '../types.js';
import { COVERED_NOTE, createActiveIndex, eventRequest, type Change } from './active.js';
import { DEFAULT_FLOOD, type FloodOptions } from './flood.logic.js';
import { acknowledge, addNote, clearByOperator, isActive } from './lifecycle.logic.js';
import type { AlarmFilter, AlarmStore } from './store.js';

export interface AlarmOptions {
  flood?: FloodOptions;
  /** Signals waiting beyond this are dropped (and counted) rather than growing without bound. */
  maxQueue?: number;
}

export interface AlarmServiceDeps {
  store: AlarmStore;
  bus: Bus;
  clock: Clock;
  audit: AuditLog;
  org: OrgDirectory;
  log: Logger;
  /** Owner department of a sensor, for signals that do not say (handlers act on their department's alarms). */
  departmentOf?: (sensorId: string) => string | null | undefined;
}

export interface AlarmListQuery {
  state?: AlarmState[];
  severity?: Severity[];
  orgUnitId?: string;
  sensorId?: string;
  ruleId?: string;
  incidentId?: string;
  since?: number;
  /** Leave out members of open incidents (default true; an incidentId filter turns it off). */
  collapse?: boolean;
  limit: number;
  offset: number;
}

const SYSTEM_EVENTS = 'system:events';
const RETRY_MS = 1000;
const ACTORS = ['admin', 'dispatcher'] as const;
const CHANGE_TYPE = { raised: 'AlarmRaised', updated: 'AlarmUpdated', acknowledged: 'AlarmAcknowledged', cleared: 'AlarmCleared' } as const satisfies Record<Change, string>;

export function createAlarmService(d: AlarmServiceDeps, opts: AlarmOptions = {}) {
  const flood = opts.flood ?? DEFAULT_FLOOD;
  const maxQueue = opts.maxQueue ?? 200_000;
  const index = createActiveIndex(flood, d.departmentOf);
  const pending = index.pending;
  let queue: AlarmSignal[] = [];
  let scheduled = false;
  const counters = { signals: 0, dropped: 0, batches: 0, writeErrors: 0 };

  let chain: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  }

  const payload = (a: Alarm): AlarmChangedPayload => ({
    alarmId: a.id, state: a.state, severity: a.severity, ruleId: a.ruleId, sourceId: a.sourceId, orgPath: a.orgPath, count: a.count, incidentId: a.incidentId,
  });

  async function publishChanges(changes: Array<[Change, string]>, alarms: Map<string, Alarm>) {
    const seen = new Set<string>();
    for (const [change, id] of changes) {
      const k = `${change}:${id}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const a = alarms.get(id);
      if (a) await d.bus.publish(CHANGE_TYPE[change], payload(a));
    }
  }

  async function doFlush(): Promise<void> {
    const batch = queue;
    queue = [];
    scheduled = false;
    for (const s of batch) index.apply(s);
    if (!pending.alarms.size && !pending.incidents.size) return;
    try {
      await d.store.writeBatch([...pending.alarms.values()], [...pending.incidents.values()]);
    } catch (err) {
      counters.writeErrors++;
      d.log.error({ err }, 'alarms: batch write failed; retrying with the next batch');
      // The store is in trouble: retry in a second rather than spinning.
      setTimeout(schedule, RETRY_MS).unref();
      return;
    }
    counters.batches++;
    const alarms = new Map(pending.alarms);
    const changes = pending.changes.splice(0);
    const requests = pending.requests.splice(0);
    pending.alarms.clear();
    pending.incidents.clear();
    await publishChanges(changes, alarms);
    for (const r of requests) await d.bus.publish('AlarmEventRequested', eventRequest(r.alarm, r.category));
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      exclusive(doFlush).catch((err: unknown) => d.log.error({ err }, 'alarms: flush failed'));
    });
  }

  /** Run a change to one alarm under the lock: load, authorise, check the version, write, publish. */
  async function change(id: string, expectedVersion: number | undefined, p: Principal | string, f: (a: Alarm, now: number) => Alarm, action: string, note?: string): Promise<Alarm> {
    return exclusive(async () => {
      await doFlush();
      const a = index.byId(id) ?? (await d.store.get(id));
      if (!a) throw notFound('ALARM_NOT_FOUND', `No alarm ${id}`);
      if (typeof p !== 'string') authorise(a, p);
      if (expectedVersion !== undefined && expectedVersion !== a.version) {
        throw conflict('VERSION_CONFLICT', `Alarm ${id} is at version ${a.version}, not ${expectedVersion}; reload it and try again`, { currentVersion: a.version });
      }
      const now = d.clock.now();
      const by = typeof p === 'string' ? p : p.id;
      let next = f(a, now);
      if (note !== undefined && note.trim() !== '') next = addNote(next, { at: now, by, text: note });
      next = { ...next, version: a.version + 1 };
      const inc = isActive(a.state) && !isActive(next.state) ? index.incidentMemberGone(a, now) : undefined;
      await d.store.update(next, a.version, inc);
      index.remember(next);
      await d.audit.append({ actor: p, action: `alarm.${action}`, targetType: 'alarm', targetId: id, details: { from: a.state, to: next.state, version: next.version, ...(note ? { note } : {}) } });
      // Acknowledging is news even when it completes a cleared alarm; any other change of state ends the alarm.
      const type: Change = action === 'ack' ? 'acknowledged' : a.state !== next.state ? 'cleared' : 'updated';
      // Ended while its source still held it raised: the engines re-arm, so a condition that still holds raises anew.
      const manual = type === 'cleared' && isActive(a.state) && !isActive(next.state);
      await d.bus.publish(CHANGE_TYPE[type], manual ? { ...payload(next), manual } : payload(next));
      return next;
    });
  }

  function authorise(a: Alarm, p: Principal) {
    if (p.roles.some((r) => (ACTORS as readonly string[]).includes(r))) return;
    if (p.roles.includes('handler') && p.department && a.department === p.department) return;
    throw forbidden(
      p.roles.includes('handler')
        ? `Handlers act on their own department's alarms only; this one belongs to ${a.department ?? 'no department'}, you to ${p.department ?? 'none'}`
        : 'Only admins, dispatchers and handlers act on alarms',
    );
  }

  async function onEventOpened(alarmId: string, eventId: string, trackingCode: string) {
    const a = index.byId(alarmId) ?? (await d.store.get(alarmId));
    if (!a || a.eventId === eventId) return;
    await change(alarmId, undefined, 'system:alarms', (x, now) => addNote({ ...x, eventId }, { at: now, by: SYSTEM_EVENTS, text: `City event ${trackingCode} opened` }), 'event_opened');
  }

  /**
   * The alarm's city event was closed: the people who handled it say the
   * situation is dealt with, so the alarm is noted and cleared (acknowledged
   * on the way) if it still stands. If the sensor is still in alarm, the next
   * raise makes a new alarm, which may open a new event: reality wins.
   */
  async function onEventClosed(eventId: string, trackingCode: string) {
    for (const stored of await d.store.byEventId(eventId)) {
      await change(stored.id, undefined, SYSTEM_EVENTS, (x, now) => {
        const noted = addNote(x, { at: now, by: SYSTEM_EVENTS, text: `City event ${trackingCode} closed${x.state === 'cleared' ? '' : '; alarm cleared'}` });
        return x.state === 'cleared' ? noted : clearByOperator(noted, SYSTEM_EVENTS, now);
      }, 'event_closed');
    }
  }

  /**
   * Ask again for the city events of alarms that asked between `maxAgeMs` and `minAgeMs` ago and never
   * heard back (no event id): the process may have died between writing the alarm and publishing
   * the request. The events side opens at most one event per alarm (idempotency key alarm:<id>), so
   * asking twice is harmless; alarms covered by another incident member's event wait for none.
   * `categoryOf` gives the rule's event category (null: the rule no longer opens events). Answers how many.
   */
  async function requestMissingEvents(categoryOf: (a: Alarm) => Promise<string | null>, minAgeMs = 60_000, maxAgeMs = 86_400_000): Promise<number> {
    const now = d.clock.now();
    let n = 0;
    for (const a of await d.store.awaitingEvent(now - maxAgeMs, now - minAgeMs)) {
      if (a.notes.some((x) => x.text.startsWith(COVERED_NOTE))) continue;
      const category = await categoryOf(a);
      if (category === null) continue;
      await d.bus.publish('AlarmEventRequested', eventRequest(a, category));
      n++;
    }
    if (n) d.log.info({ alarms: n }, 'alarms: asked again for city events that never opened');
    return n;
  }

  async function orgPrefix(orgUnitId: string): Promise<string> {
    const unit = await d.org.get(orgUnitId);
    if (!unit) throw badRequest('UNKNOWN_ORG_UNIT', `orgUnitId: no org unit ${orgUnitId}`);
    return unit.path;
  }

  return {
    sink: {
      signal(s: AlarmSignal): void {
        counters.signals++;
        if (queue.length >= maxQueue || !SEVERITIES.includes(s.severity)) {
          counters.dropped++;
          return;
        }
        queue.push(s);
        schedule();
      },
    },

    /** Apply and write every signal queued so far (tests and shutdown; reads call it too). */
    flush: (): Promise<void> => exclusive(doFlush),

    active: (): Alarm[] => index.all(),

    stats: () => ({ ...counters, queued: queue.length, active: index.size(), openIncidents: index.openIncidents().length }),

    /** Load the active index and open incidents from the store (start-up). */
    async restore(): Promise<void> {
      index.load(await d.store.inStates(['active_unack', 'active_ack']), await d.store.openIncidents(), d.clock.now());
    },

    async get(id: string): Promise<Alarm> {
      await exclusive(doFlush);
      const a = index.byId(id) ?? (await d.store.get(id));
      if (!a) throw notFound('ALARM_NOT_FOUND', `No alarm ${id}`);
      return a;
    },

    async list(q: AlarmListQuery): Promise<{ items: Alarm[]; total: number; incidents: AlarmIncident[] }> {
      await exclusive(doFlush);
      const f: AlarmFilter = {
        states: q.state, severities: q.severity, sourceId: q.sensorId, ruleId: q.ruleId, incidentId: q.incidentId, since: q.since, limit: q.limit, offset: q.offset,
      };
      if (q.orgUnitId) f.orgPathPrefix = await orgPrefix(q.orgUnitId);
      const open = index.openIncidents().filter((i) => !f.orgPathPrefix || i.orgPath.startsWith(f.orgPathPrefix) || f.orgPathPrefix.startsWith(i.orgPath));
      if ((q.collapse ?? true) && !q.incidentId) f.collapseIncidents = open.map((i) => i.id);
      const { items, total } = await d.store.list(f);
      return { items, total, incidents: q.incidentId ? [] : open.sort((x, y) => y.lastAt - x.lastAt) };
    },

    async summary() {
      await exclusive(doFlush);
      const since = d.clock.now() - 86_400_000;
      const rows = await d.store.summary(since);
      const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
      const byState: Record<AlarmState, number> = { active_unack: 0, active_ack: 0, cleared_unack: 0, cleared: 0 };
      const activeBySeverity = { ...bySeverity };
      for (const r of rows) {
        bySeverity[r.severity] += r.n;
        byState[r.state] += r.n;
        if (isActive(r.state)) activeBySeverity[r.severity] += r.n;
      }
      return { since, bySeverity, byState, activeBySeverity, cells: rows, openIncidents: index.openIncidents().length };
    },

    async incidents(q: { open?: boolean; limit: number; offset: number }) {
      await exclusive(doFlush);
      return d.store.listIncidents(q);
    },

    acknowledge: (id: string, version: number | undefined, p: Principal, note?: string) => change(id, version, p, (a, now) => acknowledge(a, p.id, now), 'ack', note),
    clear: (id: string, version: number | undefined, p: Principal, note?: string) => change(id, version, p, (a, now) => clearByOperator(a, p.id, now), 'clear', note),
    note: (id: string, version: number | undefined, p: Principal, text: string) =>
      change(id, version, p, (a, now) => addNote(a, { at: now, by: p.id, text }), 'note'),

    onEventOpened,
    onEventClosed,
    requestMissingEvents,
  };
}

export type AlarmService = ReturnType<typeof createAlarmService>;
