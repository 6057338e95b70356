/** HTTP for duplicates (merge, suggestions), recurring places (主动治理) and hotspots (SPEC E6, E7). */
import { Type } from 'typebox';
import { toIso } from '../../../platform/clock.js';
import { badRequest } from '../../../platform/errors.js';
import { parseBBox } from '../../../platform/geo/index.js';
import { principalOf, type App } from '../../../platform/http/app.js';
import type { DuplicateService } from './service.js';

const TAGS = ['events'];
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

function time(v: string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw badRequest('BAD_TIME', `"${field}" must be an ISO-8601 time such as 2026-11-01T00:00:00Z`);
  return t;
}

export function registerDuplicateRoutes(app: App, dups: DuplicateService): void {
  app.post('/api/v1/events/:id/merge', {
    config: { access: ['dispatcher', 'admin'] },
    schema: {
      tags: TAGS,
      summary: 'Merge a duplicate report into the earlier event it repeats',
      description: 'The duplicate is closed (action "merge", bus EventMerged) and its reporter becomes a follower of "into": the duplicate\'s tracking code then shows the progress of "into". Errors: MERGE_INTO_SELF, MERGE_TARGET_NOT_FOUND, MERGE_TARGET_CLOSED, INVALID_TRANSITION (the duplicate is already finished).',
      params: Id,
      body: Type.Object({ into: Type.String({ minLength: 1, maxLength: 100, description: 'Id of the event to merge into' }) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const { event, into } = await dups.merge(req.params.id, req.body.into, principalOf(req));
    return { id: event.id, state: event.state, version: event.version, mergedInto: { id: into.id, trackingCode: into.trackingCode, state: into.state } };
  });

  app.get('/api/v1/events/:id/duplicates', {
    config: { access: ['dispatcher', 'admin', 'leader', 'handler'] },
    schema: { tags: TAGS, summary: 'Proposed originals of a report (found at intake), its followers, and what it was merged into', params: Id },
  }, async (req) => {
    const r = await dups.duplicates(req.params.id, principalOf(req));
    return {
      suggestions: r.suggestions.map((s) => ({ id: s.id, trackingCode: s.trackingCode, state: s.state, score: s.score, distanceM: s.distanceM, textSimilarity: s.textSimilarity })),
      followers: r.followers.map((f) => ({ eventId: f.followerId, reporterId: f.reporterId, trackingCode: f.trackingCode, mergedAt: toIso(f.mergedAt) })),
      mergedInto: r.mergedInto,
    };
  });

  app.get('/api/v1/events/recurring', {
    config: { access: ['dispatcher', 'admin', 'leader', 'handler'] },
    schema: {
      tags: TAGS,
      summary: 'Places where one category keeps recurring (主动治理): the newest report of each run, with the earlier ones',
      querystring: Type.Object({
        category: Type.Optional(Type.String({ maxLength: 64 })),
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'Flags raised in the last N days (default: the recurrence window)' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
      }),
    },
  }, async (req) => {
    const q = req.query;
    const { items, total } = await dups.recurring({ category: q.category, days: q.days, limit: q.limit ?? 50, offset: q.offset ?? 0 });
    return { total, items: items.map((f) => ({ eventId: f.eventId, category: f.category, location: { type: 'Point', coordinates: f.point }, count: f.related.length + 1, related: f.related, flaggedAt: toIso(f.flaggedAt) })) };
  });

  app.get('/api/v1/events/hotspots', {
    config: { access: ['dispatcher', 'admin', 'leader', 'handler', 'grid_worker'] },
    schema: {
      tags: TAGS,
      summary: 'Hotspots: grid-cell clusters of located reports with count, top categories and hour-of-day / weekday histograms',
      description: 'area is a bounding box "minLon,minLat,maxLon,maxLat"; from/to ISO-8601 (default: the last 90 days); byWeekday starts on Monday; utcOffset (minutes) sets the local time of the histograms.',
      querystring: Type.Object({
        category: Type.Optional(Type.String({ maxLength: 64 })),
        area: Type.Optional(Type.String({ maxLength: 200 })),
        from: Type.Optional(Type.String({ maxLength: 40 })),
        to: Type.Optional(Type.String({ maxLength: 40 })),
        cellM: Type.Optional(Type.Integer({ minimum: 20, maximum: 5000, default: 250 })),
        minCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 2 })),
        utcOffset: Type.Optional(Type.Integer({ minimum: -720, maximum: 840, default: 0 })),
      }),
    },
  }, async (req) => {
    const q = req.query;
    const r = await dups.hotspots({
      category: q.category, bbox: q.area !== undefined ? parseBBox(q.area, 'area') : undefined, from: time(q.from, 'from'), to: time(q.to, 'to'),
      cellM: q.cellM, minCount: q.minCount, utcOffsetMin: q.utcOffset,
    });
    return { from: toIso(r.from), to: toIso(r.to), reports: r.reports, truncated: r.truncated, clusters: r.clusters.map((c) => ({ ...c, centre: { type: 'Point', coordinates: c.centre } })) };
  });
}
