/** SQL of event photos: one row per photo; the bytes themselves are in the file store. */
import type { Kysely } from 'kysely';
import { bigintType, type Database, type Migration } from '../../../platform/db/index.js';
import type { PhotoType } from './strip.logic.js';
import type { Photo, PhotoStage } from './types.js';

type PhotoRow = { id: string; event_id: string; stage: string; content_type: string; bytes: number; public_bytes: number; uploader_id: string; created_at: number };
type Tables = { events_photos: PhotoRow };

export const photoMigrations: Migration[] = [
  {
    name: 'events_photos_001_photos',
    async up(db, dialect) {
      await db.schema.createTable('events_photos')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('bytes', 'integer', (c) => c.notNull())
        .addColumn('public_bytes', 'integer', (c) => c.notNull())
        .addColumn('uploader_id', 'text', (c) => c.notNull())
        .addColumn('created_at', bigintType(dialect), (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_photos_event').on('events_photos').columns(['event_id', 'created_at']).execute();
    },
  },
];

const fromRow = (r: PhotoRow): Photo => ({
  id: r.id, eventId: r.event_id, stage: r.stage as PhotoStage, contentType: r.content_type as PhotoType,
  bytes: Number(r.bytes), publicBytes: Number(r.public_bytes), uploaderId: r.uploader_id, createdAt: Number(r.created_at),
});

export function createPhotoStore(database: Database) {
  const db = database.db.withTables<Tables>() as unknown as Kysely<Tables>;
  return {
    async insert(p: Photo): Promise<void> {
      await db.insertInto('events_photos').values({
        id: p.id, event_id: p.eventId, stage: p.stage, content_type: p.contentType, bytes: p.bytes, public_bytes: p.publicBytes,
        uploader_id: p.uploaderId, created_at: p.createdAt,
      }).execute();
    },
    async get(id: string): Promise<Photo | null> {
      const r = await db.selectFrom('events_photos').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? fromRow(r) : null;
    },
    async list(eventId: string): Promise<Photo[]> {
      const rows = await db.selectFrom('events_photos').selectAll().where('event_id', '=', eventId).orderBy('created_at').orderBy('id').execute();
      return rows.map(fromRow);
    },
    async count(eventId: string): Promise<number> {
      const r = await db.selectFrom('events_photos').select((eb) => eb.fn.countAll<number>().as('n')).where('event_id', '=', eventId).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}

export type PhotoStore = ReturnType<typeof createPhotoStore>;
