/**
 * All SQL of outgoing webhooks: registrations and the delivery outbox. A
 * delivery is claimed by moving its next_attempt_at forward (a lease) only if
 * nobody else did, so several processes sharing PostgreSQL never send one twice at once.
 */
import type { Kysely } from 'kysely';
import { bigintType, type Database, type Migration } from '../../../platform/db/index.js';
import type { Delivery, DeliveryStatus, WebhookWithSecret } from './types.js';

type WebhookRow = { id: string; url: string; secret: string; events: string; active: number; created_at: number }
type DeliveryRow = {
  id: string; webhook_id: string; envelope_id: string; type: string; event_at: number; payload: string; attempt: number;
  next_attempt_at: number; status: string; last_status_code: number | null; last_error: string | null; created_at: number; delivered_at: number | null;
}
type Tables = { webhooks: WebhookRow; webhook_deliveries: DeliveryRow }

export const migrations: Migration[] = [
  {
    name: 'events_webhooks_001_webhooks',
    async up(db, dialect) {
      const big = bigintType(dialect);
      await db.schema.createTable('webhooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('webhook_id', 'text', (c) => c.notNull())
        .addColumn('envelope_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('event_at', big, (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('delivered_at', big)
        .execute();
      // One delivery per envelope and webhook: a redelivered bus event changes nothing.
      await db.schema.createIndex('webhook_deliveries_once').on('webhook_deliveries').columns(['webhook_id', 'envelope_id']).unique().execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    },
  },
];

const toWebhook = (r: WebhookRow): WebhookWithSecret => ({
  id: r.id, url: r.url, secret: r.secret, events: JSON.parse(r.events) as string[], active: r.active === 1, createdAt: r.created_at,
});
const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id, webhookId: r.webhook_id, envelopeId: r.envelope_id, type: r.type, eventAt: r.event_at, payload: JSON.parse(r.payload) as unknown,
  attempt: r.attempt, nextAttemptAt: r.next_attempt_at, status: r.status as DeliveryStatus, lastStatusCode: r.last_status_code,
  lastError: r.last_error, createdAt: r.created_at, deliveredAt: r.delivered_at,
});

export interface DueDelivery { delivery: Delivery; url: string; secret: string }
export interface AttemptResult { status: DeliveryStatus; nextAttemptAt: number; statusCode: number | null; error: string | null; deliveredAt: number | null }

export function createWebhookStore(database: Database) {
  const db = database.db.withTables<Tables>() as unknown as Kysely<Tables>;
  return {
    async insertWebhook(w: WebhookWithSecret): Promise<void> {
      await db.insertInto('webhooks').values({ id: w.id, url: w.url, secret: w.secret, events: JSON.stringify(w.events), active: w.active ? 1 : 0, created_at: w.createdAt }).execute();
    },
    async getWebhook(id: string): Promise<WebhookWithSecret | null> {
      const r = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toWebhook(r) : null;
    },
    async listWebhooks(onlyActive = false): Promise<WebhookWithSecret[]> {
      let q = db.selectFrom('webhooks').selectAll();
      if (onlyActive) q = q.where('active', '=', 1);
      return (await q.orderBy('created_at').orderBy('id').execute()).map(toWebhook);
    },
    /** Removes the webhook and its outbox in one transaction; false when there was none. */
    async deleteWebhook(id: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
        const r = await trx.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      });
    },
    /** Adds deliveries; ones already recorded for the same webhook and envelope are skipped. */
    async enqueue(ds: Delivery[]): Promise<void> {
      if (!ds.length) return;
      await db.insertInto('webhook_deliveries').values(ds.map((d) => ({
        id: d.id, webhook_id: d.webhookId, envelope_id: d.envelopeId, type: d.type, event_at: d.eventAt, payload: JSON.stringify(d.payload),
        attempt: d.attempt, next_attempt_at: d.nextAttemptAt, status: d.status, last_status_code: d.lastStatusCode, last_error: d.lastError,
        created_at: d.createdAt, delivered_at: d.deliveredAt,
      }))).onConflict((oc) => oc.columns(['webhook_id', 'envelope_id']).doNothing()).execute();
    },
    async due(now: number, limit: number): Promise<DueDelivery[]> {
      const rows = await db.selectFrom('webhook_deliveries as d').innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .selectAll('d').select(['w.url as w_url', 'w.secret as w_secret'])
        .where('d.status', '=', 'pending').where('d.next_attempt_at', '<=', now).where('w.active', '=', 1)
        .orderBy('d.next_attempt_at').orderBy('d.id').limit(limit).execute();
      return rows.map((r) => ({ delivery: toDelivery(r), url: r.w_url, secret: r.w_secret }));
    },
    /** Takes a due delivery for `leaseUntil`; false when another worker took it first. */
    async claim(d: Delivery, leaseUntil: number): Promise<boolean> {
      const r = await db.updateTable('webhook_deliveries').set({ next_attempt_at: leaseUntil })
        .where('id', '=', d.id).where('status', '=', 'pending').where('attempt', '=', d.attempt).where('next_attempt_at', '=', d.nextAttemptAt)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async recordAttempt(d: Delivery, r: AttemptResult): Promise<void> {
      await db.updateTable('webhook_deliveries').set({
        attempt: d.attempt + 1, status: r.status, next_attempt_at: r.nextAttemptAt, last_status_code: r.statusCode, last_error: r.error, delivered_at: r.deliveredAt,
      }).where('id', '=', d.id).where('attempt', '=', d.attempt).execute();
    },
    async deliveries(webhookId: string, limit: number): Promise<Delivery[]> {
      const rows = await db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toDelivery);
    },
  };
}

export type WebhookStore = ReturnType<typeof createWebhookStore>;
