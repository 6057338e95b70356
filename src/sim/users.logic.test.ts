/** Demo users: every role, handlers per department, the well-known demo passwords. */
import { describe, expect, it } from 'vitest';
import { ROLES } from '../platform/auth/roles.js';
import { demoPassword, demoUsers } from './users.logic.js';

describe('demoUsers', () => {
  const depts = [{ code: 'SWJ', nameZh: '水务局' }, { code: 'JTJ', nameZh: '交通运输局' }, { code: 'XFJ', nameZh: '消防救援支队' }];

  it('has a user for every role and a handler for each known demo department', () => {
    const users = demoUsers(depts);
    expect(new Set(users.map((u) => u.role))).toEqual(new Set(ROLES));
    expect(users.filter((u) => u.role === 'handler').map((u) => [u.username, u.department])).toEqual([['handler.swj', 'SWJ'], ['handler.jtj', 'JTJ'], ['handler.xfj', 'XFJ']]);
    expect(users.find((u) => u.role === 'grid_worker')!.scope).toBe('grid');
    expect(new Set(users.map((u) => u.username)).size).toBe(users.length);
  });

  it('uses demo-<role>-2026 passwords, long enough for the password rules', () => {
    expect(demoPassword('admin')).toBe('demo-admin-2026');
    expect(demoPassword('grid_worker')).toBe('demo-grid-worker-2026');
    for (const u of demoUsers(depts)) expect(u.password.length).toBeGreaterThanOrEqual(10);
  });
});
