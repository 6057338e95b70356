/**
 * Risk module (SPEC R1–R4): rules and learned detectors evaluated on the
 * reading stream (engine/), alarms with their lifecycle and flood control
 * (alarms/), forecasts and forecast warnings (forecast/) and the risk map
 * (map/). Readings arrive on the bus (ReadingsIngested); city events are
 * opened by publishing AlarmEventRequested — the events module owns events.
 * The settings (flood control, detector alarm, forecast cadence) come from
 * src/config.ts.
 */
import type { CityModule, Kernel } from '../../platform/module.js';
import type { AuditLog } from '../../platform/audit/types.js';
import type { OrgDirectory } from '../../platform/auth/types.js';
import type { SensingService } from '../sensing/types.js';
import { createAlarmsPart } from './alarms/index.js';
import { createRulesPart } from './rules/index.js';
import { createForecastPart } from './forecast/index.js';
import { createRiskMapPart } from './map/index.js';
import { DEFAULT_ENGINE_OPTIONS } from './engine/engine.logic.js';
import type { RiskDeps, RiskService } from './part.js';
import type { Alarm } from './types.js';

export * from './types.js';
export type { RiskService } from './part.js';

export function createRiskModule(k: Kernel & { audit: AuditLog; org: OrgDirectory; sensing: SensingService }): { module: CityModule; risk: RiskService } {
  const deps: RiskDeps = k;
  const c = k.config;
  // The rules part is built after the alarms part (it signals into it); the category is only asked for once both exist.
  let categoryOf: (a: Alarm) => Promise<string | null> = async () => null;
  const alarms = createAlarmsPart(deps, {
    flood: { maxAlarms: c.alarmFloodLimit, windowMs: c.alarmFloodWindowS * 1000 },
    eventCategory: (a) => categoryOf(a),
  });
  const detectorAlarm = {
    ...DEFAULT_ENGINE_OPTIONS.detectorAlarm,
    raiseLevel: c.detectorAlarmLevel,
    holdReadings: c.detectorAlarmHold,
    // The alarm clears below its calm level, never above the level that raises it.
    clearLevel: Math.min(DEFAULT_ENGINE_OPTIONS.detectorAlarm.clearLevel, c.detectorAlarmLevel),
  };
  const rules = createRulesPart({ ...deps, sink: alarms.sink }, { engine: { detectorAlarm } });
  categoryOf = (a) => rules.service.eventCategory(a.ruleId, a.ruleVersion);
  const forecast = createForecastPart({ ...deps, sink: alarms.sink, thresholds: rules.thresholds }, { cadenceMs: c.forecastCadenceS * 1000 });
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
    async ready() {
      for (const p of parts) await p.ready?.();
    },
    async stop() {
      for (const p of [...parts].reverse()) await p.stop?.();
    },
  };
  return { module, risk: { rules: rules.service, alarms: alarms.service, forecast: forecast.service, map: map.service } };
}
