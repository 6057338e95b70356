/** HTTP for the simulator: inject, list and stop incidents; status; change the rate. */
import { Type, type TSchema } from 'typebox';
import { toIso } from '../platform/clock.js';
import { principalOf, type App } from '../platform/http/app.js';
import type { Incident } from './types.js';
import { INCIDENT_KINDS } from './types.js';
import type { SimService } from './service.js';

const OPERATORS = ['admin', 'dispatcher'] as const;
const tags = ['simulator'];

const ErrorSchema = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }) });
const errors = (...codes: number[]): Record<number, TSchema> => Object.fromEntries(codes.map((c) => [c, ErrorSchema]));

const IncidentSchema = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: INCIDENT_KINDS.join(' | ') }),
  at: Type.Array(Type.Number(), { description: '[longitude, latitude] of the incident' }),
  area: Type.Union([Type.String(), Type.Null()]),
  radiusM: Type.Number(),
  startedAt: Type.String({ format: 'date-time' }),
  durationMin: Type.Number({ description: 'Simulated minutes the cause lasts' }),
  intensity: Type.Number(),
  timeScale: Type.Number({ description: 'Simulated minutes per wall-clock minute' }),
  elapsedMin: Type.Number({ description: 'Simulated minutes since the start' }),
  endsAt: Type.String({ format: 'date-time', description: 'When its effects will have faded (wall clock)' }),
  sensorIds: Type.Array(Type.String(), { description: 'Sensors it acts on' }),
});

const StatusSchema = Type.Object({
  loaded: Type.Boolean(),
  running: Type.Boolean(),
  sensors: Type.Integer(),
  rate: Type.Number({ description: 'Readings per sensor per second' }),
  timeScale: Type.Number(),
  timeZone: Type.String(),
  ticks: Type.Integer(),
  skippedTicks: Type.Integer(),
  readingsSent: Type.Integer(),
  readingsRejected: Type.Integer(),
  lastTickAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  activeIncidents: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

export function registerSimRoutes(app: App, svc: SimService): void {
  const wire = (inc: Incident) => {
    const v = svc.describe(inc);
    return { ...v, startedAt: toIso(v.startedAt), endsAt: toIso(v.endsAt) };
  };

  app.post('/api/v1/sim/incidents', {
    config: { access: OPERATORS },
    schema: {
      tags,
      summary: 'Inject an incident into the demo city (rainstorm, congestion, pipe_burst, fire, sos)',
      description:
        'The simulator changes the readings of the sensors near `at` (or in org unit `area`; default: the busiest town centre). ' +
        'Incidents run in simulated time, `timeScale` times faster than the clock: a rainstorm raises rainfall at once and water levels about 20 simulated minutes later, then they recede. ' +
        'Publishes the IncidentInjected bus event.',
      body: Type.Object({
        kind: Type.String({ description: `One of ${INCIDENT_KINDS.join(', ')}` }),
        at: Type.Optional(Type.Array(Type.Number(), { description: '[longitude, latitude]', examples: [[1.5212, 42.5069]] })),
        area: Type.Optional(Type.String({ maxLength: 200, description: 'Org unit id (district, street or grid)' })),
        durationMin: Type.Optional(Type.Number({ description: 'Simulated minutes, 1–1440 (default per kind)' })),
        intensity: Type.Optional(Type.Number({ description: '0.1–5, 1 = typical' })),
      }),
      response: { 201: IncidentSchema, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => {
    const inc = await svc.inject(req.body as Record<string, unknown>, principalOf(req));
    return reply.status(201).send(wire(inc));
  });

  app.get('/api/v1/sim/incidents', {
    config: { access: OPERATORS },
    schema: { tags, summary: 'Incidents whose effects are still running', response: { 200: Type.Object({ items: Type.Array(IncidentSchema) }), ...errors(401, 403) } },
  }, async () => ({ items: (await svc.list()).map(wire) }));

  app.delete('/api/v1/sim/incidents/:id', {
    config: { access: OPERATORS },
    schema: {
      tags,
      summary: 'Stop an incident now (readings return to normal)',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: { 200: IncidentSchema, ...errors(401, 403, 404) },
    },
  }, async (req) => wire(await svc.stop((req.params as { id: string }).id, principalOf(req))));

  app.get('/api/v1/sim/status', {
    config: { access: OPERATORS },
    schema: { tags, summary: 'Simulator state: sensors, rate, ticks, readings sent', response: { 200: StatusSchema, ...errors(401, 403) } },
  }, async () => statusWire(svc.status()));

  app.post('/api/v1/sim/rate', {
    config: { access: ['admin'] },
    schema: {
      tags,
      summary: 'Change how many readings per sensor per second the simulator sends (0 pauses it), and optionally the incident time scale',
      body: Type.Object({
        rate: Type.Number({ description: '0–100 readings per sensor per second' }),
        timeScale: Type.Optional(Type.Number({ description: '1–600 simulated minutes per wall-clock minute (for incidents injected from now on)' })),
      }),
      response: { 200: StatusSchema, ...errors(400, 401, 403) },
    },
  }, async (req) => statusWire(await svc.setRate(req.body as { rate: number; timeScale?: number }, principalOf(req))));
}

function statusWire(s: ReturnType<SimService['status']>) {
  return { ...s, lastTickAt: s.lastTickAt === null ? null : toIso(s.lastTickAt) };
}
