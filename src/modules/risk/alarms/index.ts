/**
 * The alarms part of the risk module (SPEC R3): the sink the stream engines
 * signal into, the alarm store and service, the HTTP routes and live stream,
 * and the link to city events (AlarmEventOpened, EventClosed).
 */
import type { Alarm, AlarmSink } from '../types.js';
import type { RiskDeps, RiskPart } from '../part.js';
import { createAlarmLive } from './live.js';
import { registerAlarmRoutes } from './routes.js';
import { createAlarmService, type AlarmOptions, type AlarmService } from './service.js';
import { alarmMigrations, createAlarmStore } from './store.js';

export type AlarmsService = AlarmService;
export type { AlarmOptions } from './service.js';

/** Durable consumer group of the alarm side of the alarm ↔ event link. */
const GROUP = 'risk-alarms';
/** A request younger than this may still be on its way (another process just made it); asked again later. */
const REQUEST_GRACE_MS = 60_000;

export interface AlarmsPartOptions extends AlarmOptions {
  /** The city-event category of an alarm's rule (null: it opens none), for asking again at start. */
  eventCategory?: (a: Alarm) => Promise<string | null>;
}

export function createAlarmsPart(deps: RiskDeps, opts: AlarmsPartOptions = {}): RiskPart & { sink: AlarmSink; active(): Alarm[]; service: AlarmsService } {
  const store = createAlarmStore(deps.database);
  const service = createAlarmService({ store, bus: deps.bus, clock: deps.clock, audit: deps.audit, org: deps.org, log: deps.log,
    departmentOf: (id) => deps.sensing.sensor(id)?.department }, opts);
  const live = createAlarmLive(deps.bus, deps.clock);
  const unsubs: Array<() => Promise<void>> = [];
  let retry: NodeJS.Timeout | undefined;
  const askAgain = () => (opts.eventCategory ? service.requestMissingEvents(opts.eventCategory, REQUEST_GRACE_MS) : Promise.resolve(0))
    .catch((err: unknown) => deps.log.error({ err }, 'alarms: asking again for city events failed'));
  return {
    migrations: alarmMigrations,
    sink: service.sink,
    active: service.active,
    service,
    registerRoutes: (app) => registerAlarmRoutes(app, service, live),
    async start() {
      await service.restore();
      unsubs.push(await deps.bus.subscribe('AlarmEventOpened', (e) => service.onEventOpened(e.payload.alarmId, e.payload.eventId, e.payload.trackingCode), { group: GROUP }));
      unsubs.push(await deps.bus.subscribe('EventClosed', (e) => service.onEventClosed(e.payload.eventId, e.payload.trackingCode), { group: GROUP }));
      await live.start();
    },
    /**
     * Every module has started, so the events module listens now (risk starts before it; on the
     * in-process bus a request published earlier would reach nobody): ask again for the city events
     * of alarms written before a crash whose request was never published. One more pass a minute
     * later picks up those that were still within the grace minute.
     */
    async ready() {
      await askAgain();
      retry = setTimeout(() => void askAgain(), REQUEST_GRACE_MS);
      retry.unref();
    },
    async stop() {
      clearTimeout(retry);
      for (const u of unsubs.splice(0)) await u();
      await live.stop();
      await service.flush();
    },
  };
}
