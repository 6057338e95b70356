/** The audit module: the hash-chained, append-only log every module writes to, and its HTTP API. */
import type { CityModule, Kernel } from '../module.js';
import { createAuditService } from './service.js';
import { registerAuditRoutes } from './routes.js';
import { createAuditStore, migrations } from './store.js';
import type { AuditLog } from './types.js';

export * from './types.js';

export function createAuditModule(k: Kernel): { module: CityModule; audit: AuditLog } {
  const audit = createAuditService({ store: createAuditStore(k.database), clock: k.clock, algorithm: k.config.auditHash, log: k.log });
  const module: CityModule = {
    name: 'audit',
    migrations,
    registerRoutes: (app) => registerAuditRoutes(app, audit),
    // Appends still queued must reach the store before it closes.
    stop: () => audit.flush(),
  };
  return { module, audit };
}
