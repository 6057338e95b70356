/** HTTP routes for devices: the physical boxes that carry sensors. */
import { Type } from 'typebox';
import { principalOf, type App } from '../../../platform/http/app.js';
import type { DeviceService } from './devices.service.js';
import { DeviceCreateBody, DevicePatchBody, DeviceQueryString, DeviceWire, IdParams, deviceToWire } from './schemas.js';
import { READ_ROLES, WRITE_ROLES } from './sensors.routes.js';
import type { DeviceInput, DevicePatch } from './types.js';

const tags = ['sensing'];

export function registerDeviceRoutes(app: App, devices: DeviceService): void {
  app.get('/api/v1/devices', {
    config: { access: READ_ROLES },
    schema: {
      tags,
      summary: 'List devices, filtered by kind, department or name',
      querystring: DeviceQueryString,
      response: { 200: Type.Object({ items: Type.Array(DeviceWire), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }) },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    const offset = req.query.offset ?? 0;
    const { rows, total } = await devices.list({ kind: req.query.kind, department: req.query.department, q: req.query.q, limit, offset });
    return { items: rows.map(deviceToWire), total, limit, offset };
  });

  app.post('/api/v1/devices', {
    config: { access: WRITE_ROLES },
    schema: { tags, summary: 'Register a device (409 DEVICE_EXISTS when the id is taken)', body: DeviceCreateBody, response: { 201: DeviceWire } },
  }, async (req, reply) => reply.status(201).send(deviceToWire(await devices.create(req.body as unknown as DeviceInput, principalOf(req)))));

  app.get('/api/v1/devices/:id', {
    config: { access: READ_ROLES },
    schema: { tags, summary: 'One device (404 DEVICE_NOT_FOUND)', params: IdParams, response: { 200: DeviceWire } },
  }, async (req) => deviceToWire(await devices.get(req.params.id)));

  app.patch('/api/v1/devices/:id', {
    config: { access: WRITE_ROLES },
    schema: { tags, summary: 'Change a device', params: IdParams, body: DevicePatchBody, response: { 200: DeviceWire } },
  }, async (req) => deviceToWire(await devices.update(req.params.id, req.body as unknown as DevicePatch, principalOf(req))));

  app.delete('/api/v1/devices/:id', {
    config: { access: WRITE_ROLES },
    schema: { tags, summary: 'Delete a device (409 DEVICE_IN_USE while sensors are attached)', params: IdParams },
  }, async (req, reply) => {
    await devices.remove(req.params.id, principalOf(req));
    return reply.status(204).send();
  });
}
