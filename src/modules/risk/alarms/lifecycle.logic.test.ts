/** The alarm lifecycle: every transition, repeats and escalation, notes, event wishes; and flood control. */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../platform/errors.js';
import type { AlarmIncident, AlarmSignal } from '../types.js';
import { acknowledge, addNote, applySignal, atLeast, clearByOperator, newAlarm, wantsEvent } from './lifecycle.logic.js';
import { floodArea, joinIncident, memberEscalated, memberInactive, onRaise, openIncident } from './flood.logic.js';

const T = Date.UTC(2026, 0, 1, 8);
const sig = (p: Partial<AlarmSignal> = {}): AlarmSignal => ({
  kind: 'raise', source: 'rule', ruleId: 'r1', ruleVersion: 1, sourceId: 's1', severity: 'minor', at: T, value: 3, messageZh: '水位高',
  messageEn: 'Water high', location: null, orgPath: '/c/d/s/g/', sensorClass: 'water_level', openEvent: null, ...p,
});
let n = 0;
const ids = () => `a${++n}`;
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (isAppError(e)) return `${e.status} ${e.code}`;
    throw e;
  }
  return 'no error';
};

describe('alarm lifecycle', () => {
  it('raises a new active, unacknowledged alarm', () => {
    const out = applySignal(undefined, sig({ department: 'SWJ' }), ids);
    expect(out.kind).toBe('raised');
    if (out.kind !== 'raised') return;
    expect(out.alarm).toMatchObject({ state: 'active_unack', severity: 'minor', count: 1, raisedAt: T, lastAt: T, version: 1, department: 'SWJ', ruleId: 'r1', sourceId: 's1' });
  });

  it('counts repeats on the one active alarm and keeps the worst severity', () => {
    const a = newAlarm(sig(), 'a');
    const r1 = applySignal(a, sig({ at: T + 1000, value: 4 }), ids);
    expect(r1).toMatchObject({ kind: 'updated', escalated: false, alarm: { id: 'a', count: 2, lastAt: T + 1000, lastValue: 4, version: 2 } });
    const acked = acknowledge(a, 'u', T);
    const r2 = applySignal(acked, sig({ at: T + 2000, severity: 'critical', messageEn: 'Water very high' }), ids);
    // an escalation asks for attention again
    expect(r2).toMatchObject({ kind: 'updated', escalated: true, alarm: { severity: 'critical', state: 'active_unack', acknowledgedAt: null, messageEn: 'Water very high' } });
    const r3 = applySignal(r2.kind === 'updated' ? r2.alarm : a, sig({ at: T + 3000, severity: 'warning' }), ids);
    expect(r3).toMatchObject({ kind: 'updated', escalated: false, alarm: { severity: 'critical', count: 3 } });
  });

  it('source clear: active_unack → cleared_unack, active_ack → cleared; nothing to clear is ignored', () => {
    const a = newAlarm(sig(), 'a');
    expect(applySignal(a, sig({ kind: 'clear', at: T + 5 }), ids)).toMatchObject({ kind: 'cleared', alarm: { state: 'cleared_unack', clearedAt: T + 5, clearedBy: 'source:rule' } });
    expect(applySignal(acknowledge(a, 'u', T), sig({ kind: 'clear' }), ids)).toMatchObject({ kind: 'cleared', alarm: { state: 'cleared' } });
    expect(applySignal(undefined, sig({ kind: 'clear' }), ids)).toEqual({ kind: 'ignored' });
  });

  it('a raise after the alarm cleared is a new alarm', () => {
    const a = newAlarm(sig(), 'a');
    const cleared = applySignal(a, sig({ kind: 'clear' }), ids);
    const again = applySignal(cleared.kind === 'cleared' ? cleared.alarm : a, sig({ at: T + 60_000 }), () => 'b');
    expect(again).toMatchObject({ kind: 'raised', alarm: { id: 'b', count: 1, state: 'active_unack' } });
  });

  it('acknowledge: active_unack → active_ack, cleared_unack → cleared, twice → 409', () => {
    const a = newAlarm(sig(), 'a');
    const acked = acknowledge(a, 'op', T + 10);
    expect(acked).toMatchObject({ state: 'active_ack', acknowledgedAt: T + 10, acknowledgedBy: 'op', version: 2 });
    expect(code(() => acknowledge(acked, 'op', T))).toBe('409 ALARM_ALREADY_ACKNOWLEDGED');
    const cu = { ...a, state: 'cleared_unack' as const, clearedAt: T };
    expect(acknowledge(cu, 'op', T + 20)).toMatchObject({ state: 'cleared', acknowledgedBy: 'op', clearedAt: T });
    expect(code(() => acknowledge({ ...a, state: 'cleared' }, 'op', T))).toBe('409 ALARM_ALREADY_ACKNOWLEDGED');
  });

  it('operator clear from every state acknowledges on the way; clearing a cleared alarm → 409', () => {
    const a = newAlarm(sig(), 'a');
    expect(clearByOperator(a, 'op', T + 1)).toMatchObject({ state: 'cleared', acknowledgedBy: 'op', clearedBy: 'op', clearedAt: T + 1 });
    const acked = acknowledge(a, 'first', T);
    expect(clearByOperator(acked, 'op', T + 1)).toMatchObject({ state: 'cleared', acknowledgedBy: 'first', clearedBy: 'op' });
    const cu = { ...a, state: 'cleared_unack' as const, clearedAt: T, clearedBy: 'source:rule' };
    expect(clearByOperator(cu, 'op', T + 1)).toMatchObject({ state: 'cleared', acknowledgedBy: 'op', clearedBy: 'source:rule', clearedAt: T });
    expect(code(() => clearByOperator({ ...a, state: 'cleared' }, 'op', T))).toBe('409 ALARM_ALREADY_CLEARED');
  });

  it('keeps operator notes, refusing empty and oversized ones', () => {
    const a = addNote(newAlarm(sig(), 'a'), { at: T, by: 'op', text: '  pump truck sent  ' });
    expect(a.notes).toEqual([{ at: T, by: 'op', text: 'pump truck sent' }]);
    expect(code(() => addNote(a, { at: T, by: 'op', text: '   ' }))).toBe('400 EMPTY_NOTE');
    expect(code(() => addNote(a, { at: T, by: 'op', text: 'x'.repeat(2001) }))).toBe('400 NOTE_TOO_LONG');
  });

  it('wants a city event once, when active and severe enough', () => {
    const open = { minSeverity: 'major' as const, category: 'WATERLOGGING' };
    expect(atLeast('critical', 'major')).toBe(true);
    expect(atLeast('minor', 'major')).toBe(false);
    const a = newAlarm(sig({ severity: 'major' }), 'a');
    expect(wantsEvent(a, open)).toBe(true);
    expect(wantsEvent(a, null)).toBe(false);
    expect(wantsEvent({ ...a, severity: 'minor' }, open)).toBe(false);
    expect(wantsEvent({ ...a, eventRequestedAt: T }, open)).toBe(false);
    expect(wantsEvent({ ...a, state: 'cleared_unack' }, open)).toBe(false);
  });
});

describe('flood control', () => {
  const o = { maxAlarms: 3, windowMs: 600_000 };
  it('groups by street: the street prefix of an org path', () => {
    expect(floodArea('/c/d/s/g/')).toBe('/c/d/s/');
    expect(floodArea('/c/d/s/')).toBe('/c/d/s/');
    expect(floodArea('/c/d/')).toBe('/c/d/');
    expect(floodArea(null)).toBeNull();
  });

  it('opens an incident on the alarm beyond the limit within the window, with all of them as members', () => {
    let w = { recent: [] as Array<{ alarmId: string; at: number }> };
    for (let i = 1; i <= 3; i++) {
      const d = onRaise(w, null, { id: `a${i}`, at: T + i * 1000 }, o);
      expect(d.kind).toBe('none');
      w = d.window;
    }
    const d = onRaise(w, null, { id: 'a4', at: T + 4000 }, o);
    expect(d).toMatchObject({ kind: 'open', members: ['a1', 'a2', 'a3', 'a4'] });
  });

  it('forgets alarms older than the window', () => {
    let w = { recent: [] as Array<{ alarmId: string; at: number }> };
    for (let i = 0; i < 3; i++) w = onRaise(w, null, { id: `a${i}`, at: T + i * 300_000 }, o).window;
    // a0 is 900 s old by now: only a1, a2 and a3 count
    expect(onRaise(w, null, { id: 'a3', at: T + 900_000 }, o).kind).toBe('none');
  });

  it('attaches new alarms to the open incident, which closes with its last active member', () => {
    let inc: AlarmIncident = openIncident('i1', '/c/d/s/', T, 2, 'minor');
    expect(onRaise({ recent: [] }, inc, { id: 'a9', at: T + 1 }, o)).toMatchObject({ kind: 'attach', incidentId: 'i1' });
    inc = joinIncident(inc, T + 1, 'major');
    expect(inc).toMatchObject({ members: 3, activeMembers: 3, severity: 'major' });
    inc = memberEscalated(inc, 'critical');
    expect(inc.severity).toBe('critical');
    inc = memberInactive(memberInactive(inc, T + 2), T + 3);
    expect(inc.closedAt).toBeNull();
    inc = memberInactive(inc, T + 4);
    expect(inc).toMatchObject({ activeMembers: 0, closedAt: T + 4 });
    expect(onRaise({ recent: [] }, inc, { id: 'b1', at: T + 5 }, o).kind).toBe('none');
  });
});
