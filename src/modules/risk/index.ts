/**
 * Risk module (SPEC R1–R4): rules and learned detectors evaluated on the
 * reading stream (engine/), alarms with their lifecycle and flood control
 * (alarms/), forecasts and forecast warnings (forecast/) and the risk map
 * (map/). Readings arrive on the bus (ReadingsIngested); city events are
 * opened by publishing AlarmEventRequested — the events module owns events.
 */
import type { CityModule, Kernel } from '../../platform/module.js';
import type { AuditLog } from '../../platform/audit/types.js';
import type { OrgDirectory } from '../../platform/auth/types.js';
import type { SensingService } from '../sensing/types.js';
import { createAlarmsPart } from './alarms/index.js';
import { createRulesPart } from './rules/index.js';
import { createForecastPart } from './forecast/index.js';
import { createRiskMapPart } from './map/index.js';
import type { RiskDeps, RiskService } from './part.js';

export * from './types.js';
export type { RiskService } from './part.js';

export function createRiskModule(k: Kernel & { audit: AuditLog; org: OrgDirectory; sensing: SensingService }): { module: CityModule; risk: RiskService } {
  const deps: RiskDeps = k;
  const alarms = createAlarmsPart(deps);
  const rules = createRulesPart({ ...deps, sink: alarms.sink });
  const forecast = createForecastPart({ ...deps, sink: alarms.sink, thresholds: rules.thresholds });
  const map = createRiskMapPart({ ...deps, inputs: { activeAlarms: alarms.active, anomalyScores: rules.anomalyScores, forecastWarnings: forecast.warnings } });
  const parts = [alarms, rules, forecast, map];
  const module: CityModule = {
    name: 'risk',
    migrations: parts.flatMap((p) => p.migrations),
    async registerRoutes(app) {
      for (const p of parts) await p.registerRoutes?.(app);
    },
    async start() {
      for (const p of parts) await p.start?.();
    },
    async stop() {
      for (const p of [...parts].reverse()) await p.stop?.();
    },
  };
  return { module, risk: { rules: rules.service, alarms: alarms.service, forecast: forecast.service, map: map.service } };
}
