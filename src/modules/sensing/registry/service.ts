/**
 * What every registry use case shares: the dependencies, locating a point
 * in the org tree, writing validated sensors (store, then directory), and
 * announcing changes on the bus so other processes' directories follow.
 */
import type { Logger } from 'pino';
import type { AuditLog } from '../../../platform/audit/types.js';
import type { Principal } from '../../../platform/auth/roles.js';
import type { OrgDirectory } from '../../../platform/auth/types.js';
import type { Bus } from '../../../platform/bus/types.js';
import type { Clock } from '../../../platform/clock.js';
import { badRequest } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import type { Sensor, SensorChangedPayload } from '../types.js';
import type { DirectoryIndex } from './directory.js';
import type { RegistryStore } from './store.js';
import type { SensorEntry, ValidSensor } from './types.js';
import { sameSensor } from './validate.logic.js';

export type Actor = Principal | string;

export interface RegistryContext {
  store: RegistryStore;
  index: DirectoryIndex;
  org: OrgDirectory;
  audit: AuditLog;
  bus: Bus;
  clock: Clock;
  log: Logger;
  /** Ids of SensorChanged events this process published, so its own subscriber skips them. */
  ownEvents: Map<string, true>;
  /** True once start() subscribed to SensorChanged. */
  listening: boolean;
}

/** Beyond this many remembered own-event ids, the oldest are forgotten (bounded memory). */
const OWN_EVENTS_MAX = 50_000;
const PUBLISH_CHUNK = 500;

export function locate(ctx: RegistryContext, lon: number, lat: number): { orgUnitId: string | null; orgPath: string | null } {
  const u = ctx.org.locate([lon, lat]);
  return u ? { orgUnitId: u.id, orgPath: u.path } : { orgUnitId: null, orgPath: null };
}

export type Identified = ValidSensor & { id: string };

/** Give id-less inputs a fresh id. */
export function withId(v: ValidSensor): Identified {
  return v.id ? (v as Identified) : { ...v, id: newId('sen') };
}

export async function ensureDevicesExist(ctx: RegistryContext, sensors: Identified[]): Promise<void> {
  const wanted = sensors.map((s) => s.deviceId).filter((d): d is string => d !== null);
  if (wanted.length === 0) return;
  const found = await ctx.store.existingDeviceIds(wanted);
  const missing = [...new Set(wanted.filter((d) => !found.has(d)))];
  if (missing.length) throw badRequest('DEVICE_NOT_FOUND', `deviceId: no device ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}; create it first with POST /api/v1/devices`, { missing });
}

export interface WriteResult {
  created: SensorEntry[];
  updated: SensorEntry[];
  unchanged: number;
}

/**
 * Store validated sensors (insert or overwrite by id) and update the directory.
 * Sensors identical to what is stored are skipped, so re-applying the same
 * list (the demo city at every start) writes nothing and announces nothing.
 */
export async function writeSensors(ctx: RegistryContext, valid: Identified[], mustBeNew = false): Promise<WriteResult> {
  const existing = mustBeNew ? new Map<string, SensorEntry>() : await ctx.store.getSensors(valid.map((v) => v.id));
  const now = ctx.clock.now();
  const toWrite: Sensor[] = [];
  let unchanged = 0;
  for (const v of valid) {
    const where = locate(ctx, v.lon, v.lat);
    const old = existing.get(v.id);
    if (old && sameSensor(v, old) && old.orgUnitId === where.orgUnitId && old.orgPath === where.orgPath) {
      unchanged++;
      if (!ctx.index.byId(old.id)) ctx.index.set(old);
      continue;
    }
    const { lon, lat, ...rest } = v;
    toWrite.push({ ...rest, location: { type: 'Point', coordinates: [lon, lat] }, ...where, createdAt: old?.createdAt ?? now, updatedAt: now });
  }
  const saved = await ctx.store.saveSensors(toWrite, mustBeNew);
  const result: WriteResult = { created: [], updated: [], unchanged };
  for (const s of saved) {
    ctx.index.set(s);
    (existing.has(s.id) ? result.updated : result.created).push(s);
  }
  return result;
}

/** Publish SensorChanged for each change; a bus failure is logged, not thrown: the change is already stored. */
export async function announce(ctx: RegistryContext, changes: SensorChangedPayload[]): Promise<void> {
  for (let i = 0; i < changes.length; i += PUBLISH_CHUNK) {
    await Promise.all(
      changes.slice(i, i + PUBLISH_CHUNK).map(async (payload) => {
        const id = newId('evt');
        if (ctx.listening) {
          ctx.ownEvents.set(id, true);
          if (ctx.ownEvents.size > OWN_EVENTS_MAX) ctx.ownEvents.delete(ctx.ownEvents.keys().next().value!);
        }
        try {
          await ctx.bus.publish('SensorChanged', payload, { id });
        } catch (err) {
          ctx.ownEvents.delete(id);
          ctx.log.error({ err, sensorId: payload.sensorId }, 'could not publish SensorChanged');
        }
      }),
    );
  }
}

export function changesOf(r: WriteResult): SensorChangedPayload[] {
  return [
    ...r.created.map((s) => ({ sensorId: s.id, change: 'created' as const })),
    ...r.updated.map((s) => ({ sensorId: s.id, change: 'updated' as const })),
  ];
}
