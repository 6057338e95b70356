/**
 * HTTP for routing rules (admins write, dispatchers read) and the learning
 * loop's retraining: POST starts a job in a worker thread and answers 202 at
 * once; GET shows the latest job and, when done, its report or error.
 */
import { Type } from 'typebox';
import { toIso } from '../../../platform/clock.js';
import { principalOf, type App } from '../../../platform/http/app.js';
import { notFound } from '../../../platform/errors.js';
import type { RetrainJob, RoutingService } from './service.js';
import type { StoredRule } from './store.js';

const TAGS = ['events'];
const Score = Type.Object({ version: Type.String(), accuracy: Type.Number({ description: 'Top-1 accuracy on the held-out split' }) });
const RetrainJobWire = Type.Object({
  id: Type.String(),
  state: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  startedAt: Type.String({ format: 'date-time' }),
  startedBy: Type.String({ description: 'User id, or system:routing for the nightly run' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  report: Type.Union([Type.Object({
    adopted: Type.Boolean({ description: 'The candidate scored no worse than the current model and now serves' }),
    written: Type.Boolean({ description: 'The adopted model was written to the data dir (served after a restart too)' }),
    labels: Type.Integer({ description: 'Dispatcher corrections trained on' }),
    examples: Type.Integer({ description: 'Training examples in all' }),
    version: Type.String({ description: 'Model version serving now' }),
    candidate: Score,
    current: Type.Union([Score, Type.Null()]),
  }), Type.Null()], { description: 'When succeeded' }),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()], { description: 'When failed' }),
});
const jobWire = (j: RetrainJob) => ({ ...j, startedAt: toIso(j.startedAt), finishedAt: j.finishedAt === null ? null : toIso(j.finishedAt) });

const wire = (r: StoredRule) => ({ id: r.id, priority: r.priority, category: r.category, orgUnitId: r.orgUnitId, department: r.department, createdAt: toIso(r.createdAt), createdBy: r.createdBy });

export function registerRoutingRoutes(app: App, routing: RoutingService): void {
  app.get('/api/v1/routing/rules', {
    config: { access: ['admin', 'dispatcher'] },
    schema: { tags: TAGS, summary: 'Routing rules in the order they are tried (first match decides the lead department)' },
  }, async () => ({ items: (await routing.rules()).map(wire) }));

  app.post('/api/v1/routing/rules', {
    config: { access: ['admin'] },
    schema: {
      tags: TAGS,
      summary: 'Add a routing rule, e.g. WATERLOGGING in one district goes to the local street office (JD)',
      description: 'Rules are tried by priority (lower first, then oldest). orgUnitId matches that unit and everything below it. Without a matching rule the taxonomy\'s department leads; with no owner at all, JD. Errors: UNKNOWN_CATEGORY, UNKNOWN_DEPARTMENT, UNKNOWN_ORG_UNIT, RULE_TOO_BROAD.',
      body: Type.Object({
        priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Lower is tried first (default 100)' })),
        category: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], { description: 'Category code; omit for any' })),
        orgUnitId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], { description: 'District, street or grid id; omit for anywhere' })),
        department: Type.String({ minLength: 1, maxLength: 64, description: 'Department code that leads' }),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    return reply.status(201).send(wire(await routing.addRule(req.body, p, p.id)));
  });

  app.delete('/api/v1/routing/rules/:id', {
    config: { access: ['admin'] },
    schema: { tags: TAGS, summary: 'Delete a routing rule', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }) },
  }, async (req, reply) => {
    await routing.deleteRule(req.params.id, principalOf(req));
    return reply.status(204).send();
  });

  app.post('/api/v1/routing/retrain', {
    config: { access: ['admin'] },
    schema: {
      tags: TAGS,
      summary: 'Start retraining the classifier with the dispatchers\' corrections; adopted only if no worse on the held-out split',
      description: 'Answers 202 at once with the job; training runs in a worker thread (tens of seconds on the full corpus) while the server keeps serving. Poll GET /api/v1/routing/retrain for the outcome. One retraining at a time: while one runs, this answers 202 with that running job (same id) instead of starting another.',
      body: Type.Optional(Type.Object({}, { additionalProperties: false })),
      response: { 202: RetrainJobWire },
    },
  }, async (req, reply) => reply.status(202).send(jobWire(await routing.startRetrain(principalOf(req)))));

  app.get('/api/v1/routing/retrain', {
    config: { access: ['admin', 'dispatcher'] },
    schema: {
      tags: TAGS,
      summary: 'The latest classifier retraining: running, or succeeded with its report, or failed with its error',
      description: 'Kept by this server process since it started (the nightly run included). Errors: RETRAIN_NOT_FOUND when none ran yet.',
      response: { 200: RetrainJobWire },
    },
  }, async () => {
    const job = routing.retrainJob();
    if (!job) throw notFound('RETRAIN_NOT_FOUND', 'No classifier retraining has run since the server started; start one with POST /api/v1/routing/retrain');
    return jobWire(job);
  });
}
