/**
 * The demo city's users: one (or a few) per role, with the well-known demo
 * passwords that exist only in demo mode. Handlers belong to departments, the
 * grid worker to a grid.
 */
import type { Role } from '../platform/auth/roles.js';

export interface DemoUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  department: string | null;
  /** 'grid' = scoped to the first grid of the org tree, 'city' = the city, null = unscoped. */
  scope: 'grid' | 'city' | null;
}

/** Departments that get a demo handler: the ones the demo incidents route to. */
export const HANDLER_DEPARTMENTS = ['SWJ', 'JTJ', 'JJ', 'HBJ', 'XFJ', 'YJJ', 'CGJ', 'GYJ', 'MZJ'] as const;

export const demoPassword = (role: Role): string => `demo-${role.replace('_', '-')}-2026`;

export function demoUsers(departments: ReadonlyArray<{ code: string; nameZh: string }>): DemoUser[] {
  const u = (username: string, role: Role, displayName: string, department: string | null = null, scope: DemoUser['scope'] = null): DemoUser => ({
    username, password: demoPassword(role), displayName, role, department, scope,
  });
  const known = new Map(departments.map((d) => [d.code, d.nameZh]));
  return [
    u('admin', 'admin', '系统管理员 Admin', null, 'city'),
    u('dispatcher', 'dispatcher', '城运中心调度员 Dispatcher', null, 'city'),
    ...HANDLER_DEPARTMENTS.filter((c) => known.has(c)).map((c) => u(`handler.${c.toLowerCase()}`, 'handler', `${known.get(c)}处置人员 Handler ${c}`, c)),
    u('gridworker', 'grid_worker', '网格员 Grid worker', null, 'grid'),
    u('dataofficer', 'data_officer', '首席数据官 Data officer', null, 'city'),
    u('auditor', 'auditor', '审计员 Auditor', null, 'city'),
    u('leader', 'leader', '城市领导 City leader', null, 'city'),
    u('citizen', 'citizen', '市民 Citizen'),
  ];
}
