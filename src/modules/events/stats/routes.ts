/** HTTP for event statistics: GET /api/v1/events/stats with time, area, department and category filters. */
import { Type } from 'typebox';
import { toIso } from '../../../platform/clock.js';
import { badRequest } from '../../../platform/errors.js';
import { principalOf, type App } from '../../../platform/http/app.js';
import type { StatsService } from './service.js';

function epoch(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw badRequest('BAD_TIME', `"${name}" must be an ISO-8601 time, e.g. 2026-11-01T00:00:00Z`);
  return ms;
}

export function registerStatsRoutes(app: App, stats: StatsService): void {
  app.get('/api/v1/events/stats', {
    config: { access: ['dispatcher', 'admin', 'leader', 'handler', 'auditor'] },
    schema: {
      tags: ['events'],
      summary: 'Event statistics: counts by state, category, district and channel; on-time rate, handling time, satisfaction, repeat and reopen rates',
      description: 'Events created in [from, to). area: an org unit id (its events and those below it). Handlers see their own department only. '
        + 'onTimeRate = finished (result reported or closed) by the deadline / events finished or past their deadline; avgHandlingHours = received → result reported; '
        + 'satisfaction: mean rating and share of ratings ≥ 4; repeatRate = merged duplicates or recurrence-flagged / all; reopenRate = reopened / ever rated or closed. A rate with nothing to divide by is null.',
      querystring: Type.Object({
        from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO-8601, inclusive' })),
        to: Type.Optional(Type.String({ maxLength: 40, description: 'ISO-8601, exclusive' })),
        area: Type.Optional(Type.String({ maxLength: 100, description: 'Org unit id' })),
        department: Type.Optional(Type.String({ maxLength: 64 })),
        category: Type.Optional(Type.String({ maxLength: 64 })),
      }),
    },
  }, async (req) => {
    const q = req.query;
    const s = await stats.stats({ from: epoch('from', q.from), to: epoch('to', q.to), area: q.area, department: q.department, category: q.category }, principalOf(req));
    const { filter, now, ...rest } = s;
    return {
      ...rest,
      filter: { ...filter, from: filter.from === undefined ? undefined : toIso(filter.from), to: filter.to === undefined ? undefined : toIso(filter.to) },
      at: toIso(now),
    };
  });
}
