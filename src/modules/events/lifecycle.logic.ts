/**
 * The one state machine of a city event (SPEC E3–E5): 受理 received → 派单
 * dispatched → 处置 in_progress → 反馈 result_reported → 评价 rated → 结案
 * closed, plus return/transfer, co-handlers, suspend/resume, reopen and
 * escalation. Pure: the caller passes the time. TRANSITIONS is the table the
 * tests walk for every state, action and role.
 */
import { AppError, badRequest, conflict, forbidden } from '../../platform/errors.js';
import type { EventAction, EventState, LifecycleEvent } from './types.js';

/** Roles that take part in the lifecycle; "system" is the timer (escalation, auto-close, auto-dispatch). */
export const LIFECYCLE_ROLES = ['admin', 'dispatcher', 'handler', 'grid_worker', 'citizen', 'system'] as const;
export type LifecycleRole = (typeof LIFECYCLE_ROLES)[number];

export interface LifecycleActor {
  id: string;
  roles: readonly string[];
  department?: string | null;
  /** Org path of the actor's own unit ("/city/district/street/grid/"), for grid workers. */
  orgPath?: string | null;
}

export interface ActionInput {
  reason?: string;
  note?: string;
  department?: string;
  rating?: number;
  comment?: string;
}

export interface TransitionRule {
  from: readonly EventState[];
  roles: readonly LifecycleRole[];
  /** 'never': refused while suspended; 'only': needs a suspension; 'also': allowed either way. */
  suspended: 'never' | 'only' | 'also';
  /** Shown on the citizen's timeline. */
  public: boolean;
}

const OPEN: EventState[] = ['dispatched', 'in_progress'];
const STAFF: LifecycleRole[] = ['dispatcher', 'admin'];

export const TRANSITIONS: Record<EventAction, TransitionRule> = {
  dispatch: { from: ['received'], roles: [...STAFF, 'system'], suspended: 'never', public: true },
  accept: { from: ['dispatched'], roles: ['handler'], suspended: 'never', public: true },
  return: { from: OPEN, roles: ['handler'], suspended: 'never', public: false },
  transfer: { from: OPEN, roles: STAFF, suspended: 'never', public: false },
  add_cohandler: { from: OPEN, roles: [...STAFF, 'handler'], suspended: 'never', public: false },
  complete_cotask: { from: OPEN, roles: ['handler'], suspended: 'never', public: false },
  report_result: { from: ['in_progress'], roles: ['handler'], suspended: 'never', public: true },
  verify: { from: ['result_reported'], roles: [...STAFF, 'grid_worker'], suspended: 'never', public: false },
  rate: { from: ['result_reported'], roles: ['citizen'], suspended: 'never', public: true },
  close: { from: ['result_reported', 'rated'], roles: [...STAFF, 'system'], suspended: 'never', public: true },
  reopen: { from: ['rated', 'closed'], roles: STAFF, suspended: 'never', public: true },
  suspend: { from: OPEN, roles: [...STAFF, 'handler'], suspended: 'never', public: true },
  resume: { from: OPEN, roles: [...STAFF, 'handler'], suspended: 'only', public: true },
  escalate: { from: ['received', 'dispatched', 'in_progress'], roles: [...STAFF, 'system'], suspended: 'also', public: false },
  // A duplicate closes into the event it repeats; its reporter follows that one (duplicates/).
  merge: { from: ['received', 'dispatched', 'in_progress'], roles: STAFF, suspended: 'also', public: true },
};

/** Highest escalation level: 1 street station, 2 city centre. */
export const MAX_ESCALATION = 2;
/** A rating at or below this sends the event back for rework (once). */
export const POOR_RATING = 2;

export interface Applied<E extends LifecycleEvent> {
  event: E;
  entry: { action: EventAction; fromState: EventState; toState: EventState; note: string | null; public: boolean };
}

/** The lifecycle role an actor uses for an action: the first of its roles the action allows. */
export function roleFor(action: EventAction, actor: LifecycleActor): LifecycleRole | undefined {
  const allowed = TRANSITIONS[action].roles;
  return allowed.find((r) => actor.roles.includes(r));
}

const text = (s: string | undefined): string | undefined => (s !== undefined && s.trim() !== '' ? s.trim() : undefined);

function need(v: string | undefined, code: string, what: string): string {
  if (v === undefined) throw badRequest(code, what);
  return v;
}

/**
 * Apply one action. Throws AppError: 403 when the role may not do it (or the
 * handler is not of the responsible department, the citizen not the reporter,
 * the grid worker not of the event's grid), 409 INVALID_TRANSITION when the
 * state does not allow it, 400 when a reason, department or rating is missing.
 */
export function apply<E extends LifecycleEvent>(ev: E, action: EventAction, actor: LifecycleActor, now: number, input: ActionInput = {}): Applied<E> {
  const rule = TRANSITIONS[action];
  const role = roleFor(action, actor);
  if (!role) throw forbidden(`"${action}" needs one of the roles: ${rule.roles.join(', ')}`);
  const suspended = ev.suspendedAt !== null;
  if (!rule.from.includes(ev.state) || (suspended && rule.suspended === 'never') || (!suspended && rule.suspended === 'only')) {
    const why = suspended && rule.suspended === 'never' ? 'the event is suspended; resume it first' : !suspended && rule.suspended === 'only' ? 'the event is not suspended' : `allowed from ${rule.from.join(', ')}`;
    throw new AppError(409, 'INVALID_TRANSITION', `Cannot "${action}" an event in state "${ev.state}": ${why}`, { state: ev.state, action });
  }
  const isLead = actor.department != null && actor.department === ev.leadDepartment;
  if (role === 'handler' && action !== 'complete_cotask' && action !== 'add_cohandler' && !isLead) {
    throw forbidden(`Only a handler of the responsible department (${ev.leadDepartment ?? 'none'}) may "${action}" this event`);
  }
  if (role === 'handler' && action === 'add_cohandler' && !isLead) throw forbidden('Only the responsible department may ask for co-handlers');
  if (role === 'citizen' && (ev.reporterId === null || ev.reporterId !== actor.id)) throw forbidden('Only the citizen who reported the event may rate it');
  if (role === 'grid_worker' && (!actor.orgPath || !ev.orgPath?.startsWith(actor.orgPath))) throw forbidden('Grid workers verify events in their own grid only');

  const reason = text(input.reason);
  const note = text(input.note);
  const department = text(input.department);
  const next: E = { ...ev, cohandlers: ev.cohandlers.map((c) => ({ ...c })), updatedAt: now, version: ev.version + 1 };
  let to: EventState = ev.state;
  let entryNote: string | null = reason ?? note ?? null;

  switch (action) {
    case 'dispatch': {
      const dept = department ?? ev.leadDepartment ?? undefined;
      next.leadDepartment = need(dept, 'DEPARTMENT_REQUIRED', 'Say which department leads: "department": "<code>"');
      to = 'dispatched';
      entryNote = note ?? `→ ${next.leadDepartment}`;
      break;
    }
    case 'accept':
      to = 'in_progress';
      break;
    case 'return':
      need(reason, 'REASON_REQUIRED', 'Say why the event is returned (e.g. wrong department): "reason"');
      next.leadDepartment = null;
      to = 'received';
      break;
    case 'transfer': {
      need(reason, 'REASON_REQUIRED', 'Say why the event is transferred: "reason"');
      const dept = need(department, 'DEPARTMENT_REQUIRED', 'Name the department to transfer to: "department"');
      if (dept === ev.leadDepartment) throw badRequest('SAME_DEPARTMENT', `The event is already with ${dept}`);
      next.leadDepartment = dept;
      next.cohandlers = next.cohandlers.filter((c) => c.department !== dept);
      to = 'dispatched';
      entryNote = `→ ${dept}: ${reason}`;
      break;
    }
    case 'add_cohandler': {
      const dept = need(department, 'DEPARTMENT_REQUIRED', 'Name the co-handling department: "department"');
      if (dept === ev.leadDepartment) throw badRequest('SAME_DEPARTMENT', `${dept} already leads this event`);
      if (ev.cohandlers.some((c) => c.department === dept)) throw conflict('COHANDLER_EXISTS', `${dept} already co-handles this event`);
      next.cohandlers.push({ department: dept, status: 'open', note: note ?? null });
      entryNote = `+ ${dept}${note ? `: ${note}` : ''}`;
      break;
    }
    case 'complete_cotask': {
      const task = next.cohandlers.find((c) => c.department === actor.department);
      if (!task) throw forbidden('Only a handler of a co-handling department may complete its task');
      if (task.status === 'done') throw conflict('COTASK_DONE', `The task of ${task.department} is already done`);
      task.status = 'done';
      task.note = note ?? null;
      break;
    }
    case 'report_result': {
      need(note, 'NOTE_REQUIRED', 'Describe what was done: "note"');
      const open = ev.cohandlers.filter((c) => c.status === 'open').map((c) => c.department);
      if (open.length) throw conflict('COTASKS_OPEN', `Co-handlers have not finished yet: ${open.join(', ')}`);
      next.resultAt = now;
      to = 'result_reported';
      break;
    }
    case 'verify':
      next.verifiedAt = now;
      break;
    case 'rate': {
      const r = input.rating;
      if (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || r > 5) throw badRequest('BAD_RATING', 'Rate the result with a whole number 1–5: "rating"');
      next.rating = r;
      next.ratingComment = text(input.comment) ?? null;
      entryNote = `${r}/5${next.ratingComment ? `: ${next.ratingComment}` : ''}`;
      if (r <= POOR_RATING && ev.reworkCount === 0) {
        // A poor rating sends the event back to the same department once, with a fresh time limit.
        next.reworkCount = 1;
        restart(next, now);
        to = 'dispatched';
      } else {
        to = 'rated';
      }
      break;
    }
    case 'close':
      next.closedAt = now;
      to = 'closed';
      break;
    case 'reopen':
      need(reason, 'REASON_REQUIRED', 'Say why the event is reopened: "reason"');
      if (!ev.leadDepartment) throw conflict('NO_DEPARTMENT', 'The event has no responsible department to reopen it to');
      restart(next, now);
      to = 'dispatched';
      break;
    case 'suspend':
      need(reason, 'REASON_REQUIRED', 'Say why the event is suspended: "reason"');
      next.suspendedAt = now;
      next.suspendReason = reason ?? null;
      break;
    case 'resume':
      next.pausedMs = ev.pausedMs + Math.max(0, now - (ev.suspendedAt ?? now));
      next.suspendedAt = null;
      next.suspendReason = null;
      break;
    case 'escalate':
      if (ev.escalationLevel >= MAX_ESCALATION) throw conflict('ESCALATION_MAX', 'The event is already escalated to the city centre');
      next.escalationLevel = ev.escalationLevel + 1;
      entryNote = `${next.escalationLevel === 1 ? 'street station' : 'city centre'}${reason ? `: ${reason}` : ''}`;
      break;
    case 'merge':
      if (ev.suspendedAt !== null) next.pausedMs = ev.pausedMs + Math.max(0, now - ev.suspendedAt);
      next.suspendedAt = null;
      next.suspendReason = null;
      next.closedAt = now;
      to = 'closed';
      break;
  }
  next.state = to;
  return { event: next, entry: { action, fromState: ev.state, toState: to, note: entryNote, public: rule.public } };
}

/** Back to work: clear the result and rating, restart the time-limit clock. */
function restart(e: LifecycleEvent, now: number): void {
  e.resultAt = null;
  e.verifiedAt = null;
  e.closedAt = null;
  e.rating = null;
  e.ratingComment = null;
  e.clockStartAt = now;
  e.pausedMs = 0;
  e.escalationLevel = 0;
}
