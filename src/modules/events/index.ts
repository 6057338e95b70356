/** City events module (SPEC E1–E5): store, service, routes and the time-limit sweep, wired together. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ASSETS_DIR } from '../../config.js';
import type { AuditLog } from '../../platform/audit/types.js';
import type { OrgDirectory } from '../../platform/auth/types.js';
import type { CityModule, Kernel } from '../../platform/module.js';
import { registerEventRoutes } from './routes.js';
import { createDuplicates, duplicateMigrations, registerDuplicateRoutes } from './duplicates/index.js';
import { withWebhooks } from './webhooks/index.js';
import { registerOpen311Routes } from './open311/routes.js';
import type { Authenticator } from '../../platform/http/app.js';
import { createEventService, type EventHooks, type EventService, type EventServiceOptions } from './service.js';
import { createEventStore, migrations } from './store.js';
import type { Taxonomy } from './timelimits.logic.js';
import type { Classifier } from './types.js';

export * from './types.js';
export type { EventService } from './service.js';

export const TAXONOMY_FILE = path.join(ASSETS_DIR, 'taxonomy/event-categories.json');
const SWEEP_EVERY_MS = 60_000;

export function loadTaxonomy(file = TAXONOMY_FILE): Taxonomy {
  return JSON.parse(readFileSync(file, 'utf8')) as Taxonomy;
}

export interface EventsModuleDeps extends Kernel {
  audit: AuditLog;
  org: OrgDirectory;
  /** Optional: without one, intake needs an explicit category. */
  classifier?: Classifier;
  taxonomy?: Taxonomy;
  options?: EventServiceOptions;
  /** Resolves an Open311 api_key; without it only the X-API-Key header is honoured. */
  authenticator?: Authenticator;
}

export function createEventsModule(k: EventsModuleDeps): { module: CityModule; events: EventService } {
  const store = createEventStore(k.database);
  const hooks: EventHooks = {};
  const events = createEventService({ store, bus: k.bus, clock: k.clock, audit: k.audit, org: k.org, taxonomy: k.taxonomy ?? loadTaxonomy(), classifier: k.classifier, options: k.options, hooks });
  const duplicates = createDuplicates(k.database, events, k.clock);
  hooks.afterIntake = duplicates.afterIntake;
  hooks.mergedInto = duplicates.mergedInto;
  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;
  const module: CityModule = {
    name: 'events',
    migrations: [...migrations, ...duplicateMigrations],
    registerRoutes: async (app) => {
      registerEventRoutes(app, events);
      registerDuplicateRoutes(app, duplicates);
      await registerOpen311Routes(app, { events, taxonomy: k.taxonomy ?? loadTaxonomy(), clock: k.clock, authenticator: k.authenticator });
    },
    async start() {
      timer = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        events.sweep().catch((err: unknown) => k.log.error({ err }, 'event sweep failed')).finally(() => { sweeping = false; });
      }, SWEEP_EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
    },
  };
  return { module: withWebhooks(module, k), events };
}
