/**
 * The shape every part of the risk module (rules engine, alarms, forecasts,
 * risk map) hands to the module's index, and the services it exposes.
 */
import type { Migration } from '../../platform/db/index.js';
import type { App } from '../../platform/http/app.js';
import type { Kernel } from '../../platform/module.js';
import type { AuditLog } from '../../platform/audit/types.js';
import type { OrgDirectory } from '../../platform/auth/types.js';
import type { SensingService } from '../sensing/types.js';
import type { AlarmsService } from './alarms/index.js';
import type { RulesService } from './rules/index.js';
import type { ForecastService } from './forecast/index.js';
import type { RiskMapService } from './map/index.js';

export type RiskDeps = Kernel & { audit: AuditLog; org: OrgDirectory; sensing: SensingService };

export interface RiskPart {
  migrations: Migration[];
  registerRoutes?(app: App): void | Promise<void>;
  start?(): Promise<void>;
  /** After every module of the city has started (subscriptions of the modules that start later are in place). */
  ready?(): Promise<void>;
  stop?(): Promise<void>;
}

export interface RiskService {
  rules: RulesService;
  alarms: AlarmsService;
  forecast: ForecastService;
  map: RiskMapService;
}
