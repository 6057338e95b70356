/**
 * Use cases of city events: intake (idempotent), actions through the one
 * lifecycle state machine, reads scoped by role, public tracking, and the
 * sweep that escalates overdue events and closes unrated ones. Every state
 * change is stored with its timeline entry, then audited and published.
 */
import { createHash, randomInt } from 'node:crypto';
import type { AuditLog } from '../../platform/audit/types.js';
import type { Principal } from '../../platform/auth/roles.js';
import type { OrgDirectory } from '../../platform/auth/types.js';
import type { Bus, EventType } from '../../platform/bus/types.js';
import type { Clock } from '../../platform/clock.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { MAX_ESCALATION, apply, type ActionInput, type LifecycleActor } from './lifecycle.logic.js';
import type { EventStore } from './store.js';
import { categoryOf, limitMs, timeView, type LimitOverrides, type Taxonomy, type TimeLimitOptions, type TimeView } from './timelimits.logic.js';
import { validateIntake, type IntakeInput } from './intake.logic.js';
import type { CityEvent, Classifier, EventAction, EventChannel, EventState, TimelineEntry } from './types.js';

const DAY = 86_400_000;
const SYSTEM: LifecycleActor & { name: string } = { id: 'system:events', name: 'system:events', roles: ['system'] };

export interface EventServiceOptions {
  overrides?: LimitOverrides;
  time?: TimeLimitOptions;
  /** A classified report at or above this confidence is dispatched without a dispatcher (default 0.8). */
  autoDispatchConfidence?: number;
  /** An event whose result is never rated closes after this many days (default 7). */
  autoCloseDays?: number;
}

export interface EventDeps {
  store: EventStore;
  bus: Bus;
  clock: Clock;
  audit: AuditLog;
  org: OrgDirectory;
  taxonomy: Taxonomy;
  /** With a version, each automatic decision records the model version that made it. */
  classifier?: Classifier & { readonly version?: string };
  options?: EventServiceOptions;
  /** Seams for duplicates/ (suggestions at intake, merged tracking codes), filled in once both exist. */
  hooks?: EventHooks;
}

export interface EventHooks {
  afterIntake?: (e: CityEvent) => Promise<void>;
  /** The event a merged duplicate now follows, or null. */
  mergedInto?: (eventId: string) => Promise<string | null>;
  /** Routing rules (routing/): the lead department for a category at a place; the taxonomy's otherwise. */
  route?: (category: string, orgPath: string | null) => Promise<{ department: string; ruleId: string | null }>;
  /** A dispatcher corrected the category or department: keep it as a classifier label (routing/). */
  corrected?: (label: CorrectionLabel) => Promise<void>;
}

export interface CorrectionLabel { eventId: string; text: string; category: string; department: string | null; urgent: boolean; correctedBy: string }

export interface EventDetail { event: CityEvent; time: TimeView; timeline: TimelineEntry[] }
export type ListQueue = 'dispatch' | 'inbox' | 'grid' | 'overdue' | 'mine';
export interface ListQuery { queue?: ListQueue; state?: EventState; category?: string; department?: string; limit: number; offset: number }
export interface ActionBody extends ActionInput {
  action: EventAction;
  expectedVersion: number;
  /** A dispatcher's corrected category, with dispatch or transfer (kept as a classifier label). */
  category?: string;
}

const BUS_TYPE: Record<EventAction | 'receive', EventType> = {
  receive: 'EventReceived', dispatch: 'EventDispatched', accept: 'EventAccepted', return: 'EventReturned', transfer: 'EventTransferred',
  add_cohandler: 'EventCohandlerAdded', complete_cotask: 'EventCotaskCompleted', report_result: 'EventResultReported',
  verify: 'EventVerified', rate: 'EventRated', close: 'EventClosed', reopen: 'EventReopened', suspend: 'EventSuspended',
  resume: 'EventResumed', escalate: 'EventEscalated', merge: 'EventMerged',
};

const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const isDispatcher = (p: Principal) => p.roles.some((r) => r === 'admin' || r === 'dispatcher');
const isStaff = (p: Principal) => p.roles.some((r) => r === 'admin' || r === 'dispatcher' || r === 'leader');

export function createEventService(d: EventDeps) {
  const opts = { autoDispatchConfidence: 0.8, autoCloseDays: 7, ...d.options };
  const view = (e: CityEvent, now: number) => timeView(e, now, opts.time);
  /** The stored deadline: null while paused or stopped, so the overdue list skips those. */
  const withDeadline = (e: CityEvent, now: number): CityEvent => {
    const v = view(e, now);
    return { ...e, deadlineAt: v.paused ? null : v.deadlineAt };
  };

  async function record(e: CityEvent, entry: TimelineEntry, actor: Principal | string) {
    await d.audit.append({ actor, action: `event.${entry.action}`, targetType: 'event', targetId: e.id, details: { from: entry.fromState, to: entry.toState, version: e.version, note: entry.note } });
    await d.bus.publish(BUS_TYPE[entry.action], {
      eventId: e.id, trackingCode: e.trackingCode, action: entry.action, fromState: entry.fromState, state: e.state, category: e.category,
      leadDepartment: e.leadDepartment, orgUnitId: e.orgUnitId, escalationLevel: e.escalationLevel, version: e.version,
    });
  }

  async function lifecycleActor(p: Principal): Promise<LifecycleActor> {
    const unit = p.orgUnitId ? await d.org.get(p.orgUnitId) : null;
    return { id: p.id, roles: p.roles, department: p.department ?? null, orgPath: unit?.path ?? null };
  }

  /** Apply one action and store it against the version it was read at. */
  async function step(ev: CityEvent, action: EventAction, actor: LifecycleActor & { name: string }, input: ActionInput, who: Principal | string, patch: Partial<CityEvent> = {}) {
    const now = d.clock.now();
    const { event, entry } = apply(ev, action, actor, now, input);
    const next = withDeadline({ ...event, ...patch }, now);
    const t: TimelineEntry = { id: newId('etl'), eventId: ev.id, at: now, ...entry, actorId: actor.id, actorName: actor.name };
    await d.store.update(next, ev.version, [t]);
    await record(next, t, who);
    return next;
  }

  async function visible(id: string, p: Principal): Promise<CityEvent> {
    const ev = await d.store.get(id);
    // Citizens learn nothing about events that are not theirs, not even that they exist.
    if (!ev || (!p.roles.some((r) => r !== 'citizen') && ev.reporterId !== p.id)) throw notFound('EVENT_NOT_FOUND', `No event ${id}`);
    return ev;
  }

  async function intake(raw: IntakeInput, p: Principal, idempotencyKey?: string): Promise<{ event: CityEvent; created: boolean }> {
    const input = validateIntake(raw);
    let hash = '';
    if (idempotencyKey !== undefined) {
      if (idempotencyKey.length < 1 || idempotencyKey.length > 200) throw badRequest('BAD_IDEMPOTENCY_KEY', 'Idempotency-Key: 1–200 characters, unique per submission');
      hash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
      const prior = await replay(p.id, idempotencyKey, hash);
      if (prior) return { event: prior, created: false };
    }
    const classified = input.category === undefined ? d.classifier?.classify(input.text) : undefined;
    const code = input.category ?? classified?.category;
    if (code === undefined) throw badRequest('CATEGORY_REQUIRED', 'No classifier is configured: give the category code ("category")');
    const cat = categoryOf(d.taxonomy, code);
    const urgent = input.urgent ?? classified?.urgent ?? false;
    const now = d.clock.now();
    const unit = input.location ? d.org.locate(input.location.coordinates) : null;
    const routed = d.hooks?.route ? await d.hooks.route(cat.code, unit?.path ?? null) : { department: cat.department, ruleId: null };
    const event: CityEvent = withDeadline({
      id: newId('evt'), trackingCode: trackingCode(), channel: input.channel ?? defaultChannel(p), category: cat.code, urgent, text: input.text,
      location: input.location ?? null, address: input.address ?? null, orgUnitId: unit?.id ?? null, orgPath: unit?.path ?? null,
      leadDepartment: routed.department, state: 'received', version: 1, cohandlers: [], reporterId: p.id, suspendedAt: null, suspendReason: null,
      clockStartAt: now, pausedMs: 0, limitMs: limitMs(cat, urgent, opts.overrides), deadlineAt: null, escalationLevel: 0, rating: null,
      ratingComment: null, reworkCount: 0, verifiedAt: null, resultAt: null, closedAt: null, classifierConfidence: classified?.confidence ?? null,
      classifierVersion: classified ? d.classifier?.version ?? null : null, createdAt: now, updatedAt: now,
    }, now);
    const entry: TimelineEntry = { id: newId('etl'), eventId: event.id, at: now, action: 'receive', fromState: null, toState: 'received', actorId: p.id, actorName: p.name, note: null, public: true };
    try {
      await d.store.insert(event, [entry], idempotencyKey !== undefined ? { principalId: p.id, key: idempotencyKey, hash } : undefined);
    } catch (err) {
      // A concurrent retry with the same key won the race: answer with its event.
      const prior = idempotencyKey !== undefined ? await replay(p.id, idempotencyKey, hash) : null;
      if (prior) return { event: prior, created: false };
      throw err;
    }
    await record(event, entry, p);
    await d.hooks?.afterIntake?.(event);
    if (classified && classified.confidence >= opts.autoDispatchConfidence) {
      return { event: await step(event, 'dispatch', SYSTEM, { note: `auto: ${cat.code} → ${routed.department}${routed.ruleId ? ` (rule ${routed.ruleId})` : ''}` }, SYSTEM.id), created: true };
    }
    return { event, created: true };
  }

  /** A corrected category (dispatch or transfer, dispatchers only): the new category and its time limit. */
  function correction(ev: CityEvent, body: ActionBody, p: Principal): Partial<CityEvent> {
    if (body.category === undefined || body.category === ev.category) return {};
    if (body.action !== 'dispatch' && body.action !== 'transfer') throw badRequest('CATEGORY_NOT_ALLOWED', 'Correct the category with "dispatch" or "transfer" only');
    if (!isDispatcher(p)) throw forbidden('Only dispatchers and admins may correct the category');
    const cat = categoryOf(d.taxonomy, body.category);
    return { category: cat.code, limitMs: limitMs(cat, ev.urgent, opts.overrides) };
  }

  async function replay(principalId: string, key: string, hash: string): Promise<CityEvent | null> {
    const prior = await d.store.findIdempotent(principalId, key);
    if (!prior) return null;
    if (prior.requestHash !== hash) throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different report; use a new key for a new report');
    return d.store.get(prior.eventId);
  }

  return {
    intake,

    async act(id: string, body: ActionBody, p: Principal): Promise<CityEvent> {
      // A merge also records the follower: only the merge endpoint does both.
      if (body.action === 'merge') throw badRequest('USE_MERGE_ENDPOINT', 'Merge with POST /api/v1/events/:id/merge {"into": "<id of the earlier event>"}');
      const ev = await visible(id, p);
      if (body.expectedVersion !== ev.version) {
        throw conflict('VERSION_CONFLICT', `The event is at version ${ev.version}, not ${body.expectedVersion}; reload it and try again`, { currentVersion: ev.version });
      }
      if (body.department !== undefined && !d.taxonomy.departments.some((x) => x.code === body.department)) {
        throw badRequest('UNKNOWN_DEPARTMENT', `Unknown department "${body.department}"; use one of ${d.taxonomy.departments.map((x) => x.code).join(', ')}`);
      }
      const patch = correction(ev, body, p);
      const next = await step(ev, body.action, { ...(await lifecycleActor(p)), name: p.name }, body, p, patch);
      // A dispatcher who changes what the machine decided teaches it: keep the correction as a label.
      const deptChanged = body.department !== undefined && (body.action === 'transfer' || (ev.leadDepartment !== null && body.department !== ev.leadDepartment));
      if (isDispatcher(p) && (patch.category !== undefined || deptChanged)) {
        await d.hooks?.corrected?.({ eventId: ev.id, text: ev.text, category: next.category, department: next.leadDepartment, urgent: next.urgent, correctedBy: p.id });
      }
      return next;
    },

    /** Close a duplicate into the open event it repeats; the caller records the follower. */
    async merge(id: string, intoId: string, p: Principal): Promise<{ event: CityEvent; into: CityEvent }> {
      if (id === intoId) throw badRequest('MERGE_INTO_SELF', 'An event cannot be merged into itself: "into" is the earlier event it repeats');
      const ev = await visible(id, p);
      const into = await d.store.get(intoId);
      if (!into) throw notFound('MERGE_TARGET_NOT_FOUND', `No event ${intoId} to merge into`);
      if (into.state === 'closed') throw conflict('MERGE_TARGET_CLOSED', `Event ${intoId} is closed; merge into an open event, or reopen it first`);
      const event = await step(ev, 'merge', { ...(await lifecycleActor(p)), name: p.name }, { note: `merged into ${into.trackingCode}` }, p);
      return { event, into };
    },

    async get(id: string, p: Principal): Promise<EventDetail> {
      const event = await visible(id, p);
      const publicOnly = !p.roles.some((r) => r !== 'citizen');
      return { event, time: view(event, d.clock.now()), timeline: await d.store.timeline(id, publicOnly) };
    },

    async track(code: string): Promise<EventDetail> {
      const own = await d.store.getByCode(code.trim().toUpperCase());
      if (!own) throw notFound('TRACKING_CODE_NOT_FOUND', `No event with tracking code ${code}`);
      // A merged duplicate's code shows the progress of the event it now follows.
      const into = own.state === 'closed' ? await d.hooks?.mergedInto?.(own.id) : null;
      const event = (into ? await d.store.get(into) : null) ?? own;
      return { event, time: view(event, d.clock.now()), timeline: await d.store.timeline(event.id, true) };
    },

    async list(q: ListQuery, p: Principal) {
      const now = d.clock.now();
      const f = { limit: q.limit, offset: q.offset, category: q.category, state: q.state ? [q.state] : undefined } as Parameters<EventStore['list']>[0];
      if (q.queue === 'dispatch') f.state = ['received'];
      if (q.queue === 'overdue') f.overdueAt = now;
      if (q.queue === 'mine' || !p.roles.some((r) => r !== 'citizen')) f.reporterId = p.id;
      else if (!isStaff(p)) {
        // Handlers see their department's inbox, grid workers their grid: nothing when they have neither.
        const unit = p.orgUnitId ? await d.org.get(p.orgUnitId) : null;
        if (p.roles.includes('handler') && p.department) f.inboxDepartment = p.department;
        else if (p.roles.includes('grid_worker') && unit) f.orgPathPrefix = unit.path;
        else return { items: [], total: 0, now };
      } else if (q.queue === 'inbox' && q.department) f.inboxDepartment = q.department;
      if (q.queue === 'inbox' && !f.state) f.state = ['dispatched', 'in_progress'];
      if (q.queue === 'grid' && !f.state) f.state = ['received', 'dispatched', 'in_progress', 'result_reported'];
      if (q.department && !f.inboxDepartment) f.leadDepartment = q.department;
      return { ...(await d.store.list(f)), now };
    },

    /** Public listing (Open311): no scope by caller, so callers must show only public fields. */
    async publicList(q: { category?: string; states?: EventState[]; from: number; to: number; limit: number }): Promise<CityEvent[]> {
      return (await d.store.list({ category: q.category, state: q.states, createdFrom: q.from, createdTo: q.to, limit: q.limit, offset: 0 })).items;
    },

    view,

    /** Escalate events past their deadline to the level they call for; close results never rated. */
    async sweep(): Promise<{ escalated: number; closed: number }> {
      const now = d.clock.now();
      let escalated = 0;
      let closed = 0;
      for (let ev of await d.store.pastDeadline(now, MAX_ESCALATION)) {
        const due = view(ev, now).dueLevel;
        try {
          while (ev.escalationLevel < due) {
            ev = await step(ev, 'escalate', SYSTEM, { reason: 'time limit exceeded' }, SYSTEM.id);
            escalated++;
          }
        } catch (err) {
          if (!(err instanceof AppError)) throw err; // someone else changed it meanwhile: the next sweep sees it
        }
      }
      for (const ev of await d.store.unratedSince(now - opts.autoCloseDays * DAY)) {
        try {
          await step(ev, 'close', SYSTEM, { note: `closed without a rating after ${opts.autoCloseDays} days` }, SYSTEM.id);
          closed++;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
        }
      }
      return { escalated, closed };
    },
  };
}

export type EventService = ReturnType<typeof createEventService>;

function trackingCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

function defaultChannel(p: Principal): EventChannel {
  if (p.roles.includes('device')) return 'api';
  if (p.roles.includes('grid_worker')) return 'patrol';
  if (p.roles.includes('dispatcher')) return 'hotline';
  return 'app';
}
