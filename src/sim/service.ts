/** Simulator use cases behind the routes: inject and stop incidents, change the rate, each written to the audit log. */
import type { AuditLog } from '../platform/audit/types.js';
import type { Principal } from '../platform/auth/roles.js';
import type { Clock } from '../platform/clock.js';
import { badRequest } from '../platform/errors.js';
import type { Driver } from './driver.js';
import { elapsedMin, KIND_RULES } from './incidents.logic.js';
import type { Incident } from './types.js';

export function createSimService(d: { driver: Driver; audit: AuditLog; clock: Clock }) {
  const { driver } = d;
  return {
    async inject(body: Record<string, unknown>, actor: Principal): Promise<Incident> {
      const inc = await driver.inject(body);
      await d.audit.append({
        actor, action: 'sim.incident.inject', targetType: 'sim_incident', targetId: inc.id,
        details: { kind: inc.kind, at: inc.at, area: inc.area, durationMin: inc.durationMin, intensity: inc.intensity, sensors: inc.affected.length },
      });
      return inc;
    },

    list: () => driver.list(),

    async stop(id: string, actor: Principal): Promise<Incident> {
      const inc = await driver.stopIncident(id);
      await d.audit.append({ actor, action: 'sim.incident.stop', targetType: 'sim_incident', targetId: id, details: { kind: inc.kind } });
      return inc;
    },

    status: () => driver.status(),

    async setRate(body: { rate: unknown; timeScale?: unknown }, actor: Principal) {
      const { rate, timeScale } = body;
      if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 100) {
        throw badRequest('SIM_BAD_RATE', `rate: readings per sensor per second, a number from 0 (pause) to 100; got ${JSON.stringify(rate)}`);
      }
      if (timeScale !== undefined && (typeof timeScale !== 'number' || !Number.isFinite(timeScale) || timeScale < 1 || timeScale > 600)) {
        throw badRequest('SIM_BAD_TIME_SCALE', `timeScale: simulated minutes per wall-clock minute, a number from 1 to 600; got ${JSON.stringify(timeScale)}`);
      }
      driver.setRate({ rate, ...(timeScale !== undefined ? { timeScale } : {}) });
      await d.audit.append({ actor, action: 'sim.rate.set', targetType: 'simulator', details: { rate, timeScale: timeScale ?? null } });
      return driver.status();
    },

    /** An incident as the API shows it: plain data plus elapsed time, end time and sensor ids. */
    describe(inc: Incident) {
      const totalMin = inc.durationMin + KIND_RULES[inc.kind].recoverMin;
      return {
        id: inc.id, kind: inc.kind, at: inc.at, area: inc.area, radiusM: inc.radiusM, startedAt: inc.startedAt,
        durationMin: inc.durationMin, intensity: inc.intensity, timeScale: inc.timeScale,
        elapsedMin: Math.round(elapsedMin(inc, d.clock.now()) * 10) / 10,
        endsAt: inc.startedAt + Math.round((totalMin * 60_000) / inc.timeScale),
        sensorIds: inc.affected.map((a) => driver.sensorId(a.index) ?? '').filter(Boolean),
      };
    },
  };
}

export type SimService = ReturnType<typeof createSimService>;
