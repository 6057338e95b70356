/** The demo city: generator and live data simulator (placeholder until implemented). */
import type { CityModule, Kernel } from '../platform/module.js';
import type { AuditLog } from '../platform/audit/types.js';
import type { AuthService } from '../platform/auth/types.js';
import type { SensingService } from '../modules/sensing/types.js';
import type { RoadNetworkService } from '../modules/emergency/types.js';

export interface DemoCityReport {
  /** Logins of the demo users, printed at start. */
  logins: Array<{ username: string; password: string; role: string }>;
  districts: number;
  streets: number;
  grids: number;
  sensors: number;
}

export interface Simulator {
  /** Build (or reuse) the demo city in the store. */
  buildDemoCity(): Promise<DemoCityReport>;
  start(): void;
  stop(): Promise<void>;
}

export function createSimModule(_k: Kernel & { audit: AuditLog; auth: AuthService; sensing: SensingService; roads: RoadNetworkService }): { module: CityModule; sim: Simulator } {
  const sim: Simulator = {
    buildDemoCity: async () => ({ logins: [], districts: 0, streets: 0, grids: 0, sensors: 0 }),
    start: () => undefined,
    stop: async () => undefined,
  };
  return { module: { name: 'sim', migrations: [] }, sim };
}
