/** HTTP for forecasts (SPEC R2): a sensor's latest forecast with its intervals, and the standing forecast warnings. */
import { Type } from 'typebox';
import { toIso } from '../../../platform/clock.js';
import type { PrincipalRole } from '../../../platform/auth/roles.js';
import type { App } from '../../../platform/http/app.js';
import { SEVERITIES, type SensorForecast } from '../types.js';
import type { ForecastWarning } from './service.js';

const TAGS = ['forecasts'];
/** Staff who watch the city's risk read forecasts; nobody writes them. */
export const FORECAST_READERS: readonly PrincipalRole[] = ['admin', 'dispatcher', 'handler', 'leader', 'auditor'];

const PointWire = Type.Object({
  horizonMin: Type.Number({ description: 'Minutes ahead' }),
  at: Type.String({ format: 'date-time' }),
  value: Type.Number(),
  lower: Type.Number({ description: 'Lower end of the 80 % prediction interval' }),
  upper: Type.Number({ description: 'Upper end of the 80 % prediction interval' }),
});
const ForecastWire = Type.Object({
  sensorId: Type.String(), sensorClass: Type.String(), metric: Type.String(),
  madeAt: Type.String({ format: 'date-time' }),
  points: Type.Array(PointWire),
});
const WarningWire = Type.Object({
  sensorId: Type.String(), sensorClass: Type.String(), metric: Type.String(),
  ruleId: Type.String(), ruleVersion: Type.Integer(),
  op: Type.Union([Type.Literal('>'), Type.Literal('<')]), threshold: Type.Number(),
  severity: Type.String({ description: SEVERITIES.join(' | ') }),
  expectedAt: Type.String({ format: 'date-time', description: 'When the forecast crosses the threshold' }),
  value: Type.Number({ description: 'The most extreme forecast value' }),
  madeAt: Type.String({ format: 'date-time' }),
});

export const forecastWire = (f: SensorForecast) => ({
  sensorId: f.sensorId, sensorClass: f.sensorClass, metric: f.metric, madeAt: toIso(f.madeAt),
  points: f.points.map((p) => ({ horizonMin: p.horizonMin, at: toIso(p.at), value: p.value, lower: p.lower, upper: p.upper })),
});
export const warningWire = (w: ForecastWarning) => ({ ...w, expectedAt: toIso(w.expectedAt), madeAt: toIso(w.madeAt) });

export interface ForecastReader {
  forecast(sensorId: string): SensorForecast;
  warnings(): ForecastWarning[];
}

export function registerForecastRoutes(app: App, svc: ForecastReader): void {
  // Registered before /:sensorId for readability; Fastify prefers the static path either way.
  app.get('/api/v1/forecasts/warnings', {
    config: { access: FORECAST_READERS },
    schema: {
      tags: TAGS,
      summary: 'Standing forecast warnings: sensors whose forecast crosses a rule threshold, soonest crossing first',
      response: { 200: Type.Object({ items: Type.Array(WarningWire) }) },
    },
  }, async () => ({ items: svc.warnings().map(warningWire) }));

  app.get('/api/v1/forecasts/:sensorId', {
    config: { access: FORECAST_READERS },
    schema: {
      tags: TAGS,
      summary: 'Latest forecast of a traffic (15/30/45 min) or water-level (15 min – 3 h) sensor with 80 % prediction intervals',
      params: Type.Object({ sensorId: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: { 200: ForecastWire },
    },
  }, async (req) => forecastWire(svc.forecast(req.params.sensorId)));
}
