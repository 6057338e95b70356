/** Event statistics for the web UI: scopes the query by role, runs the SQL aggregates and turns sums into rates. */
import type { Principal } from '../../../platform/auth/roles.js';
import type { OrgDirectory } from '../../../platform/auth/types.js';
import type { Clock } from '../../../platform/clock.js';
import { AppError, badRequest, notFound } from '../../../platform/errors.js';
import { countsOf, foldDistricts, ratesOf, type StatsRates } from './stats.logic.js';
import type { StatsFilter, StatsStore } from './store.js';

export interface StatsQuery { from?: number; to?: number; area?: string; department?: string; category?: string }

export interface EventStats extends StatsRates {
  total: number;
  byState: Record<string, number>;
  byCategory: Record<string, number>;
  byDistrict: Record<string, number>;
  byChannel: Record<string, number>;
  filter: StatsQuery;
  now: number;
}

export function createStatsService(d: { store: StatsStore; org: OrgDirectory; clock: Clock }) {
  return {
    async stats(q: StatsQuery, p: Principal): Promise<EventStats> {
      if (q.from !== undefined && q.to !== undefined && q.from >= q.to) throw badRequest('BAD_TIME_RANGE', '"from" must be before "to"');
      const staff = p.roles.some((r) => r === 'admin' || r === 'dispatcher' || r === 'leader' || r === 'auditor');
      let department = q.department;
      if (!staff) {
        // Handlers see their own department's figures only.
        if (!p.department) throw new AppError(403, 'NO_DEPARTMENT', 'Your account has no department, so there are no figures to show you');
        if (department !== undefined && department !== p.department) throw new AppError(403, 'OTHER_DEPARTMENT', `You may see statistics of your own department (${p.department}) only`);
        department = p.department;
      }
      let pathPrefix: string | undefined;
      if (q.area !== undefined) {
        const unit = await d.org.get(q.area);
        if (!unit) throw notFound('AREA_NOT_FOUND', `No org unit ${q.area}; use an id from /api/v1/org/units`);
        pathPrefix = unit.path;
      }
      const f: StatsFilter = { from: q.from, to: q.to, pathPrefix, department, category: q.category };
      const now = d.clock.now();
      const [byState, byCategory, byPath, byChannel, sums] = await Promise.all([
        d.store.groupBy(f, 'state'), d.store.groupBy(f, 'category'), d.store.groupBy(f, 'org_path'), d.store.groupBy(f, 'channel'), d.store.sums(f, now),
      ]);
      return {
        total: sums.total, byState: countsOf(byState), byCategory: countsOf(byCategory), byDistrict: foldDistricts(byPath), byChannel: countsOf(byChannel),
        ...ratesOf(sums), filter: { ...q, department }, now,
      };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
