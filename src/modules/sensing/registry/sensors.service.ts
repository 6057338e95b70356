/** Sensor use cases: create, read, update, delete, search, auto-provision, and keeping the directory current. */
import { badRequest, isAppError, notFound } from '../../../platform/errors.js';
import { parseBBox } from '../../../platform/geo/index.js';
import { isSensorClass } from '../classes.js';
import { SENSOR_CLASSES, type SensorClass, type SensorInput, type SensorRef, type SensorState } from '../types.js';
import { bboxAround, intersectBBox, parseNear, SEARCH_STATES, withinRadius } from './search.logic.js';
import { announce, ensureDevicesExist, withId, writeSensors, type Actor, type RegistryContext } from './service.js';
import type { SensorEntry, SensorFilter, SensorPage, SensorPatch, SensorQuery } from './types.js';
import { applySensorPatch, validateDepartment, validateSensor } from './validate.logic.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

const sensorNotFound = (id: string) => notFound('SENSOR_NOT_FOUND', `No sensor ${id}; list sensors with GET /api/v1/sensors`);

export function createSensorService(ctx: RegistryContext) {
  const inflight = new Map<string, Promise<SensorRef>>();

  async function filterOf(q: SensorQuery): Promise<{ filter: SensorFilter; empty: boolean; near?: ReturnType<typeof parseNear> }> {
    const filter: SensorFilter = {};
    if (q.class) {
      if (!isSensorClass(q.class)) throw badRequest('UNKNOWN_CLASS', `class: one of ${SENSOR_CLASSES.join(', ')}; got "${q.class}"`);
      filter.class = q.class as SensorClass;
    }
    if (q.metric) filter.metric = q.metric;
    if (q.state) {
      if (!SEARCH_STATES.includes(q.state as SensorState)) throw badRequest('BAD_STATE', `state: one of ${SEARCH_STATES.join(', ')}; got "${q.state}"`);
      filter.state = q.state as SensorState;
    }
    if (q.department) filter.department = validateDepartment(q.department) ?? undefined;
    if (q.area) {
      const unit = await ctx.org.get(q.area);
      if (!unit) throw badRequest('UNKNOWN_AREA', `area: no org unit ${q.area}; list them with GET /api/v1/org/units`);
      filter.pathPrefix = unit.path;
    }
    if (q.q) filter.q = q.q;
    let empty = false;
    if (q.bbox) filter.bbox = parseBBox(q.bbox);
    const near = q.near ? parseNear(q.near) : undefined;
    if (near) {
      const around = bboxAround(near);
      const box = filter.bbox ? intersectBBox(filter.bbox, around) : around;
      if (box) filter.bbox = box;
      else empty = true;
    }
    return { filter, empty, near };
  }

  const service = {
    async create(input: SensorInput, actor: Actor): Promise<SensorEntry> {
      const v = withId(validateSensor(input));
      await ensureDevicesExist(ctx, [v]);
      const { created } = await writeSensors(ctx, [v], true);
      const s = created[0]!;
      await ctx.audit.append({ actor, action: 'sensor.create', targetType: 'sensor', targetId: s.id, details: { class: s.class, metric: s.metric, key: s.key } });
      await announce(ctx, [{ sensorId: s.id, change: 'created' }]);
      return s;
    },

    async get(id: string): Promise<SensorEntry> {
      const s = await ctx.store.getSensor(id);
      if (!s) throw sensorNotFound(id);
      return s;
    },

    async update(id: string, patch: SensorPatch, actor: Actor): Promise<SensorEntry> {
      const old = await service.get(id);
      const v = withId(validateSensor(applySensorPatch(old, patch)));
      await ensureDevicesExist(ctx, [v]);
      const r = await writeSensors(ctx, [v]);
      const s = r.updated[0];
      if (!s) return old;
      const changed = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
      await ctx.audit.append({ actor, action: 'sensor.update', targetType: 'sensor', targetId: id, details: { fields: changed } });
      await announce(ctx, [{ sensorId: id, change: 'updated' }]);
      return s;
    },

    async remove(id: string, actor: Actor): Promise<void> {
      if (!(await ctx.store.deleteSensor(id))) throw sensorNotFound(id);
      ctx.index.delete(id);
      await ctx.audit.append({ actor, action: 'sensor.delete', targetType: 'sensor', targetId: id });
      await announce(ctx, [{ sensorId: id, change: 'deleted' }]);
    },

    async search(q: SensorQuery): Promise<SensorPage> {
      const limit = Math.min(Math.max(1, Math.trunc(q.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
      const offset = Math.max(0, Math.trunc(q.offset ?? 0));
      const { filter, empty, near } = await filterOf(q);
      if (empty) return { items: [], total: 0, limit, offset };
      if (!near) {
        const { rows, total } = await ctx.store.searchSensors(filter, { limit, offset });
        return { items: rows, total, limit, offset };
      }
      // The box pre-filter is done in SQL; the exact circle and the nearest-first order here.
      const { rows } = await ctx.store.searchSensors(filter);
      const hits = withinRadius(rows, near);
      return { items: hits.slice(offset, offset + limit), total: hits.length, limit, offset };
    },

    /** Register a sensor first seen from an auto-provisioning API key; concurrent calls for one id share the work. */
    provision(input: { id: string; class: SensorClass; metric?: string; lon?: number; lat?: number; department?: string | null }, actor: string): Promise<SensorRef> {
      const known = ctx.index.byId(input.id);
      if (known) return Promise.resolve(known);
      const pending = inflight.get(input.id);
      if (pending) return pending;
      const p = (async (): Promise<SensorRef> => {
        // Registered meanwhile by another process: never overwrite a real record with provisioning defaults.
        const stored = await ctx.store.getSensor(input.id);
        if (stored) {
          ctx.index.set(stored);
          return stored;
        }
        if (input.lon === undefined || input.lat === undefined || input.lon === null || input.lat === null) {
          throw badRequest('SENSOR_LOCATION_REQUIRED', `Sensor ${input.id} is unknown and cannot be registered without a location: send "lon" and "lat" with its readings, or register it with POST /api/v1/sensors`);
        }
        const v = withId(validateSensor({ id: input.id, name: input.id, class: input.class, metric: input.metric, location: { type: 'Point', coordinates: [input.lon, input.lat] }, department: input.department ?? null }));
        let s: SensorEntry;
        try {
          s = (await writeSensors(ctx, [v], true)).created[0]!;
        } catch (e) {
          const again = isAppError(e) && e.code === 'SENSOR_EXISTS' ? await ctx.store.getSensor(v.id) : null;
          if (!again) throw e;
          ctx.index.set(again);
          return again;
        }
        await ctx.audit.append({ actor, action: 'sensor.provision', targetType: 'sensor', targetId: s.id, details: { class: s.class, metric: s.metric, key: s.key } });
        await announce(ctx, [{ sensorId: s.id, change: 'created' }]);
        return s;
      })();
      inflight.set(input.id, p);
      void p.then(() => inflight.delete(input.id), () => inflight.delete(input.id));
      return p;
    },

    /** Load every sensor into the directory and follow changes made by other processes. */
    async start(): Promise<void> {
      for (const s of await ctx.store.loadAll()) ctx.index.setIfNewer(s);
      if (ctx.listening) return;
      await ctx.bus.subscribe('SensorChanged', async (ev) => {
        if (ctx.ownEvents.delete(ev.id)) return;
        const s = await ctx.store.getSensor(ev.payload.sensorId);
        if (s) ctx.index.set(s);
        else ctx.index.delete(ev.payload.sensorId);
      });
      ctx.listening = true;
    },
  };
  return service;
}

export type SensorService = ReturnType<typeof createSensorService>;
