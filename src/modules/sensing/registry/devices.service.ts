/** Device use cases: a device is the physical box (a weather station, a gateway) that carries sensors. */
import { conflict, notFound } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import type { Device } from '../types.js';
import type { Actor, RegistryContext } from './service.js';
import type { DeviceFilter, DeviceInput, DevicePatch } from './types.js';
import { validateDepartment, validateDevice, type ValidDevice } from './validate.logic.js';

const deviceNotFound = (id: string) => notFound('DEVICE_NOT_FOUND', `No device ${id}; list devices with GET /api/v1/devices`);

export function createDeviceService(ctx: RegistryContext) {
  const build = (v: ValidDevice & { id: string }, createdAt: number): Device => ({
    id: v.id,
    name: v.name,
    kind: v.kind,
    location: { type: 'Point', coordinates: [v.lon, v.lat] },
    department: v.department,
    orgUnitId: ctx.org.locate([v.lon, v.lat])?.id ?? null,
    createdAt,
  });

  const service = {
    async create(input: DeviceInput, actor: Actor): Promise<Device> {
      const v = validateDevice(input);
      const d = build({ ...v, id: v.id ?? newId('dev') }, ctx.clock.now());
      await ctx.store.insertDevice(d);
      await ctx.audit.append({ actor, action: 'device.create', targetType: 'device', targetId: d.id, details: { kind: d.kind } });
      return d;
    },

    async get(id: string): Promise<Device> {
      const d = await ctx.store.getDevice(id);
      if (!d) throw deviceNotFound(id);
      return d;
    },

    list(f: DeviceFilter): Promise<{ rows: Device[]; total: number }> {
      return ctx.store.listDevices({ ...f, department: validateDepartment(f.department) ?? undefined });
    },

    async update(id: string, patch: DevicePatch, actor: Actor): Promise<Device> {
      const old = await service.get(id);
      const pick = <K extends keyof DevicePatch>(k: K, dflt: DeviceInput[K]) => (patch[k] !== undefined ? patch[k] : dflt);
      const v = validateDevice({
        id,
        name: pick('name', old.name)!,
        kind: pick('kind', old.kind)!,
        location: pick('location', old.location)!,
        department: pick('department', old.department),
      });
      const d = build({ ...v, id }, old.createdAt);
      await ctx.store.updateDevice(d);
      await ctx.audit.append({ actor, action: 'device.update', targetType: 'device', targetId: id, details: { fields: Object.keys(patch) } });
      return d;
    },

    /** A device still carrying sensors is not deleted: its sensors would point at nothing. */
    async remove(id: string, actor: Actor): Promise<void> {
      await service.get(id);
      const n = await ctx.store.countSensorsOfDevice(id);
      if (n > 0) throw conflict('DEVICE_IN_USE', `Device ${id} carries ${n} sensor(s); delete them or move them to another device (PATCH deviceId) first`, { sensors: n });
      if (!(await ctx.store.deleteDevice(id))) throw deviceNotFound(id);
      await ctx.audit.append({ actor, action: 'device.delete', targetType: 'device', targetId: id });
    },
  };
  return service;
}

export type DeviceService = ReturnType<typeof createDeviceService>;
