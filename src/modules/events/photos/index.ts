/** Event photos (SPEC E1): local-folder file store under dataDir/photos, SQL rows, routes. */
import path from 'node:path';
import type { AuditLog } from '../../../platform/audit/types.js';
import type { Clock } from '../../../platform/clock.js';
import type { Database } from '../../../platform/db/index.js';
import type { EventService } from '../service.js';
import { createLocalFileStore } from './filestore.js';
import { createPhotoService } from './service.js';
import { createPhotoStore } from './store.js';
import type { FileStore } from './types.js';

export { photoMigrations } from './store.js';
export { registerPhotoRoutes } from './routes.js';
export type { PhotoService } from './service.js';
export type { FileStore, Photo, PhotoStage } from './types.js';

export interface PhotosDeps {
  database: Database;
  events: EventService;
  clock: Clock;
  audit: AuditLog;
  dataDir: string;
  maxBytes: number;
  /** Another file store (e.g. object storage); default: the folder dataDir/photos. */
  files?: FileStore;
}

export function createPhotos(d: PhotosDeps) {
  const files = d.files ?? createLocalFileStore(path.join(d.dataDir, 'photos'));
  return createPhotoService({ store: createPhotoStore(d.database), files, events: d.events, clock: d.clock, audit: d.audit, maxBytes: d.maxBytes });
}
