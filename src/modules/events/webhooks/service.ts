/**
 * Use cases of outgoing webhooks: register, list, delete; turn each bus event
 * into outbox rows (no HTTP in the bus handler); and deliverDue(), which POSTs
 * the due rows, signed, and schedules retries with backoff.
 */
import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../../../platform/audit/types.js';
import type { Principal } from '../../../platform/auth/roles.js';
import type { Envelope } from '../../../platform/bus/types.js';
import { toIso, type Clock } from '../../../platform/clock.js';
import { badRequest, notFound } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import type { DueDelivery, WebhookStore } from './store.js';
import { WEBHOOK_EVENT_TYPES, type Delivery, type Webhook } from './types.js';
import { backoffAfter, deliveryBody, isDeliverableUrl, isSuccess, matchesFilter, signWebhook, unknownEventTypes } from './webhooks.logic.js';

export const REQUEST_TIMEOUT_MS = 5_000;
/** A claimed delivery is retried by anyone after this, should its worker die mid-request. */
const LEASE_MS = 60_000;
const BATCH = 50;
const MAX_URL = 2_000;

export interface WebhookDeps {
  store: WebhookStore;
  clock: Clock;
  audit: AuditLog;
  /** The HTTP client; global fetch unless a test or proxy setup needs another. */
  fetch?: typeof fetch;
}

export interface CreateWebhookInput { url?: unknown; events?: unknown }

const publicView = (w: Webhook): Webhook => ({ id: w.id, url: w.url, events: w.events, active: w.active, createdAt: w.createdAt });

export function createWebhookService(d: WebhookDeps) {
  const http = d.fetch ?? fetch;
  let running: Promise<number> = Promise.resolve(0);

  async function create(input: CreateWebhookInput, actor: Principal): Promise<{ webhook: Webhook; secret: string }> {
    const url = typeof input.url === 'string' ? input.url.trim() : '';
    if (url.length > MAX_URL || !isDeliverableUrl(url)) throw badRequest('BAD_URL', 'Give "url" as an absolute http:// or https:// address (no user:password@), at most 2000 characters');
    const events = input.events ?? [];
    if (!Array.isArray(events) || events.some((e) => typeof e !== 'string')) throw badRequest('UNKNOWN_EVENT_TYPE', `"events" must be a list of event type names: ${WEBHOOK_EVENT_TYPES.join(', ')}`);
    const unknown = unknownEventTypes(events as string[], WEBHOOK_EVENT_TYPES);
    if (unknown.length) throw badRequest('UNKNOWN_EVENT_TYPE', `Unknown event type(s) ${unknown.join(', ')}; use any of ${WEBHOOK_EVENT_TYPES.join(', ')} (or none for all)`, { unknown });
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const webhook: Webhook = { id: newId('whk'), url, events: [...new Set(events as string[])], active: true, createdAt: d.clock.now() };
    await d.store.insertWebhook({ ...webhook, secret });
    await d.audit.append({ actor, action: 'webhook.create', targetType: 'webhook', targetId: webhook.id, details: { url, events: webhook.events } });
    return { webhook, secret };
  }

  async function remove(id: string, actor: Principal): Promise<void> {
    const w = await d.store.getWebhook(id);
    if (!w || !(await d.store.deleteWebhook(id))) throw notFound('WEBHOOK_NOT_FOUND', `No webhook ${id}; list them with GET /api/v1/webhooks`);
    await d.audit.append({ actor, action: 'webhook.delete', targetType: 'webhook', targetId: id, details: { url: w.url } });
  }

  async function deliveries(id: string, limit: number): Promise<Delivery[]> {
    if (!(await d.store.getWebhook(id))) throw notFound('WEBHOOK_NOT_FOUND', `No webhook ${id}; list them with GET /api/v1/webhooks`);
    return d.store.deliveries(id, limit);
  }

  /** Bus handler: one outbox row per interested webhook; the bus envelope id keeps redeliveries out. */
  async function onEvent(env: Envelope): Promise<void> {
    const hooks = (await d.store.listWebhooks(true)).filter((w) => matchesFilter(w.events, env.type));
    const now = d.clock.now();
    await d.store.enqueue(hooks.map((w) => ({
      id: newId('whd'), webhookId: w.id, envelopeId: env.id, type: env.type, eventAt: env.at, payload: env.payload, attempt: 0,
      nextAttemptAt: now, status: 'pending' as const, lastStatusCode: null, lastError: null, createdAt: now, deliveredAt: null,
    })));
  }

  async function attempt({ delivery, url, secret }: DueDelivery): Promise<void> {
    const now = d.clock.now();
    const body = deliveryBody(delivery.envelopeId, delivery.type, toIso(delivery.eventAt), delivery.payload);
    const timestamp = String(Math.floor(now / 1000));
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await http(url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'CityOps-Webhooks',
          'x-cityops-event': delivery.type,
          'x-cityops-delivery': delivery.id,
          'x-cityops-timestamp': timestamp,
          'x-cityops-signature': signWebhook(secret, timestamp, body),
        },
      });
      statusCode = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (!isSuccess(res.status)) error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : 'request failed';
    }
    const n = delivery.attempt + 1;
    if (error === null) {
      await d.store.recordAttempt(delivery, { status: 'delivered', nextAttemptAt: now, statusCode, error: null, deliveredAt: d.clock.now() });
      return;
    }
    const wait = backoffAfter(n);
    await d.store.recordAttempt(delivery, wait === null
      ? { status: 'failed', nextAttemptAt: now, statusCode, error, deliveredAt: null }
      : { status: 'pending', nextAttemptAt: now + wait, statusCode, error, deliveredAt: null });
  }

  async function runOnce(): Promise<number> {
    const now = d.clock.now();
    let sent = 0;
    for (;;) {
      const due = await d.store.due(now, BATCH);
      const mine: DueDelivery[] = [];
      for (const x of due) if (await d.store.claim(x.delivery, now + LEASE_MS)) mine.push(x);
      await Promise.all(mine.map(attempt));
      sent += mine.length;
      if (due.length < BATCH) return sent;
    }
  }

  return {
    create,
    list: async (): Promise<Webhook[]> => (await d.store.listWebhooks()).map(publicView),
    remove,
    deliveries,
    onEvent,
    /**
     * Sends every delivery due by the clock's now; resolves with how many were attempted.
     * Calls queue behind one another, so a caller always sees the effect of the runs before it.
     */
    deliverDue(): Promise<number> {
      running = running.catch(() => 0).then(runOnce);
      return running;
    },
    /** Resolves once the current run (if any) is over, without starting another. */
    settled: async (): Promise<void> => { await running.catch(() => 0); },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
