/**
 * Outgoing webhooks of city events, wired: migrations, routes, a bus
 * subscription per change type (durable group "webhooks", so with NATS one
 * process writes each event to the outbox) and the delivery worker.
 */
import type { AuditLog } from '../../../platform/audit/types.js';
import type { CityModule, Kernel } from '../../../platform/module.js';
import type { App } from '../../../platform/http/app.js';
import { registerWebhookRoutes } from './routes.js';
import { createWebhookService, type WebhookService } from './service.js';
import { createWebhookStore, migrations } from './store.js';
import { WEBHOOK_EVENT_TYPES } from './types.js';

export { verifyWebhookSignature } from './webhooks.logic.js';
export type { WebhookService } from './service.js';

export const WEBHOOK_GROUP = 'webhooks';
const WORKER_EVERY_MS = 1_000;

export interface WebhooksDeps extends Pick<Kernel, 'database' | 'bus' | 'clock' | 'log'> {
  audit: AuditLog;
  /** How often the worker looks for due deliveries; null: no timer (tests call deliverDue()). */
  workerEveryMs?: number | null;
}

export function createWebhooks(k: WebhooksDeps) {
  const hooks: WebhookService = createWebhookService({ store: createWebhookStore(k.database), clock: k.clock, audit: k.audit });
  const unsubscribe: Array<() => Promise<void>> = [];
  let timer: NodeJS.Timeout | undefined;
  const every = k.workerEveryMs === undefined ? WORKER_EVERY_MS : k.workerEveryMs;
  let busy = false;
  return {
    hooks,
    migrations,
    registerRoutes: (app: App) => registerWebhookRoutes(app, hooks),
    async start() {
      for (const type of WEBHOOK_EVENT_TYPES) unsubscribe.push(await k.bus.subscribe(type, (env) => hooks.onEvent(env), { group: WEBHOOK_GROUP }));
      if (every === null) return;
      timer = setInterval(() => {
        if (busy) return;
        busy = true;
        hooks.deliverDue().catch((err: unknown) => k.log.error({ err }, 'webhook delivery failed')).finally(() => { busy = false; });
      }, every);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      for (const u of unsubscribe.splice(0)) await u();
      // Let an in-flight run finish so it does not write to a closed store.
      await hooks.settled();
    },
  };
}

/** The events module with webhooks added: their migrations, routes, subscriptions and worker run alongside its own. */
export function withWebhooks(module: CityModule, k: WebhooksDeps): CityModule {
  const w = createWebhooks(k);
  return {
    ...module,
    migrations: [...module.migrations, ...w.migrations],
    async registerRoutes(app) {
      await module.registerRoutes?.(app);
      w.registerRoutes(app);
    },
    async start() {
      await module.start?.();
      await w.start();
    },
    async stop() {
      await w.stop();
      await module.stop?.();
    },
  };
}
