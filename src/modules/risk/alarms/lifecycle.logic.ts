/**
 * The alarm lifecycle (SPEC R3) as pure state-in/state-out functions:
 *
 *   raise ──► active_unack ──ack──► active_ack ──clear──► cleared
 *                  │                                        ▲
 *                  └──source clears──► cleared_unack ──ack──┘
 *
 * One alarm per (source, rule) while active: a repeat raise counts and may
 * escalate the severity; a raise after the alarm cleared is a new alarm.
 * Operator errors are AppErrors with stable codes (409 for a wrong state).
 */
import { AppError, badRequest } from '../../../platform/errors.js';
import { SEVERITIES, type Alarm, type AlarmNote, type AlarmSignal, type AlarmState, type Severity } from '../types.js';

export const MAX_NOTE = 2000;

/** Higher is more severe: critical 3 … warning 0. */
export const severityRank = (s: Severity): number => SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
export const atLeast = (s: Severity, min: Severity): boolean => severityRank(s) >= severityRank(min);
export const moreSevere = (a: Severity, b: Severity): Severity => (severityRank(a) >= severityRank(b) ? a : b);

export const isActive = (s: AlarmState): boolean => s === 'active_unack' || s === 'active_ack';
export const isAcknowledged = (s: AlarmState): boolean => s === 'active_ack' || s === 'cleared';

/** The key of the one-alarm-per-source-and-rule index. */
export const alarmKey = (sourceId: string, ruleId: string): string => `${sourceId}\u0000${ruleId}`;

export type SignalOutcome =
  | { kind: 'raised'; alarm: Alarm }
  | { kind: 'updated'; alarm: Alarm; escalated: boolean }
  | { kind: 'cleared'; alarm: Alarm }
  | { kind: 'ignored' };

/** A brand-new alarm from a raise signal. */
export function newAlarm(s: AlarmSignal, id: string): Alarm {
  return {
    id, state: 'active_unack', severity: s.severity, source: s.source, ruleId: s.ruleId, ruleVersion: s.ruleVersion, sourceId: s.sourceId,
    sensorClass: s.sensorClass, messageZh: s.messageZh, messageEn: s.messageEn, location: s.location, orgPath: s.orgPath,
    raisedAt: s.at, lastAt: s.at, count: 1, lastValue: s.value, acknowledgedAt: null, acknowledgedBy: null, clearedAt: null,
    clearedBy: null, incidentId: null, eventId: null, eventRequestedAt: null, department: s.department ?? null, notes: [], version: 1,
  };
}

/**
 * Apply a signal to the active alarm of its (source, rule), if any.
 * An escalation (a repeat at a higher severity) asks for attention again:
 * an acknowledged alarm goes back to unacknowledged.
 */
export function applySignal(active: Alarm | undefined, s: AlarmSignal, newId: () => string): SignalOutcome {
  const current = active && isActive(active.state) ? active : undefined;
  if (s.kind === 'clear') {
    if (!current) return { kind: 'ignored' };
    const state: AlarmState = current.state === 'active_ack' ? 'cleared' : 'cleared_unack';
    return { kind: 'cleared', alarm: { ...current, state, clearedAt: s.at, clearedBy: `source:${s.source}`, lastValue: s.value ?? current.lastValue, version: current.version + 1 } };
  }
  if (!current) return { kind: 'raised', alarm: newAlarm(s, newId()) };
  const severity = moreSevere(current.severity, s.severity);
  const escalated = severity !== current.severity;
  const alarm: Alarm = {
    ...current,
    severity,
    count: current.count + 1,
    lastAt: Math.max(current.lastAt, s.at),
    lastValue: s.value,
    ruleVersion: s.ruleVersion,
    // The texts follow the most severe signal seen: they describe what the alarm stands for now.
    ...(escalated ? { messageZh: s.messageZh, messageEn: s.messageEn, state: 'active_unack' as const, acknowledgedAt: null, acknowledgedBy: null } : {}),
    version: current.version + 1,
  };
  return { kind: 'updated', alarm, escalated };
}

/** An operator acknowledges: active_unack → active_ack, cleared_unack → cleared. */
export function acknowledge(a: Alarm, by: string, now: number): Alarm {
  if (a.state === 'active_unack') return { ...a, state: 'active_ack', acknowledgedAt: now, acknowledgedBy: by, version: a.version + 1 };
  if (a.state === 'cleared_unack') return { ...a, state: 'cleared', acknowledgedAt: now, acknowledgedBy: by, version: a.version + 1 };
  throw new AppError(409, 'ALARM_ALREADY_ACKNOWLEDGED', `Alarm ${a.id} is "${a.state}": it was already acknowledged`, { state: a.state });
}

/**
 * An operator (or the closure of the alarm's city event) clears the alarm.
 * Clearing implies having seen it, so an unacknowledged alarm is acknowledged too.
 */
export function clearByOperator(a: Alarm, by: string, now: number): Alarm {
  if (a.state === 'cleared') throw new AppError(409, 'ALARM_ALREADY_CLEARED', `Alarm ${a.id} is already cleared`, { state: a.state });
  const acked = a.acknowledgedAt !== null ? {} : { acknowledgedAt: now, acknowledgedBy: by };
  const cleared = a.clearedAt !== null ? {} : { clearedAt: now, clearedBy: by };
  return { ...a, ...acked, ...cleared, state: 'cleared', version: a.version + 1 };
}

/** Validate and append an operator note. */
export function addNote(a: Alarm, note: AlarmNote): Alarm {
  const text = note.text.trim();
  if (text === '') throw badRequest('EMPTY_NOTE', 'Write something: "text" must not be empty');
  if ([...text].length > MAX_NOTE) throw badRequest('NOTE_TOO_LONG', `"text" is longer than ${MAX_NOTE} characters; shorten it`);
  return { ...a, notes: [...a.notes, { ...note, text }], version: a.version + 1 };
}

/** Whether this alarm should now ask for a city event: severe enough, active, and not asked before. */
export function wantsEvent(a: Alarm, openEvent: AlarmSignal['openEvent']): boolean {
  return openEvent !== null && isActive(a.state) && a.eventRequestedAt === null && a.eventId === null && atLeast(a.severity, openEvent.minSeverity);
}
