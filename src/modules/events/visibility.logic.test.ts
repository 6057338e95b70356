/** Who sees which event, and how a principal's list is narrowed (pure). */
import { describe, expect, it } from 'vitest';
import { canSee, listScope, type Viewer } from './visibility.logic.js';

const ev = { reporterId: 'u_cit', leadDepartment: 'CGJ', cohandlers: [{ department: 'SWJ', status: 'done' as const, note: null }], orgPath: '/c1/d1/s1/' };
const v = (roles: string[], extra: Partial<Viewer> = {}): Viewer => ({ id: 'u_x', roles, department: null, orgPath: null, ...extra });

describe('canSee', () => {
  it('lets dispatchers, leaders and admins see every event', () => {
    for (const r of ['dispatcher', 'leader', 'admin']) expect(canSee(ev, v([r]))).toBe(true);
  });

  it('lets a handler see what their department leads or co-handles (done or not), nothing else', () => {
    expect(canSee(ev, v(['handler'], { department: 'CGJ' }))).toBe(true);
    expect(canSee(ev, v(['handler'], { department: 'SWJ' }))).toBe(true);
    expect(canSee(ev, v(['handler'], { department: 'JTJ' }))).toBe(false);
    expect(canSee(ev, v(['handler']))).toBe(false);
  });

  it('lets a grid worker see their org unit and everything below it', () => {
    expect(canSee(ev, v(['grid_worker'], { orgPath: '/c1/d1/' }))).toBe(true);
    expect(canSee(ev, v(['grid_worker'], { orgPath: '/c1/d1/s1/' }))).toBe(true);
    expect(canSee(ev, v(['grid_worker'], { orgPath: '/c1/d2/' }))).toBe(false);
    expect(canSee({ ...ev, orgPath: null }, v(['grid_worker'], { orgPath: '/c1/' }))).toBe(false);
  });

  it('lets anyone see the reports they made, and a citizen nothing else', () => {
    expect(canSee(ev, v(['citizen'], { id: 'u_cit' }))).toBe(true);
    expect(canSee(ev, v(['citizen']))).toBe(false);
    expect(canSee(ev, v(['grid_worker'], { id: 'u_cit' }))).toBe(true);
    expect(canSee(ev, v(['device']))).toBe(false);
  });
});

describe('listScope', () => {
  it('narrows by role, and says why when the usual scope is missing', () => {
    expect(listScope(v(['dispatcher']), false)).toEqual({ kind: 'all' });
    expect(listScope(v(['dispatcher']), true)).toEqual({ kind: 'own', reason: 'mine' });
    expect(listScope(v(['handler'], { department: 'CGJ' }), false)).toEqual({ kind: 'department', department: 'CGJ' });
    expect(listScope(v(['grid_worker'], { orgPath: '/c1/d1/' }), false)).toEqual({ kind: 'org_unit', orgPath: '/c1/d1/' });
    expect(listScope(v(['grid_worker']), false)).toEqual({ kind: 'own', reason: 'NO_ORG_UNIT' });
    expect(listScope(v(['handler']), false)).toEqual({ kind: 'own', reason: 'NO_DEPARTMENT' });
    expect(listScope(v(['citizen']), false)).toEqual({ kind: 'own', reason: 'citizen' });
    expect(listScope(v(['device']), false)).toEqual({ kind: 'own', reason: 'NO_SCOPE' });
  });
});
