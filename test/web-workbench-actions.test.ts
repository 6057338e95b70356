/**
 * The workbench offers only what the server would allow: the web's
 * allowedActions (web/src/pages/workbench/allowedActions.ts) must agree with
 * the server's lifecycle apply() for every state, suspension, role, department
 * relation, co-handler task, escalation level and grid.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../src/platform/errors.js';
import { apply, type LifecycleActor } from '../src/modules/events/lifecycle.logic.js';
import { EVENT_STATES, type Cohandler, type EventAction, type LifecycleEvent } from '../src/modules/events/types.js';
import { ACTION_ORDER, allowedActions, mayDo, type ActionActor } from '../web/src/pages/workbench/allowedActions.js';

const T0 = Date.UTC(2026, 10, 22, 8);
const GRID = '/c/d/s/g1/';

function ev(over: Partial<LifecycleEvent>): LifecycleEvent {
  return {
    state: 'received', leadDepartment: 'CGJ', cohandlers: [], reporterId: 'u_cit', orgPath: GRID, suspendedAt: null, suspendReason: null,
    clockStartAt: T0, pausedMs: 0, escalationLevel: 0, rating: null, ratingComment: null, reworkCount: 0, verifiedAt: null,
    resultAt: null, closedAt: null, updatedAt: T0, version: 3, ...over,
  };
}

/** Input that satisfies every action's own field checks, so only role and state decide (a fresh department for transfer/co-handling). */
const INPUT = { reason: 'wrong place', note: 'fixed it', department: 'MZJ', rating: 4 };

function serverAllows(e: LifecycleEvent, action: EventAction, actor: LifecycleActor): boolean {
  try {
    apply(e, action, actor, T0 + 1000, INPUT);
    return true;
  } catch (err) {
    if (err instanceof AppError && (err.status === 403 || err.status === 409)) return false;
    throw err;
  }
}

const ACTORS: Array<LifecycleActor & ActionActor> = [
  { id: 'u_d', roles: ['dispatcher'], department: null, orgPath: null },
  { id: 'u_a', roles: ['admin'], department: null, orgPath: null },
  { id: 'u_h1', roles: ['handler'], department: 'CGJ', orgPath: null },
  { id: 'u_h2', roles: ['handler'], department: 'SWJ', orgPath: null },
  { id: 'u_h3', roles: ['handler'], department: 'JTJ', orgPath: null },
  { id: 'u_g1', roles: ['grid_worker'], department: null, orgPath: GRID },
  { id: 'u_g2', roles: ['grid_worker'], department: null, orgPath: '/c/d/s/g2/' },
  { id: 'u_l', roles: ['leader'], department: null, orgPath: null },
  { id: 'u_cit', roles: ['citizen'], department: null, orgPath: null },
];

const COHANDLERS: Cohandler[][] = [[], [{ department: 'SWJ', status: 'open', note: null }], [{ department: 'SWJ', status: 'done', note: 'ok' }]];

describe('workbench allowedActions agrees with the server lifecycle', () => {
  it('for every state, suspension, role, department, co-handler task, escalation level and grid', () => {
    let cases = 0;
    let allowed = 0;
    for (const state of EVENT_STATES) {
      for (const suspended of [false, true]) {
        for (const leadDepartment of ['CGJ', null]) {
          for (const cohandlers of COHANDLERS) {
            for (const escalationLevel of [0, 2]) {
              const e = ev({ state, suspendedAt: suspended ? T0 : null, leadDepartment, cohandlers, escalationLevel });
              const subject = { state, suspended, leadDepartment, cohandlers, orgPath: e.orgPath, escalationLevel };
              for (const actor of ACTORS) {
                for (const action of ACTION_ORDER) {
                  const server = serverAllows(e, action, actor);
                  const web = mayDo(action, subject, actor);
                  expect(web, `${action} by ${actor.roles[0]}/${actor.department ?? actor.orgPath ?? '-'} on ${JSON.stringify(subject)}`).toBe(server);
                  cases++;
                  if (web) allowed++;
                }
              }
            }
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(5000);
    expect(allowed).toBeGreaterThan(100);
  });

  it('offers the usual next step first', () => {
    const dispatcher = ACTORS[0]!;
    const handler = ACTORS[2]!;
    const base = { suspended: false, leadDepartment: 'CGJ', cohandlers: [], orgPath: GRID, escalationLevel: 0 };
    expect(allowedActions({ ...base, state: 'received' }, dispatcher)[0]).toBe('dispatch');
    expect(allowedActions({ ...base, state: 'dispatched' }, handler)[0]).toBe('accept');
    expect(allowedActions({ ...base, state: 'in_progress' }, handler)[0]).toBe('report_result');
    expect(allowedActions({ ...base, state: 'in_progress', suspended: true }, handler)).toEqual(['resume']);
    expect(allowedActions({ ...base, state: 'closed' }, handler)).toEqual([]);
  });
});
