/**
 * Runs the stream engine inside the process: feeds it every ReadingsIngested
 * batch, re-binds on SensorChanged, sweeps for missing data and checkpoints
 * its state on the injected clock, restores the checkpoint at start.
 *
 * Subscriptions are broadcast, not a consumer group: a group would deal one
 * sensor's batches to different processes and break its windows, hold times
 * and detector. Each process that runs the engine keeps the whole city's state
 * (a few kB per sensor); the alarm service keeps one alarm per source and rule,
 * so the same signal from two processes is one alarm. Checkpoints from two
 * processes hold the same state; the last writer wins.
 */
import type { Logger } from 'pino';
import type { Bus } from '../../../platform/bus/types.js';
import type { Clock } from '../../../platform/clock.js';
import type { RulesStore } from '../rules/store.js';
import type { RiskEngine, SavedSensor } from './engine.logic.js';

export interface RunnerOptions {
  /** Real-time period of the housekeeping timer (null: none; tests call tick()). */
  tickEveryMs: number | null;
  /** Clock time between missing-data sweeps. */
  sweepEveryMs: number;
  /** Clock time between checkpoints. */
  checkpointEveryMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = { tickEveryMs: 1_000, sweepEveryMs: 10_000, checkpointEveryMs: 5 * 60_000 };

export interface RunnerDeps {
  bus: Bus;
  clock: Clock;
  log: Logger;
  engine: RiskEngine;
  store: RulesStore;
  options?: Partial<RunnerOptions>;
}

export function createEngineRunner(d: RunnerDeps) {
  const opt = { ...DEFAULT_RUNNER_OPTIONS, ...d.options };
  const unsubscribe: Array<() => Promise<void>> = [];
  let timer: NodeJS.Timeout | undefined;
  let lastSweep = 0;
  let lastCheckpoint = 0;
  let saving: Promise<void> = Promise.resolve();

  /** Writes the states changed since the last checkpoint; calls queue behind one another. */
  function checkpoint(): Promise<void> {
    saving = saving.catch(() => undefined).then(async () => {
      const now = d.clock.now();
      lastCheckpoint = now;
      // Serialised at once: the engine keeps changing its live objects while the write awaits the store.
      const states = d.engine.snapshot().map((s) => ({ sensorId: s.sensorId, json: JSON.stringify(s.state) }));
      await d.store.saveStates(states, now);
    });
    return saving;
  }

  function tick(): void {
    const now = d.clock.now();
    if (now - lastSweep >= opt.sweepEveryMs) {
      lastSweep = now;
      d.engine.sweep(now);
    }
    if (now - lastCheckpoint >= opt.checkpointEveryMs) checkpoint().catch((err: unknown) => d.log.error({ err }, 'risk engine checkpoint failed'));
  }

  return {
    async start(): Promise<void> {
      const saved = await d.store.loadStates();
      d.engine.restore(saved as Array<{ sensorId: string; state: SavedSensor }>);
      lastSweep = lastCheckpoint = d.clock.now();
      d.engine.prepare(lastSweep);
      unsubscribe.push(await d.bus.subscribe('ReadingsIngested', (ev) => {
        const p = ev.payload;
        try {
          d.engine.ingest(p.sensorIds, p.ts, p.values, d.clock.now());
        } catch (err) {
          // Logged, not thrown: a redelivery would feed the readings it already took a second time.
          d.log.error({ err, event: ev.id }, 'risk engine failed on a batch of readings');
        }
      }));
      unsubscribe.push(await d.bus.subscribe('SensorChanged', () => d.engine.sensorsChanged()));
      if (opt.tickEveryMs !== null) {
        timer = setInterval(() => {
          try {
            tick();
          } catch (err) {
            d.log.error({ err }, 'risk engine sweep failed');
          }
        }, opt.tickEveryMs);
        timer.unref();
      }
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      for (const u of unsubscribe.splice(0)) await u();
      await checkpoint();
    },
    /** Missing-data sweep now (tests; the timer does it on the clock). */
    sweep(): void {
      lastSweep = d.clock.now();
      d.engine.sweep(lastSweep);
    },
    checkpoint,
    tick,
  };
}

export type EngineRunner = ReturnType<typeof createEngineRunner>;
