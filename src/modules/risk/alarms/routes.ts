/** HTTP for alarms (SPEC R3): list and detail, acknowledge, clear, notes, summary, incidents and the live stream. */
import { Type } from 'typebox';
import { toIso } from '../../../platform/clock.js';
import { badRequest } from '../../../platform/errors.js';
import { principalOf, type App } from '../../../platform/http/app.js';
import type { PrincipalRole } from '../../../platform/auth/roles.js';
import { ALARM_STATES, SEVERITIES, type Alarm, type AlarmIncident, type AlarmState, type Severity } from '../types.js';
import { sseFrame, type AlarmLive } from './live.js';
import type { AlarmService } from './service.js';

const TAGS = ['alarms'];
export const ALARM_READERS: readonly PrincipalRole[] = ['admin', 'dispatcher', 'handler', 'leader', 'auditor'];
/** Handlers only for their own department's alarms (checked by the service). */
const ALARM_ACTORS: readonly PrincipalRole[] = ['admin', 'dispatcher', 'handler'];
const iso = (ms: number | null) => (ms === null ? null : toIso(ms));

export function alarmWire(a: Alarm) {
  return {
    id: a.id, state: a.state, severity: a.severity, source: a.source, ruleId: a.ruleId, ruleVersion: a.ruleVersion, sourceId: a.sourceId,
    sensorClass: a.sensorClass, messageZh: a.messageZh, messageEn: a.messageEn, location: a.location, orgPath: a.orgPath, department: a.department,
    raisedAt: toIso(a.raisedAt), lastAt: toIso(a.lastAt), count: a.count, lastValue: a.lastValue,
    acknowledgedAt: iso(a.acknowledgedAt), acknowledgedBy: a.acknowledgedBy, clearedAt: iso(a.clearedAt), clearedBy: a.clearedBy,
    incidentId: a.incidentId, eventId: a.eventId, eventRequestedAt: iso(a.eventRequestedAt),
    notes: a.notes.map((n) => ({ at: toIso(n.at), by: n.by, text: n.text })), version: a.version,
  };
}

export function incidentWire(i: AlarmIncident) {
  return {
    id: i.id, orgPath: i.orgPath, openedAt: toIso(i.openedAt), lastAt: toIso(i.lastAt), members: i.members, activeMembers: i.activeMembers,
    severity: i.severity, closedAt: iso(i.closedAt), open: i.closedAt === null,
  };
}

/** "a,b" → validated list; undefined when absent. */
function listOf<T extends string>(raw: string | undefined, allowed: readonly T[], field: string): T[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !allowed.includes(s as T));
  if (bad.length) throw badRequest('BAD_FILTER', `${field}: unknown value ${bad.map((b) => `"${b}"`).join(', ')}; use ${allowed.join(', ')} (comma-separated)`);
  return items as T[];
}

export function parseTime(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const t = Date.parse(raw);
  if (!Number.isFinite(t)) throw badRequest('BAD_TIME', `${field}: "${raw}" is not a time; use ISO-8601 such as 2026-01-01T08:00:00Z`);
  return t;
}

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Version = Type.Integer({ minimum: 1, description: 'The alarm version you read; a stale one answers 409 VERSION_CONFLICT' });
const Note = Type.Optional(Type.String({ maxLength: 2000, description: 'Operator note kept with the alarm' }));

export function registerAlarmRoutes(app: App, alarms: AlarmService, live: AlarmLive): void {
  app.get('/api/v1/alarms', {
    config: { access: ALARM_READERS },
    schema: {
      tags: TAGS,
      summary: 'List alarms, newest first, with filters; open incidents (alarm storms) stand for their members',
      description: 'state and severity take comma lists. orgUnitId selects the unit and everything below it. By default members of an open incident are left out of items and the incident is listed in "incidents"; collapse=false lists every alarm, incidentId= lists one incident\'s members.',
      querystring: Type.Object({
        state: Type.Optional(Type.String({ description: ALARM_STATES.join(' | ') })),
        severity: Type.Optional(Type.String({ description: SEVERITIES.join(' | ') })),
        orgUnitId: Type.Optional(Type.String({ maxLength: 100 })),
        sensorId: Type.Optional(Type.String({ maxLength: 200 })),
        ruleId: Type.Optional(Type.String({ maxLength: 200 })),
        incidentId: Type.Optional(Type.String({ maxLength: 100 })),
        since: Type.Optional(Type.String({ description: 'Raised at or after (ISO-8601)' })),
        collapse: Type.Optional(Type.Boolean({ default: true })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
      }),
    },
  }, async (req) => {
    const q = req.query;
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const r = await alarms.list({
      state: listOf<AlarmState>(q.state, ALARM_STATES, 'state'), severity: listOf<Severity>(q.severity, SEVERITIES, 'severity'),
      orgUnitId: q.orgUnitId, sensorId: q.sensorId, ruleId: q.ruleId, incidentId: q.incidentId, since: parseTime(q.since, 'since'),
      collapse: q.collapse, limit, offset,
    });
    return { items: r.items.map(alarmWire), total: r.total, incidents: r.incidents.map(incidentWire), limit, offset };
  });

  app.get('/api/v1/alarms/summary', {
    config: { access: ALARM_READERS },
    schema: { tags: TAGS, summary: 'Alarm counts by severity and state: every alarm not yet cleared, and those cleared in the last 24 h' },
  }, async () => {
    const s = await alarms.summary();
    return { ...s, since: toIso(s.since) };
  });

  app.get('/api/v1/alarms/live', {
    config: { access: ALARM_READERS, allowQueryToken: true },
    schema: {
      tags: TAGS,
      summary: 'Live alarm changes (SSE)',
      description: 'Server-Sent Events. First `event: hello` with the counts, then `event: alarm` for every change ({type: AlarmRaised|AlarmUpdated|AlarmAcknowledged|AlarmCleared, alarmId, state, severity, …}); changes of alarms collapsed into an incident come as `event: incident` ({incidentId, alarm}). Browsers\' EventSource cannot send headers: pass the session token as ?access_token=….',
      querystring: Type.Object({ access_token: Type.Optional(Type.String({ description: 'Session token, for clients that cannot send an Authorization header' })) }),
    },
  }, async (req, reply) => {
    const stats = alarms.stats();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const remove = live.add(res, sseFrame('hello', { active: stats.active, openIncidents: stats.openIncidents }));
    res.on('close', remove);
  });

  app.get('/api/v1/alarms/:id', {
    config: { access: ALARM_READERS },
    schema: { tags: TAGS, summary: 'One alarm with its notes', params: Id },
  }, async (req) => alarmWire(await alarms.get(req.params.id)));

  app.post('/api/v1/alarms/:id/ack', {
    config: { access: ALARM_ACTORS },
    schema: {
      tags: TAGS,
      summary: 'Acknowledge an alarm (active → acknowledged; cleared-unacknowledged → cleared)',
      description: 'Handlers may act on their own department\'s alarms only (403). Already acknowledged: 409 ALARM_ALREADY_ACKNOWLEDGED; stale version: 409 VERSION_CONFLICT.',
      params: Id,
      body: Type.Object({ version: Version, note: Note }, { additionalProperties: false }),
    },
  }, async (req) => alarmWire(await alarms.acknowledge(req.params.id, req.body.version, principalOf(req), req.body.note)));

  app.post('/api/v1/alarms/:id/clear', {
    config: { access: ALARM_ACTORS },
    schema: {
      tags: TAGS,
      summary: 'Clear an alarm by hand (acknowledging it on the way)',
      description: 'A later raise of the same source and rule makes a new alarm. Already cleared: 409 ALARM_ALREADY_CLEARED; stale version: 409 VERSION_CONFLICT.',
      params: Id,
      body: Type.Object({ version: Version, note: Note }, { additionalProperties: false }),
    },
  }, async (req) => alarmWire(await alarms.clear(req.params.id, req.body.version, principalOf(req), req.body.note)));

  app.post('/api/v1/alarms/:id/notes', {
    config: { access: ALARM_ACTORS },
    schema: {
      tags: TAGS,
      summary: 'Add an operator note to an alarm',
      description: 'version is optional for notes (they do not conflict); when given, a stale one answers 409.',
      params: Id,
      body: Type.Object({ text: Type.String({ maxLength: 2000 }), version: Type.Optional(Version) }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.status(201).send(alarmWire(await alarms.note(req.params.id, req.body.version, principalOf(req), req.body.text))));

  app.get('/api/v1/alarm-incidents', {
    config: { access: ALARM_READERS },
    schema: {
      tags: TAGS,
      summary: 'Alarm incidents: storms of alarms in one area collapsed into one (flood control)',
      description: 'Newest first. open=true: only incidents with active members. Members: GET /api/v1/alarms?incidentId=….',
      querystring: Type.Object({
        open: Type.Optional(Type.Boolean()),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
      }),
    },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const offset = req.query.offset ?? 0;
    const r = await alarms.incidents({ open: req.query.open, limit, offset });
    return { items: r.items.map(incidentWire), total: r.total, limit, offset };
  });
}
