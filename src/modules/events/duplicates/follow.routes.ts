/**
 * A citizen's side of duplicates (SPEC E6): after reporting, they see the
 * open reports nearby that look like theirs and may follow one instead — their
 * report is merged into it and their tracking code then shows its progress.
 */
import { Type } from 'typebox';
import { badRequest } from '../../../platform/errors.js';
import { principalOf, type App } from '../../../platform/http/app.js';
import type { Principal } from '../../../platform/auth/roles.js';
import type { DuplicateService } from './service.js';

const TAGS = ['events'];
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Similar = Type.Object({ trackingCode: Type.String(), state: Type.String(), distanceM: Type.Number(), id: Type.String() });

export function registerFollowRoutes(app: App, dups: DuplicateService): void {
  app.get('/api/v1/events/:id/similar', {
    config: { access: ['citizen', 'dispatcher', 'admin'] },
    schema: {
      tags: TAGS,
      summary: 'Open reports nearby that look like this one (citizens: their own reports only), to follow instead of waiting twice',
      params: Id,
      response: { 200: Type.Object({ items: Type.Array(Similar) }) },
    },
  }, async (req) => {
    const r = await dups.duplicates(req.params.id, principalOf(req));
    return { items: r.suggestions.filter((s) => s.trackingCode && s.state && s.state !== 'closed').map((s) => ({ id: s.id, trackingCode: s.trackingCode!, state: s.state!, distanceM: Math.round(s.distanceM) })) };
  });

  app.post('/api/v1/events/:id/follow', {
    config: { access: ['citizen'] },
    schema: {
      tags: TAGS,
      summary: 'Follow a similar open report instead of this one: this report is merged into it and its tracking code shows that report\'s progress',
      description: 'Only the reporter may do this, and only into one of the reports GET /similar proposes. Errors: NOT_A_SIMILAR_REPORT, plus those of merge.',
      params: Id,
      body: Type.Object({ into: Type.String({ minLength: 1, maxLength: 100, description: 'Id of the similar report to follow' }) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const p = principalOf(req);
    // duplicates() only shows a citizen their own reports (404 otherwise), so this also checks ownership.
    const r = await dups.duplicates(req.params.id, p);
    if (!r.suggestions.some((s) => s.id === req.body.into && s.state !== 'closed')) {
      throw badRequest('NOT_A_SIMILAR_REPORT', `"into" must be one of the open reports GET /api/v1/events/${req.params.id}/similar lists`);
    }
    // Merging is a dispatcher's action; here the city merges on the reporter's behalf, recorded under their id.
    const onBehalf: Principal = { kind: 'user', id: p.id, name: `${p.name} (follow)`, roles: ['dispatcher'] };
    const { event, into } = await dups.merge(req.params.id, req.body.into, onBehalf);
    return { id: event.id, state: event.state, trackingCode: event.trackingCode, following: { trackingCode: into.trackingCode, state: into.state } };
  });
}
