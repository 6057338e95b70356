/** Sensor registry (SPEC S1): devices, sensors, the in-memory directory, search and bulk import, wired together. */
import type { Kernel } from '../../../platform/module.js';
import type { AuditLog } from '../../../platform/audit/types.js';
import type { OrgDirectory } from '../../../platform/auth/types.js';
import type { Migration } from '../../../platform/db/index.js';
import type { App } from '../../../platform/http/app.js';
import type { ImportReport, SensorDirectory, SensorInput } from '../types.js';
import { createBulkService } from './bulk.service.js';
import { createDeviceService } from './devices.service.js';
import { registerDeviceRoutes } from './devices.routes.js';
import { DirectoryIndex } from './directory.js';
import type { SensorEntry } from './types.js';
import { createSensorService } from './sensors.service.js';
import { registerSensorRoutes } from './sensors.routes.js';
import type { RegistryContext } from './service.js';
import { createRegistryStore, migrations } from './store.js';

export interface Registry {
  migrations: Migration[];
  registerRoutes(app: App): void | Promise<void>;
  /** Load the in-memory directory from the store. */
  start(): Promise<void>;
  directory: SensorDirectory;
  upsertSensors(sensors: SensorInput[], actor: string): Promise<{ created: number; updated: number }>;
  importSensors(file: string, actor: string, onProgress?: (done: number, total: number) => void): Promise<ImportReport>;
}

export function createRegistry(k: Kernel & { audit: AuditLog; org: OrgDirectory }): Registry & {
  sensors: ReturnType<typeof createSensorService>;
  devices: ReturnType<typeof createDeviceService>;
  bulk: ReturnType<typeof createBulkService>;
  sensor(id: string): SensorEntry | undefined;
} {
  const index = new DirectoryIndex();
  const ctx: RegistryContext = {
    store: createRegistryStore(k.database),
    index,
    org: k.org,
    audit: k.audit,
    bus: k.bus,
    clock: k.clock,
    log: k.log,
    ownEvents: new Map(),
    listening: false,
  };
  const sensors = createSensorService(ctx);
  const devices = createDeviceService(ctx);
  const bulk = createBulkService(ctx);
  const directory: SensorDirectory = {
    byId: (id) => index.byId(id),
    byKey: (key) => index.byKey(key),
    all: () => index.all(),
    provision: (input, actor) => sensors.provision(input, actor),
  };
  return {
    migrations,
    async registerRoutes(app) {
      await registerSensorRoutes(app, sensors, bulk);
      registerDeviceRoutes(app, devices);
    },
    start: () => sensors.start(),
    directory,
    upsertSensors: (list, actor) => bulk.upsertSensors(list, actor),
    importSensors: (file, actor, onProgress) => bulk.importFile(file, actor, onProgress),
    sensors,
    devices,
    bulk,
    sensor: (id) => index.byId(id),
  };
}
