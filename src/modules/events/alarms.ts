/**
 * Alarm → city event (SPEC R3): the risk module asks for an event by
 * publishing AlarmEventRequested; this opens it through the ordinary intake
 * on the 'alarm' channel, urgent, and answers with AlarmEventOpened. The
 * Idempotency-Key is derived from the alarm id, so a redelivered request
 * returns the event already opened instead of making a second one.
 */
import type { Logger } from 'pino';
import type { Principal } from '../../platform/auth/roles.js';
import type { Bus } from '../../platform/bus/types.js';
import { isAppError } from '../../platform/errors.js';
import type { EventService } from './service.js';
import type { CityEvent } from './types.js';
import type { AlarmEventRequestedPayload } from '../risk/types.js';

/** The reporter of alarm-opened events (idempotency keys are scoped by reporter). */
const ALARMS: Principal = { kind: 'user', id: 'system:alarms', name: 'system:alarms', roles: [] };
/** Where the rule's category is not in the taxonomy, the event still opens, as an emergency. */
const FALLBACK_CATEGORY = 'SAFETY_EMERGENCY';
const GROUP = 'events-alarms';

async function open(events: EventService, p: AlarmEventRequestedPayload, category: string): Promise<CityEvent> {
  const input = {
    text: p.text, category, urgent: true, channel: 'alarm', location: p.location ?? undefined,
    // Intake needs a place; an alarm without coordinates still names its source.
    address: p.location ? undefined : `alarm ${p.alarmId}`,
  };
  return (await events.intake(input, ALARMS, `alarm:${p.alarmId}`)).event;
}

/** Subscribe (durable group) to AlarmEventRequested; returns the unsubscriber. */
export async function startAlarmEvents(deps: { bus: Bus; log: Logger }, events: EventService): Promise<() => Promise<void>> {
  return deps.bus.subscribe('AlarmEventRequested', async (e) => {
    const p = e.payload;
    let event: CityEvent;
    try {
      event = await open(events, p, p.category);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'UNKNOWN_CATEGORY' || p.category === FALLBACK_CATEGORY) throw err;
      deps.log.warn({ alarmId: p.alarmId, category: p.category }, 'alarm event: unknown category, opened as an emergency');
      event = await open(events, p, FALLBACK_CATEGORY);
    }
    await deps.bus.publish('AlarmEventOpened', { alarmId: p.alarmId, eventId: event.id, trackingCode: event.trackingCode });
  }, { group: GROUP });
}
