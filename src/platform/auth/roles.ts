/** Roles of CityOps users (SPEC "Who uses it") and the principal a request acts as. */
export const ROLES = ['admin', 'dispatcher', 'handler', 'grid_worker', 'data_officer', 'auditor', 'leader', 'citizen'] as const;
export type Role = (typeof ROLES)[number];

/** Devices and outside systems authenticate with API keys and act as this role. */
export const DEVICE_ROLE = 'device';
export type PrincipalRole = Role | typeof DEVICE_ROLE;

export const ROLE_NAMES: Record<PrincipalRole, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  dispatcher: { zh: '城运中心值班调度员', en: 'Operations-centre dispatcher' },
  handler: { zh: '委办局处置人员', en: 'Department handler' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  data_officer: { zh: '首席数据官', en: 'Data officer' },
  auditor: { zh: '审计员', en: 'Auditor' },
  leader: { zh: '城市领导', en: 'City leader' },
  citizen: { zh: '市民', en: 'Citizen' },
  device: { zh: '设备/外部系统', en: 'Device / outside system' },
};

export interface Principal {
  kind: 'user' | 'apikey';
  id: string;
  name: string;
  roles: PrincipalRole[];
  /** Org unit the principal is scoped to (city, district, street or grid). */
  orgUnitId?: string;
  /** Department code the principal belongs to (handlers, devices). */
  department?: string;
  /** API keys only: unknown sensors are registered instead of rejected. */
  autoProvision?: boolean;
}

/** Who may call a route: everyone, any signed-in principal, or the listed roles. */
export type Access = 'public' | 'authenticated' | readonly PrincipalRole[];

export function allows(access: Access, principal: Principal | undefined): boolean {
  if (access === 'public') return true;
  if (!principal) return false;
  if (access === 'authenticated') return true;
  return principal.roles.some((r) => access.includes(r));
}
