/** Sensing module (SPEC S1–S4): registry, telemetry and live state, wired together. */
import type { CityModule, Kernel } from '../../platform/module.js';
import type { AuditLog } from '../../platform/audit/types.js';
import type { OrgDirectory } from '../../platform/auth/types.js';
import type { SensingService } from './types.js';
import { createRegistry } from './registry/index.js';
import { createTelemetry } from './telemetry/index.js';
import { createLive } from './live/index.js';

export * from './types.js';

export function createSensingModule(k: Kernel & { audit: AuditLog; org: OrgDirectory }): { module: CityModule; sensing: SensingService } {
  const registry = createRegistry(k);
  const telemetry = createTelemetry({ ...k, directory: registry.directory });
  const live = createLive({ ...k, directory: registry.directory, latest: telemetry.latest, ingest: telemetry.ingest });
  const module: CityModule = {
    name: 'sensing',
    migrations: [...registry.migrations, ...telemetry.migrations],
    async registerRoutes(app) {
      await registry.registerRoutes(app);
      await telemetry.registerRoutes(app);
      await live.registerRoutes(app);
    },
    async start() {
      await registry.start();
      await telemetry.start();
      await live.start();
    },
    async stop() {
      await live.stop();
      await telemetry.stop();
    },
  };
  const sensing: SensingService = {
    directory: registry.directory,
    sensor: (id) => registry.sensor(id),
    upsertSensors: registry.upsertSensors,
    importSensors: registry.importSensors,
    ingest: telemetry.ingest,
  };
  return { module, sensing };
}
