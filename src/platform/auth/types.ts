/** Identity and organisation: org tree, departments, users, API keys. */
import type { Area, Position } from '../geo/index.js';
import type { Principal, PrincipalRole, Role } from './roles.js';

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

/** Who did something, for the audit log: a principal, or a system actor such as "cli". */
export type Actor = Principal | string;

export interface CreateUserInput {
  username: string;
  password: string;
  displayName?: string;
  roles: Role[];
  orgUnitId?: string | null;
  department?: string | null;
}

export interface UserPatch {
  displayName?: string;
  roles?: Role[];
  orgUnitId?: string | null;
  department?: string | null;
  disabled?: boolean;
  /** Setting a password ends the user's existing sessions. */
  password?: string;
}

export interface UserFilter {
  role?: Role;
  /** Users scoped to this org unit or any unit under it. */
  orgUnitId?: string;
  department?: string;
  limit?: number;
  offset?: number;
}

export interface UserPage {
  items: User[];
  total: number;
  limit: number;
  offset: number;
}

export interface CreateApiKeyInput {
  name: string;
  /** Defaults to ["device"]. */
  roles?: PrincipalRole[];
  department?: string | null;
  orgUnitId?: string | null;
  autoProvision?: boolean;
}

export interface LoginResult {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
  user: User;
}

export interface AuthService extends OrgDirectory {
  /** Replace/insert org units (the demo city builder and imports use this); parents may come in the same list. */
  upsertOrgUnits(units: Omit<OrgUnit, 'path'>[], actor?: Actor): Promise<void>;
  upsertDepartments(depts: Department[], actor?: Actor): Promise<void>;
  listDepartments(): Promise<Department[]>;
  /** Throws 400 (bad input) or 409 USERNAME_TAKEN. */
  createUser(input: CreateUserInput, actor: Actor): Promise<User>;
  findUser(username: string): Promise<User | null>;
  countUsers(): Promise<number>;
  /** Returns the secret key once; only its hash is stored. */
  createApiKey(input: CreateApiKeyInput, actor: Actor): Promise<{ key: string; info: ApiKeyInfo }>;
}

/** The administration side used by the module's own routes (and the CLI). */
export interface UserAdmin {
  getUser(id: string, actor: Actor): Promise<User>;
  listUsers(filter: UserFilter, actor: Actor): Promise<UserPage>;
  updateUser(id: string, patch: UserPatch, actor: Actor): Promise<User>;
  login(input: { username: string; password: string }, ip: string): Promise<LoginResult>;
  changeOwnPassword(userId: string, currentPassword: string, newPassword: string): Promise<void>;
  listApiKeys(includeRevoked: boolean, actor: Actor): Promise<ApiKeyInfo[]>;
  revokeApiKey(id: string, actor: Actor): Promise<ApiKeyInfo>;
}
