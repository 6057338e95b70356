/**
 * Routing and the learning loop, wired for the events module: the rules and
 * labels store, the service, its routes, and the nightly retraining timer
 * (~03:00 city time, from the injected clock). Retraining runs in a worker
 * thread; stopping the module stops a running one.
 */
import type { AuditLog } from '../../../platform/audit/types.js';
import type { OrgDirectory } from '../../../platform/auth/types.js';
import type { Clock } from '../../../platform/clock.js';
import type { Database } from '../../../platform/db/index.js';
import type { App } from '../../../platform/http/app.js';
import type { Taxonomy } from '../timelimits.logic.js';
import type { Classifier } from '../types.js';
import { registerRoutingRoutes } from './routes.js';
import { labelsToExamples } from './routing.logic.js';
import { msUntilLocalHour } from './schedule.logic.js';
import { createRoutingService, NIGHTLY_ACTOR, type LearningOptions, type RoutingService } from './service.js';
import { createRoutingStore } from './store.js';

export { routingMigrations } from './store.js';
export { learnedModelFile, NIGHTLY_ACTOR, type RoutingService, type RetrainReport, type RetrainJob, type LearningOptions } from './service.js';
export { route, FALLBACK_DEPARTMENT, type RoutingRule } from './routing.logic.js';

/** Dispatchers' corrections in a CityOps database, as training examples (`cityops train classifier --from-store`). */
export async function storedExamples(database: Database): Promise<{ id: string; text: string; category: string; urgent: boolean }[]> {
  return labelsToExamples(await createRoutingStore(database).labels());
}

export interface RoutingDepsIn {
  database: Database;
  org: OrgDirectory;
  taxonomy: Taxonomy;
  clock: Clock;
  audit: AuditLog;
  log: { info(o: object, msg: string): void; error(o: object, msg: string): void };
  classifier?: Classifier & { readonly version?: string };
  learning?: LearningOptions & {
    /** Retrain every night (default true when a model file is given). */
    nightly?: boolean;
    /** City time zone for the nightly run (default Europe/Andorra). */
    timeZone?: string;
    /** Hour of the nightly run, city time (default 3). */
    hour?: number;
  };
}

export interface Routing {
  service: RoutingService;
  registerRoutes(app: App): void;
  start(): void;
  /** Clears the nightly timer and stops a running retraining (its job ends failed, RETRAIN_STOPPED). */
  stop(): Promise<void>;
}

export function createRouting(k: RoutingDepsIn): Routing {
  const service = createRoutingService({ store: createRoutingStore(k.database), org: k.org, taxonomy: k.taxonomy, clock: k.clock, audit: k.audit, classifier: k.classifier, learning: k.learning });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return; // a nightly run that ends after stop() must not arm the timer again
    const wait = msUntilLocalHour(k.clock.now(), k.learning?.hour ?? 3, k.learning?.timeZone ?? 'Europe/Andorra');
    timer = setTimeout(() => {
      service.retrainNow(NIGHTLY_ACTOR)
        .then((r) => k.log.info({ retrain: r }, r.adopted ? 'classifier retrained and adopted' : 'classifier retrained; current model kept'))
        .catch((err: unknown) => k.log.error({ err }, 'nightly classifier retraining failed'))
        .finally(schedule);
    }, wait);
    timer.unref();
  };
  return {
    service,
    registerRoutes: (app) => registerRoutingRoutes(app, service),
    start() {
      if (service.classifier && k.learning?.modelFile && k.learning.nightly !== false) schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await service.stopRetraining();
    },
  };
}
