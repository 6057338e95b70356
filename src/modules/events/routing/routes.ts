/** HTTP for routing rules (admins write, dispatchers read) and the learning loop's retraining. */
import { Type } from 'typebox';
import { toIso } from '../../../platform/clock.js';
import { principalOf, type App } from '../../../platform/http/app.js';
import type { RoutingService } from './service.js';
import type { StoredRule } from './store.js';

const TAGS = ['events'];
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
    schema: { tags: TAGS, summary: 'Retrain the classifier now with the dispatchers\' corrections; adopted only if no worse on the held-out split', body: Type.Optional(Type.Object({})) },
  }, async () => routing.retrainNow());
}
