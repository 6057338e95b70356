/** HTTP for risk rules (CRUD with versions), a sensor's health as the stream engine sees it, and the latest anomaly scores. */
import { Type } from 'typebox';
import { toIso } from '../../../platform/clock.js';
import { principalOf, type App } from '../../../platform/http/app.js';
import type { SensorHealth } from '../engine/engine.logic.js';
import type { Rule } from '../types.js';
import type { RuleCrud } from './service.js';
import type { RuleVersion } from './store.js';

const TAGS = ['risk'];
const WRITERS = ['admin', 'dispatcher'] as const;
const READERS = ['admin', 'dispatcher', 'leader', 'handler', 'auditor'] as const;
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const iso = (ms: number | null) => (ms === null ? null : toIso(ms));

const ruleWire = (r: Rule) => ({
  id: r.id, version: r.version, name: r.name, messageZh: r.messageZh ?? null, messageEn: r.messageEn ?? null, scope: r.scope, condition: r.condition,
  severity: r.severity, openEvent: r.openEvent, enabled: r.enabled, createdAt: toIso(r.createdAt), updatedAt: toIso(r.updatedAt), updatedBy: r.updatedBy,
});
const versionWire = (v: RuleVersion) => ({ version: v.version, change: v.change, at: toIso(v.at), by: v.by, rule: v.rule });
const healthWire = (h: SensorHealth) => ({
  sensorId: h.sensorId, faulty: h.faulty !== null, fault: h.faulty, faultySince: iso(h.faultySince), anomalyScore: h.score, scoredAt: iso(h.scoreAt),
  detectorAlarm: h.detectorAlarm, lastSeen: iso(h.lastSeen), lastReadingAt: iso(h.lastReadingAt), lastValue: h.lastValue, activeRules: h.activeRules,
});

const RULE_DOC = [
  'A rule: {name, messageZh?, messageEn? ({value} and {sensor} are filled in), scope, condition, severity, openEvent, enabled?}.',
  'scope: {kind:"class", class, metric?} | {kind:"sensor", sensorId} | {kind:"area", orgUnitId, class, metric?}.',
  'condition: {type:"threshold", op:">"|"<", value: number | "sensor.warn" | "sensor.alarm", clear?, forS?} (raise when it holds forS seconds, clear at `clear`; default 5 % inside the value)',
  '| {type:"rate", op:"rise"|"fall"|"any", perMinute, windowS} | {type:"missing", factor} (silent factor × the sensor\'s expected interval)',
  '| {type:"belowUsual", percent, clearPercent?, forS?, learnS?} (below percent % of the sensor\'s own usual level — a slow average with time constant learnS, default 1800 s — for forS seconds; clears above clearPercent, default percent + 20)',
  '| {type:"compound", withinM, all:[{class, metric?, measure:"last"|"sum"|"rise", windowS?, op, value}]} (every part holds at some sensor within withinM of the watched one; sum = value × hours, e.g. mm of rain).',
  'severity: critical | major | minor | warning. openEvent: {minSeverity, category (taxonomy code)} or null.',
].join(' ');
const RuleBody = Type.Object({
  name: Type.Optional(Type.Unknown({ description: 'Rule name (1–200 characters)' })),
  messageZh: Type.Optional(Type.Unknown()),
  messageEn: Type.Optional(Type.Unknown()),
  scope: Type.Optional(Type.Unknown({ description: 'What the rule watches' })),
  condition: Type.Optional(Type.Unknown({ description: 'When it raises' })),
  severity: Type.Optional(Type.Unknown({ description: 'critical | major | minor | warning' })),
  openEvent: Type.Optional(Type.Unknown({ description: '{minSeverity, category} or null' })),
  enabled: Type.Optional(Type.Unknown({ description: 'true (default) or false' })),
});
const ERRORS = 'Errors: BAD_RULE, UNKNOWN_CLASS, UNKNOWN_METRIC, UNKNOWN_SENSOR, UNKNOWN_ORG_UNIT, BAD_SCOPE, BAD_CONDITION, BAD_OP, MISSING_THRESHOLD, BAD_CLEAR, BAD_WINDOW, BAD_FACTOR, BAD_RADIUS, EMPTY_COMPOUND, BAD_MEASURE, BAD_SEVERITY, UNKNOWN_CATEGORY (400, the message lists every problem).';

export function registerRuleRoutes(app: App, rules: RuleCrud): void {
  app.get('/api/v1/rules', {
    config: { access: READERS },
    schema: { tags: TAGS, summary: 'List the risk rules (current versions)' },
  }, async () => ({ items: (await rules.list()).map(ruleWire) }));

  app.post('/api/v1/rules', {
    config: { access: WRITERS },
    schema: { tags: TAGS, summary: 'Create a risk rule; it is evaluated on the stream at once', description: `${RULE_DOC} Answers 201 with the rule (version 1). ${ERRORS}`, body: RuleBody },
  }, async (req, reply) => reply.status(201).send(ruleWire(await rules.create(req.body, principalOf(req)))));

  app.get('/api/v1/rules/:id', {
    config: { access: READERS },
    schema: { tags: TAGS, summary: 'One risk rule. Errors: RULE_NOT_FOUND', params: Id },
  }, async (req) => ruleWire(await rules.get(req.params.id)));

  app.put('/api/v1/rules/:id', {
    config: { access: WRITERS },
    schema: {
      tags: TAGS,
      summary: 'Replace a risk rule, making a new version',
      description: `Send the whole rule plus "version": the version you read. Alarms raised by the old version clear; the new version starts afresh. ${RULE_DOC} ${ERRORS} VERSION_REQUIRED (400), RULE_NOT_FOUND (404), RULE_VERSION_CONFLICT (409: someone else edited it; reload and retry).`,
      params: Id,
      body: Type.Object({ ...RuleBody.properties, version: Type.Optional(Type.Unknown({ description: 'The version you are editing' })) }),
    },
  }, async (req) => ruleWire(await rules.update(req.params.id, req.body, principalOf(req))));

  app.delete('/api/v1/rules/:id', {
    config: { access: WRITERS },
    schema: {
      tags: TAGS,
      summary: 'Delete a risk rule (its versions stay readable); its active alarms clear. Errors: RULE_NOT_FOUND, RULE_VERSION_CONFLICT when ?version= is not the current one',
      params: Id,
      querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
    },
  }, async (req, reply) => {
    await rules.remove(req.params.id, principalOf(req), req.query.version);
    return reply.status(204).send();
  });

  app.get('/api/v1/rules/:id/versions', {
    config: { access: READERS },
    schema: { tags: TAGS, summary: 'Every version of a rule, newest first (create, update, delete), with who and when. Errors: RULE_NOT_FOUND', params: Id },
  }, async (req) => ({ items: (await rules.versions(req.params.id)).map(versionWire) }));

  app.get('/api/v1/sensors/:id/health', {
    config: { access: READERS },
    schema: {
      tags: TAGS,
      summary: 'A sensor as the risk engine sees it: faulty (stuck, impossible jump, out of range) or not, latest anomaly score, last reading, active rule alarms. Errors: SENSOR_NOT_FOUND',
      params: Id,
    },
  }, async (req) => healthWire(rules.health(req.params.id)));

  app.get('/api/v1/risk/anomalies', {
    config: { access: READERS },
    schema: {
      tags: TAGS,
      summary: 'Latest learned-detector anomaly scores (0..1), highest first',
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 20 })),
        minScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0 })),
      }),
    },
  }, async (req) => ({ items: rules.anomalies(req.query.limit ?? 20, req.query.minScore ?? 0).map((a) => ({ sensorId: a.sensorId, score: a.score, at: toIso(a.at) })) }));
}
