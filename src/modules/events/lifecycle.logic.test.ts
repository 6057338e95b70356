/** The lifecycle table test: every (state, suspended, action, role) against TRANSITIONS, then the preconditions. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { LIFECYCLE_ROLES, TRANSITIONS, apply, type LifecycleActor } from './lifecycle.logic.js';
import { EVENT_ACTIONS, EVENT_STATES, type EventAction, type EventState, type LifecycleEvent } from './types.js';

const T0 = Date.UTC(2026, 10, 22, 8);
const GRID = '/c/d/s/g1/';

function ev(state: EventState, over: Partial<LifecycleEvent> = {}): LifecycleEvent {
  return {
    state, leadDepartment: 'CGJ', cohandlers: [], reporterId: 'u_cit', orgPath: GRID, suspendedAt: null, suspendReason: null,
    clockStartAt: T0, pausedMs: 0, escalationLevel: 0, rating: null, ratingComment: null, reworkCount: 0, verifiedAt: null,
    resultAt: null, closedAt: null, updatedAt: T0, version: 3, ...over,
  };
}

/** An actor of the role who meets the role's own conditions (lead handler, the reporter, the grid's worker). */
function actorFor(role: string, action: EventAction): LifecycleActor {
  if (role === 'handler') return { id: 'u_h', roles: ['handler'], department: action === 'complete_cotask' ? 'SWJ' : 'CGJ' };
  if (role === 'citizen') return { id: 'u_cit', roles: ['citizen'] };
  if (role === 'grid_worker') return { id: 'u_g', roles: ['grid_worker'], orgPath: GRID };
  return { id: `u_${role}`, roles: [role] };
}

const EXPECTED_TO: Partial<Record<EventAction, EventState>> = {
  dispatch: 'dispatched', accept: 'in_progress', return: 'received', transfer: 'dispatched', report_result: 'result_reported',
  rate: 'rated', close: 'closed', reopen: 'dispatched', merge: 'closed',
};
const INPUT = { reason: 'wrong place', note: 'fixed it', department: 'JTJ', rating: 4, comment: 'ok' };
const ALL_ROLES = [...LIFECYCLE_ROLES, 'data_officer', 'auditor', 'leader', 'device'];

function errorOf(f: () => unknown): AppError | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
}

const cases: Array<[EventState, boolean, EventAction, string]> = [];
for (const state of EVENT_STATES) {
  for (const suspended of state === 'dispatched' || state === 'in_progress' ? [false, true] : [false]) {
    for (const action of EVENT_ACTIONS) for (const role of ALL_ROLES) cases.push([state, suspended, action, role]);
  }
}

describe('lifecycle table', () => {
  it(`walks all ${cases.length} (state, suspended, action, role) combinations`, () => {
    let allowed = 0;
    for (const [state, suspended, action, role] of cases) {
      const rule = TRANSITIONS[action];
      const base = ev(state, { suspendedAt: suspended ? T0 - 1000 : null, cohandlers: action === 'complete_cotask' ? [{ department: 'SWJ', status: 'open', note: null }] : [] });
      const err = errorOf(() => apply(base, action, actorFor(role, action), T0 + 5000, INPUT));
      const label = `${state}${suspended ? '(suspended)' : ''} ${action} as ${role}`;
      if (!(rule.roles as readonly string[]).includes(role)) {
        expect(err?.status, label).toBe(403);
        continue;
      }
      const stateOk = rule.from.includes(state) && !(suspended && rule.suspended === 'never') && !(!suspended && rule.suspended === 'only');
      if (!stateOk) {
        expect([err?.status, err?.code], label).toEqual([409, 'INVALID_TRANSITION']);
        continue;
      }
      expect(err, label).toBeUndefined();
      const out = apply(base, action, actorFor(role, action), T0 + 5000, INPUT);
      expect(out.event.state, label).toBe(EXPECTED_TO[action] ?? state);
      expect(out.event.version, label).toBe(4);
      expect(out.entry.public, label).toBe(rule.public);
      allowed++;
    }
    expect(allowed).toBeGreaterThan(40);
  });
});

describe('lifecycle preconditions', () => {
  const dispatcher: LifecycleActor = { id: 'u_d', roles: ['dispatcher'] };
  const cgj: LifecycleActor = { id: 'u_h', roles: ['handler'], department: 'CGJ' };

  it('only the lead department handles; others get 403', () => {
    const other = { id: 'u_x', roles: ['handler'], department: 'SWJ' };
    for (const [state, action] of [['dispatched', 'accept'], ['in_progress', 'report_result'], ['in_progress', 'return'], ['in_progress', 'suspend']] as const) {
      expect(errorOf(() => apply(ev(state), action, other, T0, INPUT))?.status).toBe(403);
    }
  });

  it('only the reporter rates; grid workers verify only in their grid', () => {
    expect(errorOf(() => apply(ev('result_reported'), 'rate', { id: 'u_other', roles: ['citizen'] }, T0, { rating: 5 }))?.status).toBe(403);
    expect(errorOf(() => apply(ev('result_reported'), 'verify', { id: 'g', roles: ['grid_worker'], orgPath: '/c/d/s/g2/' }, T0))?.status).toBe(403);
    expect(apply(ev('result_reported'), 'verify', { id: 'g', roles: ['grid_worker'], orgPath: '/c/d/' }, T0).event.verifiedAt).toBe(T0);
  });

  it('return, transfer, suspend and reopen need a reason; dispatch and transfer a department', () => {
    for (const [state, action, who] of [['dispatched', 'return', cgj], ['dispatched', 'transfer', dispatcher], ['in_progress', 'suspend', cgj], ['closed', 'reopen', dispatcher]] as const) {
      expect(errorOf(() => apply(ev(state), action, who, T0, { department: 'JTJ', reason: '  ' }))?.code).toBe('REASON_REQUIRED');
    }
    expect(errorOf(() => apply(ev('received', { leadDepartment: null }), 'dispatch', dispatcher, T0))?.code).toBe('DEPARTMENT_REQUIRED');
    expect(errorOf(() => apply(ev('dispatched'), 'transfer', dispatcher, T0, { reason: 'x' }))?.code).toBe('DEPARTMENT_REQUIRED');
    expect(errorOf(() => apply(ev('dispatched'), 'transfer', dispatcher, T0, { reason: 'x', department: 'CGJ' }))?.code).toBe('SAME_DEPARTMENT');
  });

  it('a return clears the department; a transfer moves it and keeps a record of why', () => {
    const back = apply(ev('in_progress'), 'return', cgj, T0, { reason: 'not ours: a water main' });
    expect([back.event.state, back.event.leadDepartment, back.entry.public]).toEqual(['received', null, false]);
    const moved = apply(ev('in_progress'), 'transfer', dispatcher, T0, { reason: 'burst main', department: 'SWJ' });
    expect([moved.event.state, moved.event.leadDepartment, moved.entry.note]).toEqual(['dispatched', 'SWJ', '→ SWJ: burst main']);
  });

  it('a poor rating sends the event back once, then it stays rated', () => {
    const cit = { id: 'u_cit', roles: ['citizen'] };
    const first = apply(ev('result_reported', { resultAt: T0 }), 'rate', cit, T0 + 10, { rating: 2 });
    expect([first.event.state, first.event.reworkCount, first.event.clockStartAt, first.event.resultAt]).toEqual(['dispatched', 1, T0 + 10, null]);
    const second = apply({ ...first.event, state: 'result_reported' }, 'rate', cit, T0 + 20, { rating: 1 });
    expect([second.event.state, second.event.rating]).toEqual(['rated', 1]);
    expect(errorOf(() => apply(ev('result_reported'), 'rate', cit, T0, { rating: 6 }))?.code).toBe('BAD_RATING');
    expect(errorOf(() => apply(ev('result_reported'), 'rate', cit, T0, { rating: 2.5 }))?.code).toBe('BAD_RATING');
  });

  it('co-handlers have their own tasks; the lead cannot report while one is open', () => {
    const withCo = apply(ev('in_progress'), 'add_cohandler', cgj, T0, { department: 'SWJ', note: 'close the valve' });
    expect(withCo.event.cohandlers).toEqual([{ department: 'SWJ', status: 'open', note: 'close the valve' }]);
    expect(errorOf(() => apply(withCo.event, 'add_cohandler', dispatcher, T0, { department: 'SWJ' }))?.code).toBe('COHANDLER_EXISTS');
    expect(errorOf(() => apply(withCo.event, 'report_result', cgj, T0, { note: 'done' }))?.code).toBe('COTASKS_OPEN');
    const swj = { id: 'u_s', roles: ['handler'], department: 'SWJ' };
    const done = apply(withCo.event, 'complete_cotask', swj, T0, { note: 'valve closed' });
    expect(errorOf(() => apply(done.event, 'complete_cotask', swj, T0))?.code).toBe('COTASK_DONE');
    expect(apply(done.event, 'report_result', cgj, T0, { note: 'repaired' }).event.state).toBe('result_reported');
    expect(errorOf(() => apply(ev('in_progress'), 'report_result', cgj, T0))?.code).toBe('NOTE_REQUIRED');
  });

  it('suspension time is accumulated; escalation stops at the city centre', () => {
    const s = apply(ev('in_progress', { pausedMs: 100 }), 'suspend', cgj, T0, { reason: 'waiting for parts' });
    const r = apply(s.event, 'resume', cgj, T0 + 3_600_000);
    expect([r.event.suspendedAt, r.event.pausedMs]).toEqual([null, 3_600_100]);
    const l2 = apply(apply(ev('dispatched'), 'escalate', dispatcher, T0).event, 'escalate', { id: 'system', roles: ['system'] }, T0);
    expect(l2.event.escalationLevel).toBe(2);
    expect(errorOf(() => apply(l2.event, 'escalate', dispatcher, T0))?.code).toBe('ESCALATION_MAX');
  });
});
