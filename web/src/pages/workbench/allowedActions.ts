/**
 * Which lifecycle actions the UI offers a user for an event. The event detail
 * API does not list them, so this mirrors the server's rules
 * (src/modules/events/lifecycle.logic.ts: TRANSITIONS plus the department,
 * reporter and grid checks of apply()); test/web-workbench-actions.test.ts
 * checks the two agree for every state, role and case. Pure: no imports of
 * React or the API. The server still decides; this only hides what it would refuse.
 */
import type { EventAction, EventState } from './types.js';

export interface ActionActor {
  roles: readonly string[];
  department: string | null;
  /** Org path of the actor's own unit (grid workers). */
  orgPath: string | null;
}

export interface ActionSubject {
  state: EventState;
  suspended: boolean;
  leadDepartment: string | null;
  cohandlers: ReadonlyArray<{ department: string; status: 'open' | 'done' }>;
  orgPath: string | null;
  escalationLevel: number;
}

type Rule = { from: readonly EventState[]; roles: readonly string[]; suspended: 'never' | 'only' | 'also' };
const OPEN: EventState[] = ['dispatched', 'in_progress'];
const STAFF = ['dispatcher', 'admin'];

/** The actions a person can take in the UI (merge is the duplicates screen's, rate the citizen portal's). */
const RULES: Partial<Record<EventAction, Rule>> = {
  dispatch: { from: ['received'], roles: STAFF, suspended: 'never' },
  accept: { from: ['dispatched'], roles: ['handler'], suspended: 'never' },
  return: { from: OPEN, roles: ['handler'], suspended: 'never' },
  transfer: { from: OPEN, roles: STAFF, suspended: 'never' },
  add_cohandler: { from: OPEN, roles: [...STAFF, 'handler'], suspended: 'never' },
  complete_cotask: { from: OPEN, roles: ['handler'], suspended: 'never' },
  report_result: { from: ['in_progress'], roles: ['handler'], suspended: 'never' },
  verify: { from: ['result_reported'], roles: [...STAFF, 'grid_worker'], suspended: 'never' },
  close: { from: ['result_reported', 'rated'], roles: STAFF, suspended: 'never' },
  reopen: { from: ['rated', 'closed'], roles: STAFF, suspended: 'never' },
  suspend: { from: OPEN, roles: [...STAFF, 'handler'], suspended: 'never' },
  resume: { from: OPEN, roles: [...STAFF, 'handler'], suspended: 'only' },
  escalate: { from: ['received', 'dispatched', 'in_progress'], roles: STAFF, suspended: 'also' },
};

/** Order of the buttons: the usual next step first. */
export const ACTION_ORDER: readonly EventAction[] = [
  'dispatch', 'accept', 'report_result', 'complete_cotask', 'verify', 'close', 'transfer', 'return', 'add_cohandler',
  'escalate', 'suspend', 'resume', 'reopen',
];

/** Actions that need a written reason (the server answers 400 without one). */
export const NEEDS_REASON: ReadonlySet<EventAction> = new Set(['return', 'transfer', 'suspend', 'reopen']);
/** Actions that need a department. */
export const NEEDS_DEPARTMENT: ReadonlySet<EventAction> = new Set(['dispatch', 'transfer', 'add_cohandler']);

export function mayDo(action: EventAction, ev: ActionSubject, actor: ActionActor): boolean {
  const rule = RULES[action];
  if (!rule) return false;
  // The server uses the first of the actor's roles that the action allows.
  const role = rule.roles.find((r) => actor.roles.includes(r));
  if (!role) return false;
  if (!rule.from.includes(ev.state)) return false;
  if (ev.suspended && rule.suspended === 'never') return false;
  if (!ev.suspended && rule.suspended === 'only') return false;
  const isLead = actor.department !== null && actor.department === ev.leadDepartment;
  if (role === 'handler') {
    if (action === 'complete_cotask') return ev.cohandlers.some((c) => c.department === actor.department && c.status === 'open');
    if (!isLead) return false;
  }
  if (role === 'grid_worker' && (!actor.orgPath || !ev.orgPath?.startsWith(actor.orgPath))) return false;
  if (action === 'escalate' && ev.escalationLevel >= 2) return false;
  if (action === 'reopen' && !ev.leadDepartment) return false;
  if (action === 'report_result' && ev.cohandlers.some((c) => c.status === 'open')) return false;
  return true;
}

export function allowedActions(ev: ActionSubject, actor: ActionActor): EventAction[] {
  return ACTION_ORDER.filter((a) => mayDo(a, ev, actor));
}
