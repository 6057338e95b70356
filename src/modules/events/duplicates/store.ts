/**
 * SQL of duplicates, followers and recurrence flags, plus the located-event
 * reads they need over events_events (same module: the events tables are ours).
 */
import { sql, type Kysely } from 'kysely';
import { bigintType, doubleType, type Database, type Migration } from '../../../platform/db/index.js';
import type { BBox } from '../../../platform/geo/index.js';
import type { DuplicateMatch } from './types.js';

type EventLite = { id: string; category: string; text: string; lon: number | null; lat: number | null; state: string; created_at: number; tracking_code: string; reporter_id: string | null };
type SuggestionRow = { event_id: string; candidate_id: string; score: number; distance_m: number; text_similarity: number; created_at: number };
type FollowerRow = { follower_id: string; event_id: string; reporter_id: string | null; tracking_code: string; merged_at: number; merged_by: string };
type RecurrenceRow = { event_id: string; category: string; lon: number; lat: number; related: string; flagged_at: number };
type Tables = { events_events: EventLite; events_dup_suggestions: SuggestionRow; events_followers: FollowerRow; events_recurrence: RecurrenceRow };

export const duplicateMigrations: Migration[] = [
  {
    name: 'events_dup_001_duplicates',
    async up(db, dialect) {
      const big = bigintType(dialect);
      const dbl = doubleType(dialect);
      await db.schema.createTable('events_dup_suggestions')
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('candidate_id', 'text', (c) => c.notNull())
        .addColumn('score', dbl, (c) => c.notNull())
        .addColumn('distance_m', 'integer', (c) => c.notNull())
        .addColumn('text_similarity', dbl, (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('events_dup_suggestions_pk', ['event_id', 'candidate_id'])
        .execute();
      await db.schema.createTable('events_followers')
        .addColumn('follower_id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('reporter_id', 'text')
        .addColumn('tracking_code', 'text', (c) => c.notNull())
        .addColumn('merged_at', big, (c) => c.notNull())
        .addColumn('merged_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_followers_event').on('events_followers').column('event_id').execute();
      await db.schema.createTable('events_recurrence')
        .addColumn('event_id', 'text', (c) => c.primaryKey())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('lon', dbl, (c) => c.notNull())
        .addColumn('lat', dbl, (c) => c.notNull())
        .addColumn('related', 'text', (c) => c.notNull())
        .addColumn('flagged_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_recurrence_flagged').on('events_recurrence').column('flagged_at').execute();
      await db.schema.createIndex('events_events_cat_created').on('events_events').columns(['category', 'created_at']).execute();
    },
  },
  {
    // The look-alikes of a new report: one category, a narrow band of latitude, then longitude and time
    // read from the index itself (3 ms → 0.2 ms per intake at 10^6 events, SQLite).
    name: 'events_dup_002_place_index',
    async up(db) {
      await db.schema.createIndex('events_events_cat_place').on('events_events').columns(['category', 'lat', 'lon', 'created_at']).execute();
    },
  },
];

export interface LocatedEvent { id: string; category: string; text: string; point: [number, number]; state: string; at: number }
export interface Follower { followerId: string; eventId: string; reporterId: string | null; trackingCode: string; mergedAt: number; mergedBy: string }
export interface RecurrenceFlag { eventId: string; category: string; point: [number, number]; related: string[]; flaggedAt: number }

export function createDuplicateStore(database: Database) {
  const db = database.db.withTables<Tables>() as unknown as Kysely<Tables>;
  const located = (r: EventLite): LocatedEvent => ({ id: r.id, category: r.category, text: r.text, point: [r.lon ?? 0, r.lat ?? 0], state: r.state, at: r.created_at });

  return {
    /** Located events in a box and time span, optionally of one category and in some states; merged duplicates left out. */
    async located(f: { bbox?: BBox; since: number; until: number; category?: string; states?: string[]; limit: number }): Promise<LocatedEvent[]> {
      // SQLite: "+created_at" keeps the planner off (category, created_at), whose range is every report of the
      // category in the window, when a box narrows the search to (category, lat, lon, created_at).
      const created = f.bbox && f.category && database.dialect === 'sqlite' ? sql<number>`+created_at` : sql<number>`created_at`;
      let q = db.selectFrom('events_events').select(['id', 'category', 'text', 'lon', 'lat', 'state', 'created_at', 'tracking_code', 'reporter_id'])
        .where('lon', 'is not', null).where('lat', 'is not', null)
        .where(created, '>=', f.since).where(created, '<=', f.until)
        .where('id', 'not in', db.selectFrom('events_followers').select('follower_id'));
      if (f.category) q = q.where('category', '=', f.category);
      if (f.states?.length) q = q.where('state', 'in', f.states);
      if (f.bbox) {
        const [w, s, e, n] = f.bbox;
        q = q.where('lon', '>=', w).where('lon', '<=', e).where('lat', '>=', s).where('lat', '<=', n);
      }
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
      return rows.map(located);
    },

    async saveSuggestions(eventId: string, matches: DuplicateMatch[], at: number): Promise<void> {
      if (!matches.length) return;
      await db.insertInto('events_dup_suggestions').values(matches.map((m) => ({
        event_id: eventId, candidate_id: m.id, score: m.score, distance_m: m.distanceM, text_similarity: m.textSimilarity, created_at: at,
      }))).execute();
    },

    async suggestions(eventId: string): Promise<Array<DuplicateMatch & { trackingCode: string | null; state: string | null }>> {
      const rows = await db.selectFrom('events_dup_suggestions as s').leftJoin('events_events as e', 'e.id', 's.candidate_id')
        .select(['s.candidate_id', 's.score', 's.distance_m', 's.text_similarity', 's.created_at', 'e.tracking_code', 'e.state'])
        .where('s.event_id', '=', eventId).orderBy('s.score', 'desc').orderBy('s.candidate_id').execute();
      return rows.map((r) => ({ id: r.candidate_id, score: r.score, distanceM: r.distance_m, textSimilarity: r.text_similarity, gapMs: 0, trackingCode: r.tracking_code, state: r.state }));
    },

    async addFollower(f: Follower): Promise<void> {
      await db.insertInto('events_followers').values({ follower_id: f.followerId, event_id: f.eventId, reporter_id: f.reporterId, tracking_code: f.trackingCode, merged_at: f.mergedAt, merged_by: f.mergedBy }).execute();
    },

    async followers(eventId: string): Promise<Follower[]> {
      const rows = await db.selectFrom('events_followers').selectAll().where('event_id', '=', eventId).orderBy('merged_at').orderBy('follower_id').execute();
      return rows.map((r) => ({ followerId: r.follower_id, eventId: r.event_id, reporterId: r.reporter_id, trackingCode: r.tracking_code, mergedAt: r.merged_at, mergedBy: r.merged_by }));
    },

    async mergedInto(followerId: string): Promise<string | null> {
      const r = await db.selectFrom('events_followers').select('event_id').where('follower_id', '=', followerId).executeTakeFirst();
      return r?.event_id ?? null;
    },

    async flag(f: RecurrenceFlag): Promise<void> {
      await db.insertInto('events_recurrence').values({ event_id: f.eventId, category: f.category, lon: f.point[0], lat: f.point[1], related: JSON.stringify(f.related), flagged_at: f.flaggedAt }).execute();
    },

    async flags(f: { since: number; category?: string; limit: number; offset: number }): Promise<{ items: RecurrenceFlag[]; total: number }> {
      let q = db.selectFrom('events_recurrence').where('flagged_at', '>=', f.since);
      if (f.category) q = q.where('category', '=', f.category);
      const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
      const rows = await q.selectAll().orderBy('flagged_at', 'desc').orderBy('event_id', 'desc').limit(f.limit).offset(f.offset).execute();
      return { total, items: rows.map((r) => ({ eventId: r.event_id, category: r.category, point: [r.lon, r.lat], related: JSON.parse(r.related) as string[], flaggedAt: r.flagged_at })) };
    },
  };
}

export type DuplicateStore = ReturnType<typeof createDuplicateStore>;
