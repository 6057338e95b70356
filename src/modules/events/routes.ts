/** HTTP for city events: intake, role queues, detail with timeline, lifecycle actions, public tracking by code. */
import { Type } from 'typebox';
import { toIso } from '../../platform/clock.js';
import { principalOf, type App } from '../../platform/http/app.js';
import type { Principal } from '../../platform/auth/roles.js';
import type { TimeView } from './timelimits.logic.js';
import type { EventDetail, EventService, ListQueue } from './service.js';
import { EVENT_ACTIONS, EVENT_CHANNELS, EVENT_STATES, type CityEvent, type TimelineEntry } from './types.js';

const TAGS = ['events'];
const iso = (ms: number | null) => (ms === null ? null : toIso(ms));
const onlyCitizen = (p: Principal) => !p.roles.some((r) => r !== 'citizen');

/** An event on the wire; a citizen's view leaves out how the machine decided (model version, confidence). */
function eventWire(e: CityEvent, t: TimeView, citizen = false) {
  const wire = {
    id: e.id, trackingCode: e.trackingCode, channel: e.channel, category: e.category, urgent: e.urgent, text: e.text,
    location: e.location, address: e.address, orgUnitId: e.orgUnitId, orgPath: e.orgPath, state: e.state, version: e.version,
    leadDepartment: e.leadDepartment, cohandlers: e.cohandlers, reporterId: e.reporterId,
    suspended: e.suspendedAt !== null, suspendedAt: iso(e.suspendedAt), suspendReason: e.suspendReason,
    escalationLevel: e.escalationLevel, escalatedTo: e.escalationLevel === 0 ? null : e.escalationLevel === 1 ? 'street_station' : 'city_centre',
    time: { limitHours: e.limitMs / 3_600_000, deadlineAt: iso(t.deadlineAt), warnAt: iso(t.warnAt), status: t.status, paused: t.paused, elapsedMs: t.elapsedMs },
    rating: e.rating, ratingComment: e.ratingComment, reworkCount: e.reworkCount, classifierConfidence: e.classifierConfidence, classifierVersion: e.classifierVersion,
    verifiedAt: iso(e.verifiedAt), resultAt: iso(e.resultAt), closedAt: iso(e.closedAt), createdAt: iso(e.createdAt), updatedAt: iso(e.updatedAt),
  };
  if (!citizen) return wire;
  const { classifierConfidence: _c, classifierVersion: _v, ...rest } = wire;
  return rest;
}

/** Detail: the event, its timeline as the caller may see it, and (dispatchers, admins) the reporter's contact. */
function detailWire(d: EventDetail, p: Principal) {
  const citizen = onlyCitizen(p);
  return {
    ...eventWire(d.event, d.time, citizen),
    ...(d.contact !== undefined ? { reporterContact: d.contact } : {}),
    timeline: d.timeline.map((t) => timelineWire(t, citizen)),
  };
}

/** The public keep only what happened and when, not who inside the city did it. */
/** Actions whose notes are staff shorthand (routing decisions), shown to the public without the note. */
const STAFF_NOTES: ReadonlySet<string> = new Set(['dispatch']);

function timelineWire(t: TimelineEntry, publicView: boolean) {
  const note = publicView && STAFF_NOTES.has(t.action) ? null : t.note;
  const base = { at: toIso(t.at), action: t.action, fromState: t.fromState, toState: t.toState, note };
  return publicView ? base : { ...base, id: t.id, actorId: t.actorId, actorName: t.actorName, public: t.public };
}

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Text = (max: number, description: string) => Type.Optional(Type.String({ maxLength: max, description }));

export function registerEventRoutes(app: App, events: EventService): void {
  app.post('/api/v1/events', {
    config: { access: ['citizen', 'dispatcher', 'grid_worker', 'device', 'admin'] },
    schema: {
      tags: TAGS,
      summary: 'Report a problem (12345 hotline, app, patrol, alarm, outside system)',
      description: 'Answers 201 with the new event and its trackingCode. With an Idempotency-Key header a retry answers 200 with the same event instead of making a second one. Without a classifier, "category" is required. Errors: EMPTY_TEXT, TEXT_TOO_LONG (> 4000), UNKNOWN_CATEGORY, BAD_COORDINATES, LOCATION_REQUIRED.',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'Unique per submission; retries reuse it' })) }),
      body: Type.Object({
        text: Type.Optional(Type.Unknown({ description: 'What is wrong, in the reporter\'s words (kept verbatim, never rendered as HTML)' })),
        category: Type.Optional(Type.Unknown({ description: 'Category code from the taxonomy, e.g. "MANHOLE"' })),
        urgent: Type.Optional(Type.Unknown({ description: 'true for an urgent report (shorter time limit)' })),
        channel: Type.Optional(Type.Unknown({ description: EVENT_CHANNELS.join(' | ') })),
        location: Type.Optional(Type.Unknown({ description: 'GeoJSON Point, [lon, lat]' })),
        address: Type.Optional(Type.Unknown({ description: 'Street address, when no map pin' })),
      }),
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const { event, created } = await events.intake(req.body, p, req.headers['idempotency-key']);
    return reply.status(created ? 201 : 200).send(eventWire(event, events.view(event, event.updatedAt), onlyCitizen(p)));
  });

  app.get('/api/v1/events', {
    config: { access: ['admin', 'dispatcher', 'handler', 'grid_worker', 'citizen', 'leader'] },
    schema: {
      tags: TAGS,
      summary: 'List events: dispatcher queue, department inbox, grid tasks, overdue list, my reports',
      description: 'Citizens see their own reports only; handlers their department\'s inbox (lead or open co-handling task); grid workers their org unit and everything under it. queue=dispatch: waiting for dispatch; inbox: dispatched/in progress (dispatchers add department=); grid; overdue: past the deadline; mine. "scope" says how the list was narrowed: all, department, org_unit, or own (the caller\'s reports) with the reason — NO_ORG_UNIT for a grid worker with no org unit assigned (ask an administrator to assign one), NO_DEPARTMENT for a handler without a department.',
      querystring: Type.Object({
        queue: Type.Optional(Type.Union(['dispatch', 'inbox', 'grid', 'overdue', 'mine'].map((q) => Type.Literal(q)))),
        state: Type.Optional(Type.Union(EVENT_STATES.map((s) => Type.Literal(s)))),
        category: Type.Optional(Type.String({ maxLength: 64 })),
        department: Type.Optional(Type.String({ maxLength: 64 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
      }),
    },
  }, async (req) => {
    const q = req.query;
    const p = principalOf(req);
    const { items, total, now, scope } = await events.list({ queue: q.queue as ListQueue | undefined, state: q.state, category: q.category, department: q.department, limit: q.limit ?? 50, offset: q.offset ?? 0 }, p);
    return { items: items.map((e) => eventWire(e, events.view(e, now), onlyCitizen(p))), total, limit: q.limit ?? 50, offset: q.offset ?? 0, scope };
  });

  app.get('/api/v1/events/:id', {
    config: { access: ['admin', 'dispatcher', 'handler', 'grid_worker', 'citizen', 'leader'] },
    schema: {
      tags: TAGS,
      summary: 'One event with its timeline, if the caller may see it',
      description: 'Dispatchers, leaders and admins see every event; handlers those their department leads or co-handles; grid workers those in their org unit and below; everyone the reports they made (citizens: public timeline entries only). Any other event answers 404 EVENT_NOT_FOUND. Dispatchers and admins also get reporterContact (personal details sent with an Open311 request).',
      params: Id,
    },
  }, async (req) => {
    const p = principalOf(req);
    return detailWire(await events.get(req.params.id, p), p);
  });

  app.post('/api/v1/events/:id/actions', {
    config: { access: ['admin', 'dispatcher', 'handler', 'grid_worker', 'citizen'] },
    schema: {
      tags: TAGS,
      summary: 'Move an event through its lifecycle (dispatch, accept, return, transfer, report_result, rate, close, reopen …)',
      description: 'expectedVersion is the version you read: if the event changed since, the answer is 409 VERSION_CONFLICT. A state that does not allow the action answers 409 INVALID_TRANSITION; a role that may not do it 403; an event outside the caller\'s view 404.',
      params: Id,
      body: Type.Object({
        action: Type.Union(EVENT_ACTIONS.map((a) => Type.Literal(a))),
        expectedVersion: Type.Integer({ minimum: 1 }),
        reason: Text(2000, 'Why (return, transfer, suspend, reopen, escalate)'),
        note: Text(4000, 'Note: the result (report_result), a co-handler\'s task …'),
        department: Text(64, 'Department code (dispatch, transfer, add_cohandler)'),
        category: Text(64, 'Corrected category code (dispatch, transfer; dispatchers): kept as a label the classifier learns from'),
        rating: Type.Optional(Type.Number({ description: '1–5 (rate)' })),
        comment: Text(2000, 'The citizen\'s comment (rate)'),
      }, { additionalProperties: false }),
    },
  }, async (req) => {
    const p = principalOf(req);
    const e = await events.act(req.params.id, req.body, p);
    // A return or transfer may take the event out of the actor's view: they still get the answer to their action.
    return detailWire(await events.detailAfterAction(e, p), p);
  });

  app.post('/api/v1/events/sweep', {
    config: { access: ['admin'] },
    schema: { tags: TAGS, summary: 'Run the time-limit sweep now: escalate overdue events, close results never rated', body: Type.Optional(Type.Object({})) },
  }, async () => events.sweep());

  app.get('/api/v1/track/:code', {
    config: { access: 'public' },
    schema: { tags: TAGS, summary: 'Track a report by its code: state and public progress, no personal data', params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) }) },
  }, async (req) => {
    const { event, time, timeline } = await events.track(req.params.code);
    return {
      trackingCode: event.trackingCode, category: event.category, state: event.state, createdAt: toIso(event.createdAt), updatedAt: toIso(event.updatedAt),
      deadlineAt: iso(time.deadlineAt), rating: event.rating, timeline: timeline.map((t) => timelineWire(t, true)),
    };
  });
}
