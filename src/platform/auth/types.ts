/** Identity and organisation: org tree, departments, users, API keys. */
import type { Area, Position } from '../geo/index.js';
import type { PrincipalRole, Role } from './roles.js';

export type OrgLevel = 'city' | 'district' | 'street' | 'grid';

export interface OrgUnit {
  id: string;
  parentId: string | null;
  level: OrgLevel;
  code: string;
  nameZh: string;
  nameEn: string;
  boundary: Area | null;
  /** "/cityId/districtId/streetId/gridId/" — ancestors then self, for prefix queries. */
  path: string;
}

export interface Department {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  orgUnitId: string | null;
  department: string | null;
  disabled: boolean;
  createdAt: number;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  /** First characters of the key, to recognise it in lists. */
  prefix: string;
  roles: PrincipalRole[];
  department: string | null;
  orgUnitId: string | null;
  autoProvision: boolean;
  createdAt: number;
  revokedAt: number | null;
}

/** Read access to the org tree for other modules (locating a point, area filters). */
export interface OrgDirectory {
  get(id: string): Promise<OrgUnit | null>;
  /** The deepest unit (grid, else street, district, city) whose boundary contains the point. */
  locate(p: Position): OrgUnit | null;
  list(filter?: { level?: OrgLevel; parentId?: string }): Promise<OrgUnit[]>;
}

export interface AuthService extends OrgDirectory {
  /** Replace/insert org units (the demo city builder and imports use this). */
  upsertOrgUnits(units: Omit<OrgUnit, 'path'>[]): Promise<void>;
  upsertDepartments(depts: Department[]): Promise<void>;
  listDepartments(): Promise<Department[]>;
  createUser(input: { username: string; password: string; displayName?: string; roles: Role[]; orgUnitId?: string | null; department?: string | null }, actor: string): Promise<User>;
  findUser(username: string): Promise<User | null>;
  countUsers(): Promise<number>;
  /** Returns the secret key once; only its hash is stored. */
  createApiKey(input: { name: string; roles: PrincipalRole[]; department?: string | null; orgUnitId?: string | null; autoProvision?: boolean }, actor: string): Promise<{ key: string; info: ApiKeyInfo }>;
}
