/** Event statistics (web UI "statistics"), wired over the events tables. */
import type { OrgDirectory } from '../../../platform/auth/types.js';
import type { Clock } from '../../../platform/clock.js';
import type { Database } from '../../../platform/db/index.js';
import { createStatsService } from './service.js';
import { createStatsStore } from './store.js';

export { statsMigrations } from './store.js';
export { registerStatsRoutes } from './routes.js';
export type { StatsService, EventStats } from './service.js';

export function createStats(database: Database, org: OrgDirectory, clock: Clock) {
  return createStatsService({ store: createStatsStore(database), org, clock });
}
