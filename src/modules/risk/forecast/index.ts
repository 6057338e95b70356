/**
 * The forecast part of the risk module (SPEC R2): per-sensor forecasters fed
 * by the reading stream (broadcast: every process forecasts what it sees),
 * forecast warnings signalled to the alarm service, the routes, and
 * checkpoints of the models (periodically and at stop, restored at start).
 */
import type { RiskDeps, RiskPart } from '../part.js';
import type { AlarmSink, RuleThresholds, Severity } from '../types.js';
import { registerForecastRoutes } from './routes.js';
import { createForecastService, type ForecastEngine, type ForecastOptions } from './service.js';
import { createForecastStore, migrations } from './store.js';

export type ForecastService = ForecastEngine;
export type { ForecastWarning, ForecastOptions } from './service.js';

export interface ForecastPartOptions extends Partial<ForecastOptions> {
  /** Wall-clock interval between checkpoints (a timer: checkpoints need no simulated time). */
  checkpointEveryMs?: number;
}

export function createForecastPart(
  deps: RiskDeps & { sink: AlarmSink; thresholds: RuleThresholds },
  opts: ForecastPartOptions = {},
): RiskPart & { warnings(): Map<string, { severity: Severity; expectedAt: number; value: number }>; service: ForecastService } {
  const store = createForecastStore(deps.database);
  const log = deps.log.child({ module: 'risk.forecast' });
  const service = createForecastService({ clock: deps.clock, log, directory: deps.sensing.directory, thresholds: deps.thresholds, sink: deps.sink, store, options: opts });
  const unsubs: Array<() => Promise<void>> = [];
  let timer: NodeJS.Timeout | undefined;
  const checkpoint = () => service.checkpoint().catch((err: unknown) => log.error({ err }, 'forecast checkpoint failed'));

  return {
    migrations,
    service,
    warnings: () => service.warningsBySensor(),
    registerRoutes: (app) => registerForecastRoutes(app, service),
    async start() {
      await service.restore();
      unsubs.push(await deps.bus.subscribe('ReadingsIngested', (e) => service.onReadings(e.payload)));
      // An operator cleared a forecast warning that still stands: the next forecast that still crosses raises it anew.
      unsubs.push(await deps.bus.subscribe('AlarmCleared', (e) => {
        if (e.payload.manual) service.rearm(e.payload.ruleId, e.payload.sourceId);
      }));
      timer = setInterval(() => void checkpoint(), opts.checkpointEveryMs ?? 5 * 60_000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      for (const u of unsubs.splice(0)) await u();
      await checkpoint();
    },
  };
}
