/** Duplicates, recurrence and hotspots (SPEC E6, E7), wired over the events store and service. */
import type { Clock } from '../../../platform/clock.js';
import type { Database } from '../../../platform/db/index.js';
import type { EventService } from '../service.js';
import { createDuplicateService, type DuplicatesConfig } from './service.js';
import { createDuplicateStore } from './store.js';

export { duplicateMigrations } from './store.js';
export { registerDuplicateRoutes } from './routes.js';
export type { DuplicateService, DuplicatesConfig } from './service.js';

export function createDuplicates(database: Database, events: EventService, clock: Clock, config?: DuplicatesConfig) {
  return createDuplicateService({ store: createDuplicateStore(database), events, clock, config });
}
