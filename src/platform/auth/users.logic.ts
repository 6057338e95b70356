/** Rules for user and API-key input: usernames, passwords, roles. Pure; throws 400 AppErrors that say what to fix. */
import { badRequest } from '../errors.js';
import { DEVICE_ROLE, ROLES, type PrincipalRole, type Role } from './roles.js';

export const PASSWORD_MIN = 10;
/** scrypt hashes any length, but a bound keeps a megabyte "password" from costing the server. */
export const PASSWORD_MAX = 1024;
const USERNAME_RE = /^[A-Za-z0-9._-]{3,64}$/;

/** Usernames are case-insensitive: stored and looked up in lower case. */
export function normalizeUsername(raw: string): string {
  if (!USERNAME_RE.test(raw)) {
    throw badRequest('INVALID_USERNAME', `username: use 3 to 64 characters from A-Z a-z 0-9 . _ - (got ${JSON.stringify(raw.slice(0, 80))})`);
  }
  return raw.toLowerCase();
}

export function checkPassword(password: string, field = 'password'): void {
  const n = [...password].length;
  if (n < PASSWORD_MIN) throw badRequest('PASSWORD_TOO_SHORT', `${field}: use at least ${PASSWORD_MIN} characters (got ${n})`);
  if (n > PASSWORD_MAX) throw badRequest('PASSWORD_TOO_LONG', `${field}: use at most ${PASSWORD_MAX} characters`);
}

export function checkDisplayName(name: string): string {
  const t = name.trim();
  if (t.length === 0 || t.length > 200) throw badRequest('INVALID_DISPLAY_NAME', 'displayName: use 1 to 200 characters');
  return t;
}

function checkRoleList<T extends string>(roles: readonly string[], allowed: readonly T[], field: string): T[] {
  if (roles.length === 0) throw badRequest('NO_ROLES', `${field}: give at least one role from ${allowed.join(', ')}`);
  const unknown = roles.filter((r) => !(allowed as readonly string[]).includes(r));
  if (unknown.length) throw badRequest('UNKNOWN_ROLE', `${field}: unknown role ${unknown.join(', ')}; choose from ${allowed.join(', ')}`);
  return [...new Set(roles)] as T[];
}

/** Roles of a person (never "device"). */
export function checkUserRoles(roles: readonly string[]): Role[] {
  return checkRoleList(roles, ROLES, 'roles');
}

/** Roles an API key may act as: "device" or any user role (outside systems). */
export function checkKeyRoles(roles: readonly string[]): PrincipalRole[] {
  return checkRoleList<PrincipalRole>(roles, [DEVICE_ROLE, ...ROLES], 'roles');
}

export function checkKeyName(name: string): string {
  const t = name.trim();
  if (t.length === 0 || t.length > 200) throw badRequest('INVALID_NAME', 'name: use 1 to 200 characters to say what the key is for');
  return t;
}

/** Parse a roles JSON column defensively: unknown entries are dropped rather than trusted. */
export function rolesFromJson<T extends string>(text: string, allowed: readonly T[]): T[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? (v.filter((r) => (allowed as readonly unknown[]).includes(r)) as T[]) : [];
  } catch {
    return [];
  }
}
