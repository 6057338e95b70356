/** HTTP for outgoing webhooks (admins only): register (the secret is shown once), list, delete, recent deliveries. */
import { Type } from 'typebox';
import { toIso } from '../../../platform/clock.js';
import { principalOf, type App } from '../../../platform/http/app.js';
import type { WebhookService } from './service.js';
import { WEBHOOK_EVENT_TYPES, type Delivery, type Webhook } from './types.js';

const TAGS = ['webhooks'];
const ADMIN = ['admin'] as const;
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const iso = (ms: number | null) => (ms === null ? null : toIso(ms));

const webhookWire = (w: Webhook) => ({ id: w.id, url: w.url, events: w.events, active: w.active, createdAt: toIso(w.createdAt) });
const deliveryWire = (x: Delivery) => ({
  id: x.id, envelopeId: x.envelopeId, type: x.type, status: x.status, attempt: x.attempt,
  nextAttemptAt: x.status === 'pending' ? toIso(x.nextAttemptAt) : null, lastStatusCode: x.lastStatusCode, lastError: x.lastError,
  createdAt: toIso(x.createdAt), deliveredAt: iso(x.deliveredAt),
});

export function registerWebhookRoutes(app: App, hooks: WebhookService): void {
  app.post('/api/v1/webhooks', {
    config: { access: ADMIN },
    schema: {
      tags: TAGS,
      summary: 'Register a webhook for city-event state changes',
      description: `Answers 201 with {id, secret}; the secret is shown only now. Each delivery is a POST of {id, type, at, data} with headers X-CityOps-Event, X-CityOps-Delivery, X-CityOps-Timestamp (epoch seconds) and X-CityOps-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the secret>. Any 2xx is success; otherwise retried after 10 s, 30 s, 2 min, 10 min, then hourly, 8 attempts in all. "id" stays the same across retries. events: any of ${WEBHOOK_EVENT_TYPES.join(', ')}; none means all. Errors: BAD_URL, UNKNOWN_EVENT_TYPE.`,
      body: Type.Object({
        url: Type.Optional(Type.Unknown({ description: 'http:// or https:// address that receives the POSTs' })),
        events: Type.Optional(Type.Unknown({ description: 'Event type names to receive; omit or [] for all' })),
      }),
    },
  }, async (req, reply) => {
    const { webhook, secret } = await hooks.create(req.body, principalOf(req));
    return reply.status(201).send({ ...webhookWire(webhook), secret });
  });

  app.get('/api/v1/webhooks', {
    config: { access: ADMIN },
    schema: { tags: TAGS, summary: 'List registered webhooks (without their secrets)' },
  }, async () => ({ items: (await hooks.list()).map(webhookWire) }));

  app.delete('/api/v1/webhooks/:id', {
    config: { access: ADMIN },
    schema: { tags: TAGS, summary: 'Delete a webhook; its pending deliveries are dropped. Errors: WEBHOOK_NOT_FOUND', params: Id },
  }, async (req, reply) => {
    await hooks.remove(req.params.id, principalOf(req));
    return reply.status(204).send();
  });

  app.get('/api/v1/webhooks/:id/deliveries', {
    config: { access: ADMIN },
    schema: {
      tags: TAGS,
      summary: 'Recent deliveries of a webhook, newest first, with status (pending | delivered | failed) and the last error',
      params: Id,
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) }),
    },
  }, async (req) => ({ items: (await hooks.deliveries(req.params.id, req.query.limit ?? 50)).map(deliveryWire) }));
}
