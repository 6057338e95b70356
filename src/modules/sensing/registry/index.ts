/** Sensor registry (SPEC S1): devices, sensors, bulk import (placeholder until implemented). */
import type { Kernel } from '../../../platform/module.js';
import type { AuditLog } from '../../../platform/audit/types.js';
import type { OrgDirectory } from '../../../platform/auth/types.js';
import type { Migration } from '../../../platform/db/index.js';
import type { App } from '../../../platform/http/app.js';
import type { ImportReport, SensorDirectory, SensorInput } from '../types.js';

export interface Registry {
  migrations: Migration[];
  registerRoutes(app: App): void | Promise<void>;
  /** Load the in-memory directory from the store. */
  start(): Promise<void>;
  directory: SensorDirectory;
  upsertSensors(sensors: SensorInput[], actor: string): Promise<{ created: number; updated: number }>;
  importSensors(file: string, actor: string, onProgress?: (done: number, total: number) => void): Promise<ImportReport>;
}

export function createRegistry(_k: Kernel & { audit: AuditLog; org: OrgDirectory }): Registry {
  const notYet = async (): Promise<never> => {
    throw new Error('registry not implemented');
  };
  return {
    migrations: [],
    registerRoutes: () => undefined,
    start: async () => undefined,
    directory: { byId: () => undefined, byKey: () => undefined, all: () => [], provision: notYet },
    upsertSensors: notYet,
    importSensors: notYet,
  };
}
