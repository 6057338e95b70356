/** Which screens a role works in; the server enforces access, this only decides what the UI offers. */
export type Role = 'admin' | 'dispatcher' | 'handler' | 'grid_worker' | 'data_officer' | 'auditor' | 'leader' | 'citizen';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  orgUnitId: string | null;
  department: string | null;
}

export type Screen = 'ops' | 'workbench' | 'grid' | 'citizen';

const SCREENS: Record<Screen, readonly Role[]> = {
  ops: ['admin', 'dispatcher', 'leader', 'auditor', 'data_officer'],
  workbench: ['admin', 'dispatcher', 'handler', 'leader'],
  grid: ['grid_worker'],
  citizen: ['citizen'],
};

export function canUse(user: SessionUser | null, screen: Screen): boolean {
  // The citizen portal's reporting and tracking also work without signing in.
  if (screen === 'citizen') return true;
  return !!user && user.roles.some((r) => SCREENS[screen].includes(r));
}

/**
 * What the server lets each role read (a copy of the routes' access lists), so a
 * screen does not ask for what would be refused and shows "not available" instead.
 */
const READS = {
  /** GET /api/v1/events (lists and queues). */
  events: ['admin', 'dispatcher', 'handler', 'grid_worker', 'citizen', 'leader'],
  /** GET /api/v1/events/stats. */
  eventStats: ['admin', 'dispatcher', 'handler', 'leader', 'auditor'],
  /** GET /api/v1/alarms, /alarms/summary, /alarms/live. */
  alarms: ['admin', 'dispatcher', 'handler', 'leader', 'auditor'],
  /** GET /api/v1/risk/map and /risk/history. */
  risk: ['admin', 'dispatcher', 'handler', 'leader', 'auditor', 'grid_worker'],
} as const satisfies Record<string, readonly Role[]>;

export type Readable = keyof typeof READS;

export function mayRead(user: SessionUser | null, what: Readable): boolean {
  return !!user && user.roles.some((r) => (READS[what] as readonly Role[]).includes(r));
}

export function hasRole(user: SessionUser | null, ...roles: Role[]): boolean {
  return !!user && user.roles.some((r) => roles.includes(r));
}

/** Where a user lands after signing in. */
export function homeOf(user: SessionUser): string {
  if (hasRole(user, 'dispatcher', 'admin', 'leader', 'auditor', 'data_officer')) return '/ops';
  if (hasRole(user, 'handler')) return '/workbench';
  if (hasRole(user, 'grid_worker')) return '/grid';
  return '/citizen';
}
