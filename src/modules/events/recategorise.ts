/**
 * Category-only correction (SPEC E2 learning loop): a dispatcher fixes the
 * category of an event whose department is right — typically one the
 * classifier dispatched by itself. No lifecycle step: the state and the lead
 * department stay; the category, time limit and deadline change. The event,
 * an internal timeline entry, the audit entry and the domain event
 * (EventRecategorised, via the outbox) are written in ONE transaction; the
 * correction is then kept as a classifier label.
 */
import type { Logger } from 'pino';
import type { AuditLog } from '../../platform/audit/types.js';
import type { Principal } from '../../platform/auth/roles.js';
import type { Bus } from '../../platform/bus/types.js';
import type { Clock } from '../../platform/clock.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { CorrectionLabel } from './service.js';
import type { EventStore, OutboxMessage } from './store.js';
import { categoryOf, limitMs, timeView, type LimitOverrides, type Taxonomy, type TimeLimitOptions } from './timelimits.logic.js';
import type { CityEvent, EventChangedPayload, TimelineEntry } from './types.js';

export interface RecategoriseDeps {
  store: EventStore;
  bus: Bus;
  clock: Clock;
  audit: AuditLog;
  taxonomy: Taxonomy;
  overrides?: LimitOverrides;
  time?: TimeLimitOptions;
  /** The learning loop (routing/ recordLabel). */
  corrected?: (label: CorrectionLabel) => Promise<void>;
  log?: Pick<Logger, 'error'>;
}

export interface RecategoriseInput { category: string; expectedVersion: number; reason?: string }

const isDispatcher = (p: Principal) => p.roles.some((r) => r === 'admin' || r === 'dispatcher');

export function createRecategorise(d: RecategoriseDeps) {
  return async function recategorise(id: string, input: RecategoriseInput, p: Principal): Promise<CityEvent> {
    if (!isDispatcher(p)) throw forbidden('Only dispatchers and admins may correct the category');
    const ev = await d.store.get(id);
    if (!ev) throw notFound('EVENT_NOT_FOUND', `No event ${id}`);
    if (input.expectedVersion !== ev.version) {
      throw conflict('VERSION_CONFLICT', `The event is at version ${ev.version}, not ${input.expectedVersion}; reload it and try again`, { currentVersion: ev.version });
    }
    if (ev.state === 'closed') throw conflict('EVENT_CLOSED', 'The event is closed; reopen it before correcting its category');
    const cat = categoryOf(d.taxonomy, input.category.trim());
    if (cat.code === ev.category) throw badRequest('SAME_CATEGORY', `The event is already in category ${cat.code}`);
    const reason = input.reason?.trim() || null;

    const now = d.clock.now();
    const moved: CityEvent = { ...ev, category: cat.code, limitMs: limitMs(cat, ev.urgent, d.overrides), updatedAt: now, version: ev.version + 1 };
    const v = timeView(moved, now, d.time);
    // Same rule as the service: no stored deadline while paused or stopped.
    const next: CityEvent = { ...moved, deadlineAt: v.paused ? null : v.deadlineAt };
    const entry: TimelineEntry = {
      id: newId('etl'), eventId: ev.id, at: now, action: 'recategorise', fromState: ev.state, toState: ev.state,
      actorId: p.id, actorName: p.name, note: `${ev.category} → ${cat.code}${reason ? `: ${reason}` : ''}`, public: false,
    };
    const payload: EventChangedPayload = {
      eventId: next.id, trackingCode: next.trackingCode, action: 'recategorise', fromState: ev.state, state: next.state, category: next.category,
      leadDepartment: next.leadDepartment, orgUnitId: next.orgUnitId, escalationLevel: next.escalationLevel, version: next.version,
    };
    const message: OutboxMessage = { id: newId('evt'), type: 'EventRecategorised', createdAt: now, payload };
    await d.audit.appendAtomically(async (trx) => {
      await d.store.update(next, ev.version, [entry], trx, [message]);
      return {
        result: null,
        entries: [{ actor: p, action: 'event.recategorise', targetType: 'event', targetId: ev.id, details: { from: ev.category, to: cat.code, version: next.version, reason } }],
      };
    });
    try {
      await d.bus.publish('EventRecategorised', payload, { id: message.id });
      await d.store.clearOutbox([message.id]);
    } catch (err) {
      // Stored and committed: the service's republish() sends it later under the same id.
      d.log?.error({ err, message: message.id }, 'recategorise publish failed; kept in the outbox');
    }
    try {
      await d.corrected?.({ eventId: ev.id, text: ev.text, category: next.category, department: next.leadDepartment, urgent: next.urgent, correctedBy: p.id });
    } catch (err) {
      // The correction itself is stored: a lost training label is logged, not answered as a failure.
      d.log?.error({ err, eventId: ev.id }, 'recategorise: keeping the classifier label failed');
    }
    return next;
  };
}

export type Recategorise = ReturnType<typeof createRecategorise>;
