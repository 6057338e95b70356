/** HTTP for a category-only correction (recategorise.ts): dispatchers and admins, against the version they read. */
import { Type } from 'typebox';
import { toIso } from '../../platform/clock.js';
import { principalOf, type App } from '../../platform/http/app.js';
import type { Recategorise } from './recategorise.js';

export function registerRecategoriseRoutes(app: App, recategorise: Recategorise): void {
  app.post('/api/v1/events/:id/category', {
    config: { access: ['admin', 'dispatcher'] },
    schema: {
      tags: ['events'],
      summary: 'Correct only the category of an event (the department stays); kept as a label the classifier learns from',
      description: 'Changes the category and with it the time limit and deadline; writes an internal timeline entry ("recategorise"), an audit entry and EventRecategorised. Errors: UNKNOWN_CATEGORY, SAME_CATEGORY (400); VERSION_CONFLICT, EVENT_CLOSED (409); EVENT_NOT_FOUND (404). To change the department too, use dispatch or transfer with "category".',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
      body: Type.Object({
        category: Type.String({ minLength: 1, maxLength: 64, description: 'The right category code from the taxonomy, e.g. "MANHOLE"' }),
        expectedVersion: Type.Integer({ minimum: 1, description: 'The version you read; a newer one answers 409 VERSION_CONFLICT' }),
        reason: Type.Optional(Type.String({ maxLength: 2000, description: 'Why (internal timeline note)' })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({ id: Type.String(), category: Type.String(), version: Type.Integer(), limitHours: Type.Number(), deadlineAt: Type.Union([Type.String(), Type.Null()]) }),
      },
    },
  }, async (req) => {
    const e = await recategorise(req.params.id, req.body, principalOf(req));
    return { id: e.id, category: e.category, version: e.version, limitHours: e.limitMs / 3_600_000, deadlineAt: e.deadlineAt === null ? null : toIso(e.deadlineAt) };
  });
}
