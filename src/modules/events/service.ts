/**
 * Use cases of city events: intake (idempotent, group-committed), actions
 * through the one lifecycle state machine, reads scoped by role, public
 * tracking, and the sweep that escalates overdue events and closes unrated
 * ones. Every state change is stored with its timeline entry, its audit
 * entry and its domain event (outbox) in ONE transaction; the domain event
 * is published after the commit.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuditInput, AuditLog } from '../../platform/audit/types.js';
import type { Principal } from '../../platform/auth/roles.js';
import type { OrgDirectory } from '../../platform/auth/types.js';
import type { Bus, EventType } from '../../platform/bus/types.js';
import type { Clock } from '../../platform/clock.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { MAX_ESCALATION, apply, type ActionInput, type LifecycleActor } from './lifecycle.logic.js';
import type { EventStore, IntakeOutcome, IntakeRecord, OutboxMessage } from './store.js';
import { categoryOf, limitMs, timeView, type LimitOverrides, type Taxonomy, type TimeLimitOptions, type TimeView } from './timelimits.logic.js';
import { validateIntake, type IntakeInput } from './intake.logic.js';
import type { CityEvent, Classifier, EventAction, EventChannel, EventState, ReporterContact, TimelineAction, TimelineEntry } from './types.js';
import { canSee, listScope, type ListScope, type Viewer } from './visibility.logic.js';
import { GroupCommit } from './writer.js';

const DAY = 86_400_000;
const SYSTEM: LifecycleActor & { name: string } = { id: 'system:events', name: 'system:events', roles: ['system'] };

export interface EventServiceOptions {
  overrides?: LimitOverrides;
  time?: TimeLimitOptions;
  /** A classified report at or above this confidence is dispatched without a dispatcher (default 0.8). */
  autoDispatchConfidence?: number;
  /** An event whose result is never rated closes after this many days (default 7). */
  autoCloseDays?: number;
  /** Reports per intake transaction (default 500) and waiting before 503 SERVICE_BUSY (default 10,000). */
  intakeBatch?: number;
  intakeQueue?: number;
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
  /** Where a failed publish is reported (the message stays in the outbox and goes out later). */
  log?: Pick<Logger, 'error'>;
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

export interface EventDetail {
  event: CityEvent; time: TimeView; timeline: TimelineEntry[];
  /** The reporter's personal details (Open311): dispatchers and admins only, else undefined. */
  contact?: ReporterContact | null;
}
/** Extra, private parts of a report (Open311 personal fields). */
export interface IntakeExtras { contact?: ReporterContact }
interface IntakeJob extends IntakeRecord { audits: AuditInput[]; received: CityEvent }
const OUTBOX_AGE_MS = 60_000;
export type ListQueue = 'dispatch' | 'inbox' | 'grid' | 'overdue' | 'mine';
export interface ListQuery { queue?: ListQueue; state?: EventState; category?: string; department?: string; limit: number; offset: number }
export interface ActionBody extends ActionInput {
  action: EventAction;
  expectedVersion: number;
  /** A dispatcher's corrected category, with dispatch or transfer (kept as a classifier label). */
  category?: string;
}

const BUS_TYPE: Record<TimelineAction, EventType> = {
  receive: 'EventReceived', dispatch: 'EventDispatched', accept: 'EventAccepted', return: 'EventReturned', transfer: 'EventTransferred',
  add_cohandler: 'EventCohandlerAdded', complete_cotask: 'EventCotaskCompleted', report_result: 'EventResultReported',
  verify: 'EventVerified', rate: 'EventRated', close: 'EventClosed', reopen: 'EventReopened', suspend: 'EventSuspended',
  resume: 'EventResumed', escalate: 'EventEscalated', merge: 'EventMerged', recategorise: 'EventRecategorised',
};

const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const isDispatcher = (p: Principal) => p.roles.some((r) => r === 'admin' || r === 'dispatcher');
const onlyCitizen = (p: Principal) => !p.roles.some((r) => r !== 'citizen');

export function createEventService(d: EventDeps) {
  const opts = { autoDispatchConfidence: 0.8, autoCloseDays: 7, ...d.options };
  const view = (e: CityEvent, now: number) => timeView(e, now, opts.time);
  /** The stored deadline: null while paused or stopped, so the overdue list skips those. */
  const withDeadline = (e: CityEvent, now: number): CityEvent => {
    const v = view(e, now);
    return { ...e, deadlineAt: v.paused ? null : v.deadlineAt };
  };

  const auditOf = (e: CityEvent, entry: TimelineEntry, actor: Principal | string): AuditInput => ({
    actor, action: `event.${entry.action}`, targetType: 'event', targetId: e.id, details: { from: entry.fromState, to: entry.toState, version: e.version, note: entry.note },
  });
  const messageOf = (e: CityEvent, entry: TimelineEntry): OutboxMessage => ({
    id: newId('evt'), type: BUS_TYPE[entry.action], createdAt: entry.at,
    payload: {
      eventId: e.id, trackingCode: e.trackingCode, action: entry.action, fromState: entry.fromState, state: e.state, category: e.category,
      leadDepartment: e.leadDepartment, orgUnitId: e.orgUnitId, escalationLevel: e.escalationLevel, version: e.version,
    },
  });

  /**
   * Publish committed changes, one event's messages in order, events side by side. A message leaves the
   * outbox only once the bus took it; one that fails (or is cut short by a crash) stays and is published
   * again by republish() under the same envelope id, so subscribers, which drop ids they have seen, get it
   * at least once and act on it once.
   */
  async function publish(messages: OutboxMessage[]): Promise<void> {
    const byEvent = new Map<string, OutboxMessage[]>();
    for (const m of messages) {
      const k = (m.payload as { eventId: string }).eventId;
      byEvent.set(k, [...(byEvent.get(k) ?? []), m]);
    }
    const sent: string[] = [];
    await Promise.all([...byEvent.values()].map(async (list) => {
      for (const m of list) {
        try {
          await d.bus.publish(m.type as EventType, m.payload as never, { id: m.id });
          sent.push(m.id);
        } catch (err) {
          d.log?.error({ err, message: m.id }, 'event publish failed; kept in the outbox');
          return;
        }
      }
    }));
    if (sent.length) {
      published.push(...sent);
      setImmediate(clearWhenIdle);
    }
  }

  // Published ids leave the outbox in the next intake transaction (no commit of their own under load),
  // or on their own once intake is idle.
  const published: string[] = [];
  let clearing: Promise<void> = Promise.resolve();
  /** Resolves once what was published has left the outbox (or waits for the next intake commit, if one is under way). */
  async function outboxSettled(): Promise<void> {
    clearWhenIdle();
    await clearing;
  }
  function clearWhenIdle(): void {
    if (!writer.idle() || !published.length) return;
    const ids = published.splice(0);
    clearing = clearing.then(() => d.store.clearOutbox(ids)).catch((err: unknown) => {
      published.push(...ids);
      d.log?.error({ err }, 'outbox clean-up failed');
    });
  }

  const writer = new GroupCommit<IntakeJob, IntakeOutcome>(async (jobs) => {
    const clear = published.splice(0);
    let result: IntakeOutcome[];
    try {
      ({ result } = await d.audit.appendAtomically(async (trx) => {
        if (clear.length) await d.store.clearOutbox(clear, trx);
        const outcomes = await d.store.insertIntakes(trx, jobs);
        return { result: outcomes, entries: jobs.flatMap((j, i) => (outcomes[i]!.created ? j.audits : [])) };
      }));
    } catch (err) {
      published.push(...clear);
      throw err;
    }
    await publish(jobs.flatMap((j, i) => (result[i]!.created ? j.messages : [])));
    // Duplicate suggestions read what this batch stored, before the next batch holds the store; the reports
    // are stored whatever happens here, so a failure is logged, not answered.
    for (const [i, j] of jobs.entries()) {
      if (!result[i]!.created) continue;
      try {
        await d.hooks?.afterIntake?.(j.received);
      } catch (err) {
        d.log?.error({ err, eventId: j.event.id }, 'duplicate check at intake failed');
      }
    }
    return result;
  }, { maxBatch: opts.intakeBatch ?? 500, maxQueued: opts.intakeQueue ?? 10_000 });

  /** Publish what a crash or a bus outage left in the outbox (at start: everything; later: older than a minute). */
  async function republish(all = false): Promise<number> {
    const left = await d.store.unpublished(all ? Number.MAX_SAFE_INTEGER : d.clock.now() - OUTBOX_AGE_MS, 1000);
    await publish(left);
    await outboxSettled();
    return left.length;
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
    const message = messageOf(next, t);
    await d.audit.appendAtomically(async (trx) => {
      await d.store.update(next, ev.version, [t], trx, [message]);
      return { result: null, entries: [auditOf(next, t, who)] };
    });
    await publish([message]);
    return next;
  }

  async function viewerOf(p: Principal): Promise<Viewer> {
    const unit = p.orgUnitId && p.roles.includes('grid_worker') ? await d.org.get(p.orgUnitId) : null;
    return { id: p.id, roles: p.roles, department: p.department ?? null, orgPath: unit?.path ?? null };
  }

  async function visible(id: string, p: Principal): Promise<CityEvent> {
    const ev = await d.store.get(id);
    // Outside one's view an event does not exist, not even as a 403.
    if (!ev || !canSee(ev, await viewerOf(p))) throw notFound('EVENT_NOT_FOUND', `No event ${id}`);
    return ev;
  }

  async function detailOf(event: CityEvent, p: Principal): Promise<EventDetail> {
    const detail: EventDetail = { event, time: view(event, d.clock.now()), timeline: await d.store.timeline(event.id, onlyCitizen(p)) };
    if (isDispatcher(p)) detail.contact = await d.store.contact(event.id);
    return detail;
  }

  async function intake(raw: IntakeInput, p: Principal, idempotencyKey?: string, extras: IntakeExtras = {}): Promise<{ event: CityEvent; created: boolean }> {
    const input = validateIntake(raw);
    let idem: IntakeRecord['idem'];
    if (idempotencyKey !== undefined) {
      if (idempotencyKey.length < 1 || idempotencyKey.length > 200) throw badRequest('BAD_IDEMPOTENCY_KEY', 'Idempotency-Key: 1–200 characters, unique per submission');
      const hash = createHash('sha256').update(JSON.stringify(extras.contact ? { input, contact: extras.contact } : input)).digest('hex');
      const prior = await replay(p.id, idempotencyKey, hash);
      if (prior) return { event: prior, created: false };
      idem = { principalId: p.id, key: idempotencyKey, hash };
    }
    const classified = input.category === undefined ? d.classifier?.classify(input.text) : undefined;
    const code = input.category ?? classified?.category;
    if (code === undefined) throw badRequest('CATEGORY_REQUIRED', 'No classifier is configured: give the category code ("category")');
    const cat = categoryOf(d.taxonomy, code);
    const urgent = input.urgent ?? classified?.urgent ?? false;
    const now = d.clock.now();
    const unit = input.location ? d.org.locate(input.location.coordinates) : null;
    const routed = d.hooks?.route ? await d.hooks.route(cat.code, unit?.path ?? null) : { department: cat.department, ruleId: null };
    const received: CityEvent = withDeadline({
      id: newId('evt'), trackingCode: trackingCode(), channel: input.channel ?? defaultChannel(p), category: cat.code, urgent, text: input.text,
      location: input.location ?? null, address: input.address ?? null, orgUnitId: unit?.id ?? null, orgPath: unit?.path ?? null,
      leadDepartment: routed.department, state: 'received', version: 1, cohandlers: [], reporterId: p.id, suspendedAt: null, suspendReason: null,
      clockStartAt: now, pausedMs: 0, limitMs: limitMs(cat, urgent, opts.overrides), deadlineAt: null, escalationLevel: 0, rating: null,
      ratingComment: null, reworkCount: 0, verifiedAt: null, resultAt: null, closedAt: null, classifierConfidence: classified?.confidence ?? null,
      classifierVersion: classified ? d.classifier?.version ?? null : null, createdAt: now, updatedAt: now,
    }, now);
    const entry: TimelineEntry = { id: newId('etl'), eventId: received.id, at: now, action: 'receive', fromState: null, toState: 'received', actorId: p.id, actorName: p.name, note: null, public: true };
    const job: IntakeJob = { event: received, received, entries: [entry], messages: [messageOf(received, entry)], audits: [auditOf(received, entry, p)], contact: extras.contact, idem };
    if (classified && classified.confidence >= opts.autoDispatchConfidence) {
      // A confident classification is dispatched in the same transaction: nobody ever sees it half-way.
      const note = `auto: ${cat.code} → ${routed.department}${routed.ruleId ? ` (rule ${routed.ruleId})` : ''}`;
      const { event: next, entry: e2 } = apply(received, 'dispatch', SYSTEM, now, { note });
      const dispatched = withDeadline(next, now);
      const t2: TimelineEntry = { id: newId('etl'), eventId: received.id, at: now, ...e2, actorId: SYSTEM.id, actorName: SYSTEM.name };
      job.event = dispatched;
      job.entries.push(t2);
      job.messages.push(messageOf(dispatched, t2));
      job.audits.push(auditOf(dispatched, t2, SYSTEM.id));
    }
    const outcome = await writer.submit(job);
    if (!outcome.created) {
      // The same key went in with another report meanwhile (a concurrent retry): answer with that one.
      if (outcome.requestHash !== idem?.hash) throw keyReused();
      const prior = await d.store.get(outcome.eventId);
      if (prior) return { event: prior, created: false };
      throw notFound('EVENT_NOT_FOUND', `No event ${outcome.eventId}`);
    }
    return { event: job.event, created: true };
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
    if (prior.requestHash !== hash) throw keyReused();
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
      return detailOf(await visible(id, p), p);
    },

    /** The event as its actor sees it right after an action (which may have moved it out of their view). */
    detailAfterAction: (event: CityEvent, p: Principal) => detailOf(event, p),

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
      const scope: ListScope = listScope(await viewerOf(p), q.queue === 'mine');
      if (scope.kind === 'own') f.reporterId = p.id;
      else if (scope.kind === 'department') f.inboxDepartment = scope.department;
      else if (scope.kind === 'org_unit') f.orgPathPrefix = scope.orgPath;
      else if (q.queue === 'inbox' && q.department) f.inboxDepartment = q.department;
      if (q.queue === 'inbox' && !f.state) f.state = ['dispatched', 'in_progress'];
      if (q.queue === 'grid' && !f.state) f.state = ['received', 'dispatched', 'in_progress', 'result_reported'];
      if (q.department && !f.inboxDepartment) f.leadDepartment = q.department;
      return { ...(await d.store.list(f)), now, scope };
    },

    /** Public listing (Open311): no scope by caller, so callers must show only public fields. */
    async publicList(q: { category?: string; states?: EventState[]; from: number; to: number; limit: number }): Promise<CityEvent[]> {
      return (await d.store.list({ category: q.category, state: q.states, createdFrom: q.from, createdTo: q.to, limit: q.limit, offset: 0 })).items;
    },

    view,

    republish,

    /** Store every report accepted so far and tidy the outbox (shutdown). */
    async close() {
      await writer.close();
      await outboxSettled();
    },

    outboxSettled,

    /** Escalate events past their deadline to the level they call for; close results never rated. */
    async sweep(): Promise<{ escalated: number; closed: number }> {
      const now = d.clock.now();
      await republish();
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

const keyReused = () => new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different report; use a new key for a new report');

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
