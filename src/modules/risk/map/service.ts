/**
 * The risk map (SPEC R4): current risk per district, street and grid from the
 * in-memory inputs (active alarms, anomaly scores, forecast warnings), and
 * snapshots taken on the injected clock (every minute by default, compact,
 * kept for a week) that the time slider reads back.
 */
import type { Logger } from 'pino';
import type { OrgDirectory } from '../../../platform/auth/types.js';
import type { Clock } from '../../../platform/clock.js';
import { badRequest, notFound } from '../../../platform/errors.js';
import type { SensorDirectory } from '../../sensing/types.js';
import type { AreaRisk, RiskInputs } from '../types.js';
import { RISK_LEVELS, contributions, scoreAreas, type RiskLevel } from './score.logic.js';
import type { RiskMapStore } from './store.js';

export interface RiskMapOptions {
  snapshotEveryMs?: number;
  retentionMs?: number;
}

export interface RiskMapDeps {
  store: RiskMapStore;
  org: OrgDirectory;
  clock: Clock;
  directory: SensorDirectory;
  inputs: RiskInputs;
  log: Logger;
}

const ORG_CACHE_MS = 60_000;
const MAX_HISTORY_MS = 31 * 86_400_000;
const MAX_POINTS = 50_000;

export function createRiskMapService(d: RiskMapDeps, opts: RiskMapOptions = {}) {
  const every = opts.snapshotEveryMs ?? 60_000;
  const retention = opts.retentionMs ?? 7 * 86_400_000;
  let levels: { at: number; byId: Map<string, RiskLevel | 'city'> } | null = null;
  let lastSnapshot: number | null = null;

  /** Unit id → level; the org tree rarely changes, so it is re-read at most once a minute. */
  async function levelIndex(now: number) {
    if (!levels || now - levels.at >= ORG_CACHE_MS || now < levels.at) {
      const units = await d.org.list();
      levels = { at: now, byId: new Map(units.map((u) => [u.id, u.level as RiskLevel | 'city'])) };
    }
    return levels.byId;
  }

  async function compute(now: number, which: readonly RiskLevel[]): Promise<AreaRisk[]> {
    const cs = contributions({
      now, alarms: d.inputs.activeAlarms(), anomalies: d.inputs.anomalyScores(), warnings: d.inputs.forecastWarnings(),
      sensor: (id) => d.directory.byId(id),
    });
    const byId = await levelIndex(now);
    return which.flatMap((l) => scoreAreas(cs, l, (id) => byId.get(id)));
  }

  // Snapshots run one at a time (the timer and a caller may ask at once).
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };

  const snapshot = () => serial(takeSnapshot);

  async function takeSnapshot(): Promise<{ at: number; areas: number }> {
    const at = d.clock.now();
    const areas = await compute(at, RISK_LEVELS);
    await d.store.write(at, areas, at - retention);
    lastSnapshot = at;
    return { at, areas: areas.length };
  }

  return {
    /** Current risk (no `at`), or the snapshot at or before `at`. Areas not listed have risk 0. */
    async map(level: RiskLevel, at?: number): Promise<{ at: number; snapshotAt: number | null; areas: AreaRisk[] }> {
      const now = d.clock.now();
      if (at === undefined || at >= now) return { at: now, snapshotAt: null, areas: await compute(now, [level]) };
      const snap = await d.store.snapshotAt(at);
      return { at, snapshotAt: snap, areas: snap === null ? [] : await d.store.areas(snap, level) };
    },

    async history(orgUnitId: string, from: number | undefined, to: number | undefined) {
      const unit = await d.org.get(orgUnitId);
      if (!unit) throw notFound('ORG_UNIT_NOT_FOUND', `orgUnitId: no org unit ${orgUnitId}`);
      const end = to ?? d.clock.now();
      const start = from ?? end - 3_600_000;
      if (start > end) throw badRequest('BAD_RANGE', '"from" must be before "to"');
      if (end - start > MAX_HISTORY_MS) throw badRequest('BAD_RANGE', 'Ask for at most 31 days at a time');
      return { orgUnitId, level: unit.level, from: start, to: end, points: await d.store.history(orgUnitId, start, end, MAX_POINTS) };
    },

    snapshot,

    /** Take a snapshot if one is due on the clock (the timer calls this often; the clock decides). */
    snapshotIfDue: (): Promise<boolean> => serial(async () => {
      const now = d.clock.now();
      if (lastSnapshot === null) lastSnapshot = await d.store.latestAt();
      if (lastSnapshot !== null && now - lastSnapshot < every && now >= lastSnapshot) return false;
      await takeSnapshot();
      return true;
    }),
  };
}

export type RiskMapService = ReturnType<typeof createRiskMapService>;
