/**
 * The rules part of the risk module (SPEC R1, and the stream side of R2):
 * rules as versioned data with their API, the stream engine that evaluates
 * them and the learned detectors on every reading, its checkpoints, and the
 * default rule set seeded on first start.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ASSETS_DIR } from '../../../config.js';
import type { Sensor } from '../../sensing/types.js';
import { CityDetector, createDetector } from '../detectors/detector.logic.js';
import type { DetectorState } from '../detectors/detector.logic.js';
import { RiskEngine, type DetectorFactory, type EngineOptions, type SensorMeta } from '../engine/engine.logic.js';
import { createEngineRunner, type RunnerOptions } from '../engine/runner.js';
import type { RiskDeps, RiskPart } from '../part.js';
import type { AlarmSink, RuleThresholds } from '../types.js';
import { registerRuleRoutes } from './routes.js';
import { createRulesService, type RuleCrud } from './service.js';
import { createRulesStore, migrations } from './store.js';

export { DEFAULT_RULES } from './defaults.js';

export type RulesService = RuleCrud & {
  /** Run the missing-data sweep now (the engine's timer does it every 10 s of clock time). */
  sweep(): void;
  /** Write the engine's changed state now (the timer does it every 5 min of clock time, and at stop). */
  checkpoint(): Promise<void>;
};

export interface RulesPartOptions {
  engine?: Partial<EngineOptions>;
  runner?: Partial<RunnerOptions>;
  /** Seed the default rules into an empty table at start (default true). */
  seed?: boolean;
}

const TAXONOMY_FILE = path.join(ASSETS_DIR, 'taxonomy/event-categories.json');

function categoryCodes(): Set<string> {
  const t = JSON.parse(readFileSync(TAXONOMY_FILE, 'utf8')) as { categories: Array<{ code: string }> };
  return new Set(t.categories.map((c) => c.code));
}

export const toMeta = (s: Sensor): SensorMeta => ({
  id: s.id, name: s.name, class: s.class, metric: s.metric, min: s.min, max: s.max, orgPath: s.orgPath,
  lon: s.location.coordinates[0], lat: s.location.coordinates[1], thresholds: s.thresholds, expectedIntervalS: s.expectedIntervalS,
  // Signals carry it, so the alarm service need not look it up for each new alarm.
  department: s.department ?? null,
});

/**
 * CityDetector through the engine's detector interface (state as JSON for checkpoints). Undamped:
 * its NAB tuning halves the scores after a detection, which would cut the run of high scores a
 * stream alarm waits for (the engine's holdReadings does the de-duplication instead).
 */
export const cityDetectors: DetectorFactory = {
  create: () => createDetector({ damp: 1 }),
  restore: (state) => CityDetector.fromJSON(state as DetectorState),
};

export function createRulesPart(deps: RiskDeps & { sink: AlarmSink }, opts: RulesPartOptions = {}): RiskPart & {
  thresholds: RuleThresholds;
  anomalyScores(): Map<string, { score: number; at: number }>;
  service: RulesService;
} {
  const store = createRulesStore(deps.database);
  const engine = new RiskEngine({
    emit: (s) => deps.sink.signal(s),
    meta: (id) => {
      const s = deps.sensing.sensor(id);
      return s && toMeta(s);
    },
    *metas() {
      for (const ref of deps.sensing.directory.all()) {
        const s = deps.sensing.sensor(ref.id);
        if (s) yield toMeta(s);
      }
    },
    detectors: cityDetectors,
    options: opts.engine,
  });
  const runner = createEngineRunner({ bus: deps.bus, clock: deps.clock, log: deps.log, engine, store, options: opts.runner });
  const crud = createRulesService({ store, engine, audit: deps.audit, org: deps.org, sensing: deps.sensing, clock: deps.clock, categories: categoryCodes() });
  const service: RulesService = { ...crud, sweep: () => runner.sweep(), checkpoint: () => runner.checkpoint() };
  const unsubs: Array<() => Promise<void>> = [];
  return {
    migrations,
    registerRoutes: (app) => registerRuleRoutes(app, crud),
    async start() {
      if (opts.seed !== false) await crud.seedDefaults();
      await crud.reload();
      await runner.start();
      // Broadcast, like the readings: every process running the engine re-arms its own state.
      unsubs.push(await deps.bus.subscribe('AlarmCleared', (e) => {
        if (e.payload.manual) engine.rearm(e.payload.ruleId, e.payload.sourceId);
      }));
    },
    async stop() {
      for (const u of unsubs.splice(0)) await u();
      await runner.stop();
    },
    thresholds: { forSensor: (id) => engine.thresholdsFor(id) },
    anomalyScores: () => engine.anomalyScores(),
    service,
  };
}
