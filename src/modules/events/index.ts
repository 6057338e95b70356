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
import { createStats, registerStatsRoutes, statsMigrations } from './stats/index.js';
import { registerOpen311Routes } from './open311/routes.js';
import { createPhotos, photoMigrations, registerPhotoRoutes } from './photos/index.js';
import { createRouting, routingMigrations, type Routing, type RoutingDepsIn } from './routing/index.js';
import type { Authenticator } from '../../platform/http/app.js';
import { createEventService, type EventHooks, type EventService, type EventServiceOptions } from './service.js';
import { createEventStore, migrations } from './store.js';
import { startAlarmEvents } from './alarms.js';
import type { Taxonomy } from './timelimits.logic.js';
import { registerTaxonomyRoutes } from './taxonomy.routes.js';
import { registerFollowRoutes } from './duplicates/follow.routes.js';
import type { Classifier } from './types.js';
import { withEventLive } from './live.js';
import { createRecategorise } from './recategorise.js';
import { registerRecategoriseRoutes } from './recategorise.routes.js';

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
  classifier?: Classifier & { readonly version?: string };
  /** Where retrained models go and when (routing/); without a model file retraining never writes. */
  learning?: RoutingDepsIn['learning'];
  taxonomy?: Taxonomy;
  options?: EventServiceOptions;
  /** Resolves an Open311 api_key; without it only the X-API-Key header is honoured. */
  authenticator?: Authenticator;
}

export function createEventsModule(k: EventsModuleDeps): { module: CityModule; events: EventService; routing: Routing } {
  const store = createEventStore(k.database);
  const hooks: EventHooks = {};
  const taxonomy = k.taxonomy ?? loadTaxonomy();
  const routing = createRouting({ ...k, taxonomy });
  hooks.route = routing.service.route;
  hooks.corrected = routing.service.recordLabel;
  const events = createEventService({ store, bus: k.bus, clock: k.clock, audit: k.audit, org: k.org, taxonomy, classifier: routing.service.classifier, options: k.options, hooks, log: k.log });
  const duplicates = createDuplicates(k.database, events, k.clock);
  hooks.afterIntake = duplicates.afterIntake;
  hooks.mergedInto = duplicates.mergedInto;
  const photos = createPhotos({ database: k.database, events, clock: k.clock, audit: k.audit, dataDir: k.config.dataDir, maxBytes: k.config.photoMaxBytes });
  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;
  const module: CityModule = {
    name: 'events',
    migrations: [...migrations, ...duplicateMigrations, ...statsMigrations, ...photoMigrations, ...routingMigrations],
    registerRoutes: async (app) => {
      registerEventRoutes(app, events);
      registerTaxonomyRoutes(app, taxonomy);
      registerDuplicateRoutes(app, duplicates);
      registerFollowRoutes(app, duplicates);
      registerRecategoriseRoutes(app, createRecategorise({ store, bus: k.bus, clock: k.clock, audit: k.audit, taxonomy, overrides: k.options?.overrides, time: k.options?.time, corrected: hooks.corrected, log: k.log }));
      routing.registerRoutes(app);
      await registerPhotoRoutes(app, photos, k.config.photoMaxBytes);
      registerStatsRoutes(app, createStats(k.database, k.org, k.clock));
      await registerOpen311Routes(app, { events, taxonomy: k.taxonomy ?? loadTaxonomy(), clock: k.clock, authenticator: k.authenticator });
    },
    async start() {
      // Domain events a crash left between commit and publish go out now (subscribers drop ids they have seen).
      await events.republish(true);
      await startAlarmEvents(k, events); // alarm → city event (risk module asks on the bus)
      timer = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        events.sweep().catch((err: unknown) => k.log.error({ err }, 'event sweep failed')).finally(() => { sweeping = false; });
      }, SWEEP_EVERY_MS);
      timer.unref();
      routing.start();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await events.close();
      await routing.stop();
    },
  };
  return { module: withEventLive(withWebhooks(module, k), k), events, routing };
}
