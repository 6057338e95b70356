/**
 * Use cases of duplicates and recurrence: suggestions and recurrence flags
 * at intake, merging a duplicate into the event it repeats (its reporter
 * becomes a follower), the recurring-places list and hotspots.
 */
import type { Principal } from '../../../platform/auth/roles.js';
import type { Clock } from '../../../platform/clock.js';
import { badRequest } from '../../../platform/errors.js';
import type { BBox, Position } from '../../../platform/geo/index.js';
import type { EventService } from '../service.js';
import type { CityEvent } from '../types.js';
import { DEFAULT_HOTSPOTS, DEFAULT_RECURRENCE, hotspots, recurrence, type HotspotOptions } from './places.logic.js';
import { DEFAULT_DUPLICATE_OPTIONS, findDuplicates, ruleFor } from './similarity.logic.js';
import type { DuplicateStore } from './store.js';
import type { DuplicateOptions, RecurrenceRule } from './types.js';

const DAY = 86_400_000;
const OPEN = ['received', 'dispatched', 'in_progress'];
/** Enough for any real neighbourhood; bounds the work one report can cause. */
const MAX_NEIGHBOURS = 500;
const MAX_HOTSPOT_REPORTS = 100_000;

export interface DuplicatesConfig {
  duplicates?: DuplicateOptions;
  recurrence?: RecurrenceRule;
}

export interface DuplicateDeps {
  store: DuplicateStore;
  events: EventService;
  clock: Clock;
  config?: DuplicatesConfig;
}

export interface HotspotQuery { category?: string; bbox?: BBox; from?: number; to?: number; cellM?: number; minCount?: number; utcOffsetMin?: number }

/** A box around a point wide enough for `radiusM` (a pre-filter; the logic measures real distances). */
function around(p: Position, radiusM: number): BBox {
  const dLat = radiusM / 111_320;
  const dLon = radiusM / (111_320 * Math.max(0.01, Math.cos((p[1] * Math.PI) / 180)));
  return [p[0] - dLon, p[1] - dLat, p[0] + dLon, p[1] + dLat];
}

export function createDuplicateService(d: DuplicateDeps) {
  const dupOpts = d.config?.duplicates ?? DEFAULT_DUPLICATE_OPTIONS;
  const recRule = d.config?.recurrence ?? DEFAULT_RECURRENCE;

  return {
    /** At intake: propose open look-alikes nearby, and flag the place if the category keeps coming back. */
    async afterIntake(e: CityEvent): Promise<void> {
      if (!e.location) return;
      const point = e.location.coordinates;
      const rule = ruleFor(dupOpts, e.category);
      // One lookup serves both checks: the wider of their boxes and windows; each pure function
      // then applies its own radius and window (and duplicates only consider open events).
      const nearby = await d.store.located({
        bbox: around(point, Math.max(rule.radiusM, recRule.radiusM)),
        since: e.createdAt - Math.max(rule.windowMs, recRule.windowMs),
        until: e.createdAt,
        category: e.category,
        limit: MAX_NEIGHBOURS,
      });
      const report = { id: e.id, category: e.category, point, at: e.createdAt, text: e.text };
      const matches = findDuplicates(report, nearby.filter((n) => OPEN.includes(n.state)), dupOpts);
      await d.store.saveSuggestions(e.id, matches.slice(0, 10), e.createdAt);
      const rec = recurrence({ id: e.id, category: e.category, point, at: e.createdAt }, nearby, recRule);
      if (rec.recurring) await d.store.flag({ eventId: e.id, category: e.category, point, related: rec.related, flaggedAt: e.createdAt });
    },

    mergedInto: (eventId: string) => d.store.mergedInto(eventId),

    /** The proposed originals of an event, its followers, and what it was merged into. */
    async duplicates(id: string, p: Principal) {
      const { event } = await d.events.get(id, p);
      return { suggestions: await d.store.suggestions(event.id), followers: await d.store.followers(event.id), mergedInto: await d.store.mergedInto(event.id) };
    },

    /** Close `id` into `into`; its reporter follows `into` through the same tracking code. */
    async merge(id: string, into: string, p: Principal): Promise<{ event: CityEvent; into: CityEvent }> {
      const out = await d.events.merge(id, into, p);
      await d.store.addFollower({ followerId: out.event.id, eventId: out.into.id, reporterId: out.event.reporterId, trackingCode: out.event.trackingCode, mergedAt: out.event.updatedAt, mergedBy: p.id });
      return out;
    },

    async recurring(q: { category?: string; days?: number; limit: number; offset: number }) {
      const since = d.clock.now() - (q.days ?? recRule.windowMs / DAY) * DAY;
      return d.store.flags({ since, category: q.category, limit: q.limit, offset: q.offset });
    },

    async hotspots(q: HotspotQuery) {
      const now = d.clock.now();
      const to = q.to ?? now;
      const from = q.from ?? to - 90 * DAY;
      if (from > to) throw badRequest('BAD_TIME_RANGE', '"from" must be before "to"');
      const reports = await d.store.located({ bbox: q.bbox, since: from, until: to, category: q.category, limit: MAX_HOTSPOT_REPORTS });
      const opts: HotspotOptions = { ...DEFAULT_HOTSPOTS, ...(q.cellM !== undefined ? { cellM: q.cellM } : {}), ...(q.minCount !== undefined ? { minCount: q.minCount } : {}), ...(q.utcOffsetMin !== undefined ? { utcOffsetMin: q.utcOffsetMin } : {}) };
      return { from, to, reports: reports.length, truncated: reports.length === MAX_HOTSPOT_REPORTS, clusters: hotspots(reports, opts) };
    },
  };
}

export type DuplicateService = ReturnType<typeof createDuplicateService>;
