/**
 * The risk map part of the risk module (SPEC R4): scoring over the other
 * parts' in-memory state, snapshots on the clock for the time slider, routes.
 */
import type { RiskInputs } from '../types.js';
import type { RiskDeps, RiskPart } from '../part.js';
import { registerRiskMapRoutes } from './routes.js';
import { createRiskMapService, type RiskMapOptions, type RiskMapService as Service } from './service.js';
import { createRiskMapStore, mapMigrations } from './store.js';

export type RiskMapService = Service;

/** How often the timer asks whether a snapshot is due (the clock decides whether one is). */
const CHECK_EVERY_MS = 5_000;

export function createRiskMapPart(deps: RiskDeps & { inputs: RiskInputs }, opts: RiskMapOptions = {}): RiskPart & { service: RiskMapService } {
  const store = createRiskMapStore(deps.database);
  const service = createRiskMapService({ store, org: deps.org, clock: deps.clock, directory: deps.sensing.directory, inputs: deps.inputs, log: deps.log }, opts);
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  return {
    migrations: mapMigrations,
    service,
    registerRoutes: (app) => registerRiskMapRoutes(app, service),
    async start() {
      timer = setInterval(() => {
        if (busy) return;
        busy = true;
        service.snapshotIfDue().catch((err: unknown) => deps.log.error({ err }, 'risk map snapshot failed')).finally(() => { busy = false; });
      }, CHECK_EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
    },
  };
}
