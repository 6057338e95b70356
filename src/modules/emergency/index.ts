/** Emergency module (SPEC X): for now the OpenStreetMap road network that routing and the demo city use. */
import { ASSETS_DIR } from '../../config.js';
import type { AuditLog } from '../../platform/audit/types.js';
import type { CityModule, Kernel } from '../../platform/module.js';
import { registerRoadRoutes } from './routes.js';
import { createRoadService } from './service.js';
import { createRoadStore, migrations } from './store.js';
import type { RoadNetworkService } from './types.js';

export * from './types.js';
export { OSM_ATTRIBUTION } from './service.js';

export function createEmergencyModule(k: Kernel & { audit: AuditLog }): { module: CityModule; roads: RoadNetworkService } {
  const store = createRoadStore(k.database);
  const roads = createRoadService({ store, audit: k.audit, bus: k.bus, clock: k.clock });
  const module: CityModule = {
    name: 'emergency',
    migrations,
    registerRoutes: (app) => registerRoadRoutes(app, { roads, importRoots: () => [ASSETS_DIR, k.config.dataDir] }),
  };
  return { module, roads };
}
