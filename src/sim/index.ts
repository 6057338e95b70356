/**
 * The demo city (SPEC S6): builds a plausible city on a real road network and
 * runs a simulator that streams readings and injects incidents on command.
 */
import type { CityModule, Kernel } from '../platform/module.js';
import type { AuditLog } from '../platform/audit/types.js';
import type { AuthService } from '../platform/auth/types.js';
import type { SensingService, SensorClass } from '../modules/sensing/types.js';
import type { RoadNetworkService } from '../modules/emergency/types.js';
import { buildCity } from './city.js';
import { createDriver, type SimStatus, type TickResult } from './driver.js';
import { registerSimRoutes } from './routes.js';
import { createSimService } from './service.js';
import { createSimStore, migrations } from './store.js';
import type { Incident } from './types.js';

export * from './types.js';
export type { SimStatus, TickResult } from './driver.js';

export interface DemoCityReport {
  /** Logins of the demo users, printed at start. */
  logins: Array<{ username: string; password: string; role: string }>;
  districts: number;
  streets: number;
  grids: number;
  sensors: number;
  /** Sensors per class. */
  sensorsByClass: Record<SensorClass, number>;
  /** Sensors created by this build (0 when everything existed already). */
  sensorsCreated: number;
  /** Wall-clock milliseconds the build took. */
  buildMs: number;
}

export interface Simulator {
  /** Build (or reuse) the demo city in the store. */
  buildDemoCity(): Promise<DemoCityReport>;
  start(): void;
  stop(): Promise<void>;
  /** One simulation step at the clock's current time (the timer calls it every second; tests call it directly). */
  tick(): Promise<TickResult>;
  status(): SimStatus;
  inject(request: { kind: string; at?: [number, number]; area?: string; durationMin?: number; intensity?: number }): Promise<Incident>;
  incidents(): Promise<Incident[]>;
  stopIncident(id: string): Promise<Incident>;
  setRate(next: { rate?: number; timeScale?: number }): void;
}

export interface SimOptions {
  /** IANA time zone of the city, for its daily rhythm (default Europe/Andorra). */
  timeZone?: string;
  /** Simulated minutes per wall-clock minute for incidents (default 30: a one-hour storm plays in two minutes). */
  timeScale?: number;
}

export function createSimModule(k: Kernel & { audit: AuditLog; auth: AuthService; sensing: SensingService; roads: RoadNetworkService; sim?: SimOptions }): { module: CityModule; sim: Simulator } {
  const store = createSimStore(k.database);
  const driver = createDriver({
    clock: k.clock, log: k.log, bus: k.bus, sensing: k.sensing, org: k.auth,
    maxBatchReadings: k.config.maxBatchReadings, rate: k.config.simRate,
    timeScale: k.sim?.timeScale ?? 30, timeZone: k.sim?.timeZone ?? 'Europe/Andorra',
  });
  const service = createSimService({ driver, audit: k.audit, clock: k.clock });

  const sim: Simulator = {
    async buildDemoCity() {
      const t0 = performance.now();
      const city = await buildCity({ config: k.config, clock: k.clock, log: k.log, auth: k.auth, sensing: k.sensing, roads: k.roads, store });
      driver.load(city.placement, city.principal);
      return {
        logins: city.logins,
        districts: city.districts,
        streets: city.streets,
        grids: city.grids,
        sensors: city.placement.sensors.length,
        sensorsByClass: city.placement.counts,
        sensorsCreated: city.sensorsCreated,
        buildMs: Math.round(performance.now() - t0),
      };
    },
    start: () => driver.start(),
    stop: () => driver.stop(),
    tick: () => driver.tick(),
    status: () => driver.status(),
    inject: (request) => driver.inject(request as Record<string, unknown>),
    incidents: () => driver.list(),
    stopIncident: (id) => driver.stopIncident(id),
    setRate: (next) => driver.setRate(next),
  };

  const module: CityModule = {
    name: 'sim',
    migrations,
    registerRoutes: (app) => registerSimRoutes(app, service),
    stop: () => driver.stop(),
  };
  return { module, sim };
}
