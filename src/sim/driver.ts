/**
 * The simulator at run time: every second it asks the value model for each
 * demo sensor's readings and hands them to sensing.ingest in-process, and it
 * keeps the injected incidents. Time comes from the injected Clock, so tests
 * call tick() after moving a ManualClock. Memory stays flat: nothing queues
 * up; a tick that would overlap the previous one, or that ingestion refuses as
 * busy, is skipped.
 */
import type { Logger } from 'pino';
import type { Bus } from '../platform/bus/types.js';
import type { Clock } from '../platform/clock.js';
import { isAppError, notFound, conflict } from '../platform/errors.js';
import type { Principal } from '../platform/auth/roles.js';
import type { OrgDirectory } from '../platform/auth/types.js';
import { bboxOf, type Area, type Position } from '../platform/geo/index.js';
import { newId } from '../platform/ids.js';
import { definitionFor } from '../modules/sensing/classes.js';
import type { SensingService, WireReading } from '../modules/sensing/types.js';
import { projection, type Projection } from './geometry.logic.js';
import { elapsedMin, incidentEffects, isFinished, parseIncidentRequest, planIncident, type FleetSensor } from './incidents.logic.js';
import { readingTimes, sensorValue, timeContext, type SensorSpec } from './model.logic.js';
import type { Placement } from './placement.logic.js';
import { createRng, gaussian } from '../platform/random.js';
import type { Incident } from './types.js';

export interface DriverDeps {
  clock: Clock;
  log: Logger;
  bus: Bus;
  sensing: SensingService;
  org: OrgDirectory;
  maxBatchReadings: number;
  rate: number;
  /** Simulated minutes per wall-clock minute for incidents. */
  timeScale: number;
  timeZone: string;
  seed?: number;
}

export interface SimStatus {
  loaded: boolean;
  running: boolean;
  sensors: number;
  rate: number;
  timeScale: number;
  timeZone: string;
  ticks: number;
  skippedTicks: number;
  readingsSent: number;
  readingsRejected: number;
  lastTickAt: number | null;
  activeIncidents: number;
  lastError: string | null;
}

export interface TickResult {
  sent: number;
  accepted: number;
  rejected: number;
  skipped: boolean;
}

type Sim = FleetSensor & SensorSpec;

export function createDriver(d: DriverDeps) {
  let fleet: Sim[] = [];
  let principal: Principal | null = null;
  let centre: Position = [0, 0];
  let bbox: [number, number, number, number] = [0, 0, 0, 0];
  let proj: Projection = projection(0);
  let rate = d.rate;
  let timeScale = d.timeScale;
  const rng = createRng(d.seed ?? 20260101);
  const incidents = new Map<string, Incident>();
  let timer: NodeJS.Timeout | null = null;
  /** start() was called: run the timer whenever the rate is above zero. */
  let wanted = false;
  let inFlight: Promise<TickResult> | null = null;
  let lastTick: number | null = null;
  const stats = { ticks: 0, skippedTicks: 0, readingsSent: 0, readingsRejected: 0, lastError: null as string | null };

  function requireLoaded(): void {
    if (fleet.length === 0) throw conflict('SIM_NOT_LOADED', 'The simulator has no demo city: it runs with `cityops demo` (or after buildDemoCity())');
  }

  /** End incidents whose effects have faded. */
  async function sweep(now: number): Promise<Array<{ inc: Incident; tau: number }>> {
    const live: Array<{ inc: Incident; tau: number }> = [];
    for (const inc of [...incidents.values()]) {
      if (!incidents.has(inc.id)) continue; // ended by a concurrent sweep
      const tau = elapsedMin(inc, now);
      if (isFinished(inc, tau)) {
        incidents.delete(inc.id);
        await d.bus.publish('IncidentEnded', { incidentId: inc.id, kind: inc.kind, endedAt: now, reason: 'finished' });
      } else live.push({ inc, tau });
    }
    return live;
  }

  async function runTick(): Promise<TickResult> {
    const now = d.clock.now();
    const span = lastTick === null ? 1000 : Math.max(0, Math.min(1000, now - lastTick));
    lastTick = now;
    const live = await sweep(now);
    if (fleet.length === 0 || rate <= 0 || !principal) return { sent: 0, accepted: 0, rejected: 0, skipped: false };
    stats.ticks++;
    const ctx = timeContext(now, d.timeZone);
    const fx = incidentEffects(live, fleet);
    const batch: WireReading[] = [];
    for (let i = 0; i < fleet.length; i++) {
      const s = fleet[i]!;
      // Each sensor reports on its own phase, so readings spread over the second.
      for (const ts of readingTimes(now, span, rate, s.profile.seed)) batch.push({ sensor: s.id, ts, value: sensorValue(s, ctx, gaussian(rng), fx.get(i)) });
    }
    const result: TickResult = { sent: 0, accepted: 0, rejected: 0, skipped: false };
    for (let i = 0; i < batch.length; i += d.maxBatchReadings) {
      const chunk = batch.slice(i, i + d.maxBatchReadings);
      try {
        const r = await d.sensing.ingest(chunk, principal);
        result.sent += chunk.length;
        result.accepted += r.accepted;
        result.rejected += r.rejected.length;
        if (r.rejected.length && stats.lastError !== r.rejected[0]!.reason) {
          stats.lastError = r.rejected[0]!.reason;
          d.log.warn({ rejected: r.rejected.length, first: r.rejected[0] }, 'simulator: readings rejected');
        }
      } catch (err) {
        if (isAppError(err) && err.code === 'SERVICE_BUSY') {
          result.skipped = true;
          stats.skippedTicks++;
          break;
        }
        stats.lastError = err instanceof Error ? err.message : String(err);
        d.log.error({ err }, 'simulator: ingest failed');
        result.skipped = true;
        stats.skippedTicks++;
        break;
      }
    }
    stats.readingsSent += result.sent;
    stats.readingsRejected += result.rejected;
    return result;
  }

  function syncTimer(): void {
    if (wanted && rate > 0 && !timer) {
      timer = setInterval(() => {
        void tick().catch((err: unknown) => d.log.error({ err }, 'simulator tick failed'));
      }, 1000);
      timer.unref?.();
    } else if ((!wanted || rate <= 0) && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  function tick(): Promise<TickResult> {
    if (inFlight) {
      stats.skippedTicks++;
      return Promise.resolve({ sent: 0, accepted: 0, rejected: 0, skipped: true });
    }
    const run = runTick().finally(() => {
      inFlight = null;
    });
    inFlight = run;
    return run;
  }

  return {
    /** Take the demo city's sensors (after buildDemoCity). */
    load(placement: Placement, asPrincipal: Principal): void {
      const out: Sim[] = [];
      for (const s of placement.sensors) {
        const def = definitionFor(s.class, s.metric);
        if (!def) continue;
        out.push({ id: s.id, class: s.class, metric: s.metric, p: [s.lon, s.lat], profile: s.profile, orgPath: null, min: def.min, max: def.max });
      }
      fleet = out;
      principal = asPrincipal;
      centre = placement.centre;
      bbox = placement.bbox;
      proj = projection((bbox[1] + bbox[3]) / 2);
    },

    /** One step: readings for the time since the last tick (at most a second's worth). */
    tick,

    start(): void {
      wanted = true;
      syncTimer();
    },

    async stop(): Promise<void> {
      wanted = false;
      syncTimer();
      await inFlight?.catch(() => undefined);
    },

    setRate(next: { rate?: number; timeScale?: number }): void {
      if (next.rate !== undefined) rate = next.rate;
      if (next.timeScale !== undefined) timeScale = next.timeScale;
      syncTimer();
    },

    async inject(raw: Record<string, unknown>): Promise<Incident> {
      const req = parseIncidentRequest(raw);
      requireLoaded();
      let areaCentre: Position | null = null;
      if (req.area) {
        const unit = await d.org.get(req.area);
        if (!unit) throw notFound('SIM_UNKNOWN_AREA', `area: no org unit ${req.area}; list them with GET /api/v1/org/units`);
        areaCentre = unit.boundary ? boxCentre(unit.boundary) : null;
        for (const s of fleet) s.orgPath = d.sensing.directory.byId(s.id)?.orgPath ?? null;
      }
      const inc = planIncident(req, fleet, { id: newId('inc'), now: d.clock.now(), timeScale, centre, bbox, proj, areaCentre });
      incidents.set(inc.id, inc);
      await d.bus.publish('IncidentInjected', {
        incidentId: inc.id, kind: inc.kind, at: inc.at, area: inc.area, radiusM: inc.radiusM, startedAt: inc.startedAt,
        durationMin: inc.durationMin, intensity: inc.intensity, timeScale: inc.timeScale, sensorIds: inc.affected.map((a) => fleet[a.index]!.id),
      });
      return inc;
    },

    async list(): Promise<Incident[]> {
      await sweep(d.clock.now());
      return [...incidents.values()];
    },

    async stopIncident(id: string): Promise<Incident> {
      const inc = incidents.get(id);
      if (!inc) throw notFound('SIM_INCIDENT_NOT_FOUND', `No active incident ${id}; list them with GET /api/v1/sim/incidents`);
      incidents.delete(id);
      await d.bus.publish('IncidentEnded', { incidentId: id, kind: inc.kind, endedAt: d.clock.now(), reason: 'stopped' });
      return inc;
    },

    sensorId(index: number): string | undefined {
      return fleet[index]?.id;
    },

    status(): SimStatus {
      return {
        loaded: fleet.length > 0, running: timer !== null, sensors: fleet.length, rate, timeScale, timeZone: d.timeZone,
        ticks: stats.ticks, skippedTicks: stats.skippedTicks, readingsSent: stats.readingsSent, readingsRejected: stats.readingsRejected,
        lastTickAt: lastTick, activeIncidents: incidents.size, lastError: stats.lastError,
      };
    },
  };
}

export type Driver = ReturnType<typeof createDriver>;

function boxCentre(area: Area): Position {
  const b = bboxOf(area);
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}
