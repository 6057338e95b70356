/**
 * Users, login and API-key use cases: validate, hash, store, audit. Login is
 * slowed down per username and per IP after repeated failures.
 */
import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/types.js';
import type { Clock } from '../clock.js';
import { AppError, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { hashApiKey, type AuthenticatorHandle } from './authenticator.js';
import type { OrgService } from './org.service.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.js';
import { DEVICE_ROLE, ROLES, type PrincipalRole, type Role } from './roles.js';
import type { Sessions } from './sessions.js';
import { isUniqueViolation, type ApiKeyRow, type AuthStore, type UserRow } from './store.js';
import { LoginThrottle, retryAfterSeconds } from './throttle.logic.js';
import type { Actor, ApiKeyInfo, CreateApiKeyInput, CreateUserInput, LoginResult, User, UserFilter, UserPage, UserPatch } from './types.js';
import { checkDisplayName, checkKeyName, checkKeyRoles, checkPassword, checkUserRoles, normalizeUsername, rolesFromJson } from './users.logic.js';

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: rolesFromJson(r.roles, ROLES),
    orgUnitId: r.org_unit_id,
    department: r.department,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
  };
}

export function toApiKeyInfo(r: ApiKeyRow): ApiKeyInfo {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    roles: rolesFromJson<PrincipalRole>(r.roles, [DEVICE_ROLE, ...ROLES]),
    department: r.department,
    orgUnitId: r.org_unit_id,
    autoProvision: r.auto_provision === 1,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

const userNotFound = (id: string) => notFound('USER_NOT_FOUND', `No user ${id}; list them with GET /api/v1/users`);
const badCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Wrong username or password');

export interface UserServiceDeps {
  store: AuthStore;
  org: OrgService;
  audit: AuditLog;
  clock: Clock;
  sessions: Sessions;
  auth: AuthenticatorHandle;
  throttle?: LoginThrottle;
}

export function createUserService(deps: UserServiceDeps) {
  const { store, org, audit, clock, sessions } = deps;
  const throttle = deps.throttle ?? new LoginThrottle();

  async function loadUser(id: string): Promise<UserRow> {
    const r = await store.userById(id);
    if (!r) throw userNotFound(id);
    return r;
  }

  /** 409 when the change would leave no enabled admin (nobody could administer the city any more). */
  async function keepAnAdmin(target: UserRow, next: { roles: Role[]; disabled: boolean }): Promise<void> {
    const wasAdmin = !target.disabled && rolesFromJson(target.roles, ROLES).includes('admin');
    if (!wasAdmin || (!next.disabled && next.roles.includes('admin'))) return;
    const others = (await store.enabledUserRoles()).filter((u) => u.id !== target.id && rolesFromJson(u.roles, ROLES).includes('admin'));
    if (others.length === 0) throw conflict('LAST_ADMIN', 'This is the last enabled admin; make another user admin first');
  }

  return {
    async createUser(input: CreateUserInput, actor: Actor): Promise<User> {
      const username = normalizeUsername(input.username);
      checkPassword(input.password);
      const roles = checkUserRoles(input.roles);
      const displayName = input.displayName == null ? input.username : checkDisplayName(input.displayName);
      await org.checkRefs(input);
      if (await store.userByName(username)) throw conflict('USERNAME_TAKEN', `The username ${username} is taken; choose another`);
      const row: UserRow = {
        id: newId('usr'),
        username,
        display_name: displayName,
        password_hash: await hashPassword(input.password),
        roles: JSON.stringify(roles),
        org_unit_id: input.orgUnitId ?? null,
        department: input.department ?? null,
        disabled: 0,
        created_at: clock.now(),
        tokens_valid_after: 0,
      };
      try {
        await store.insertUser(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('USERNAME_TAKEN', `The username ${username} is taken; choose another`);
        throw err;
      }
      const user = toUser(row);
      await audit.append({ actor, action: 'user.create', targetType: 'user', targetId: user.id, details: { username, roles, orgUnitId: user.orgUnitId, department: user.department } });
      return user;
    },

    async findUser(username: string): Promise<User | null> {
      const r = await store.userByName(username.toLowerCase());
      return r ? toUser(r) : null;
    },

    countUsers: () => store.countUsers(),

    async getUser(id: string, actor: Actor): Promise<User> {
      const user = toUser(await loadUser(id));
      await audit.append({ actor, action: 'user.read', targetType: 'user', targetId: id });
      return user;
    },

    async listUsers(filter: UserFilter, actor: Actor): Promise<UserPage> {
      const limit = filter.limit ?? 50;
      const offset = filter.offset ?? 0;
      let orgUnitPath: string | undefined;
      if (filter.orgUnitId) orgUnitPath = (await org.getOrThrow(filter.orgUnitId)).path;
      const { rows, total } = await store.listUsers({ role: filter.role, department: filter.department, orgUnitPath, limit, offset });
      await audit.append({ actor, action: 'user.list', targetType: 'user', details: { filter: { ...filter }, returned: rows.length } });
      return { items: rows.map(toUser), total, limit, offset };
    },

    async updateUser(id: string, patch: UserPatch, actor: Actor): Promise<User> {
      const target = await loadUser(id);
      const set: Partial<UserRow> = {};
      const roles = patch.roles !== undefined ? checkUserRoles(patch.roles) : rolesFromJson(target.roles, ROLES);
      if (patch.roles !== undefined) set.roles = JSON.stringify(roles);
      if (patch.displayName !== undefined) set.display_name = checkDisplayName(patch.displayName);
      if (patch.password !== undefined) {
        checkPassword(patch.password);
        set.password_hash = await hashPassword(patch.password);
        // Sessions issued before now end; whole seconds because JWT iat is in seconds.
        set.tokens_valid_after = Math.floor(clock.now() / 1000) * 1000;
      }
      await org.checkRefs(patch);
      if (patch.orgUnitId !== undefined) set.org_unit_id = patch.orgUnitId;
      if (patch.department !== undefined) set.department = patch.department;
      if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
      await keepAnAdmin(target, { roles, disabled: patch.disabled ?? target.disabled === 1 });
      if (Object.keys(set).length) await store.updateUser(id, set);
      deps.auth.forgetUser(id);
      const changed = Object.keys(patch).filter((k) => patch[k as keyof UserPatch] !== undefined);
      await audit.append({ actor, action: 'user.update', targetType: 'user', targetId: id, details: { changed, ...(patch.roles ? { roles } : {}), ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}) } });
      return toUser({ ...target, ...set });
    },

    /** Throws 429 LOGIN_THROTTLED (details.retryAfterSeconds) or 401 INVALID_CREDENTIALS. */
    async login(input: { username: string; password: string }, ip: string): Promise<LoginResult> {
      const uname = typeof input.username === 'string' ? input.username.toLowerCase() : '';
      const keys = [`u:${uname.slice(0, 64)}`, `ip:${ip}`];
      const wait = throttle.wait(keys, clock.now());
      if (wait > 0) {
        const s = retryAfterSeconds(wait);
        throw new AppError(429, 'LOGIN_THROTTLED', `Too many failed sign-ins; try again in ${s} s`, { retryAfterSeconds: s });
      }
      // Charge the attempt before the (slow) password check, so parallel guesses cannot slip past the lock.
      const lock = throttle.fail(keys, clock.now());
      const row = await store.userByName(uname);
      const ok = row ? await verifyPassword(input.password, row.password_hash) : await burnPasswordCheck(input.password);
      if (!row || !ok) {
        await audit.append({ actor: 'anonymous', action: 'user.login_failed', targetType: 'user', targetId: row?.id, details: { username: uname.slice(0, 64), ip, ...(lock ? { lockedForSeconds: retryAfterSeconds(lock) } : {}) } });
        throw badCredentials();
      }
      throttle.succeed(keys);
      if (row.disabled) {
        await audit.append({ actor: 'anonymous', action: 'user.login_failed', targetType: 'user', targetId: row.id, details: { username: uname, ip, reason: 'disabled' } });
        throw new AppError(403, 'ACCOUNT_DISABLED', 'This account is disabled; ask an administrator');
      }
      const { token, expiresAt } = await sessions.issue(row.id);
      const user = toUser(row);
      await audit.append({ actor: { kind: 'user', id: user.id, name: user.displayName, roles: user.roles }, action: 'user.login', targetType: 'user', targetId: user.id, details: { ip } });
      return { token, expiresAt, user };
    },

    async changeOwnPassword(userId: string, current: string, next: string): Promise<void> {
      const row = await loadUser(userId);
      if (!(await verifyPassword(current, row.password_hash))) throw new AppError(400, 'WRONG_PASSWORD', 'currentPassword: does not match your password');
      checkPassword(next, 'newPassword');
      await store.updateUser(userId, { password_hash: await hashPassword(next), tokens_valid_after: Math.floor(clock.now() / 1000) * 1000 });
      deps.auth.forgetUser(userId);
      await audit.append({ actor: userId, action: 'user.password_change', targetType: 'user', targetId: userId });
    },

    async createApiKey(input: CreateApiKeyInput, actor: Actor): Promise<{ key: string; info: ApiKeyInfo }> {
      const name = checkKeyName(input.name);
      const roles = checkKeyRoles(input.roles ?? [DEVICE_ROLE]);
      await org.checkRefs(input);
      const prefix = randomBytes(4).toString('hex');
      const key = `co_${prefix}_${randomBytes(24).toString('base64url')}`;
      const row: ApiKeyRow = {
        id: newId('key'),
        name,
        prefix: `co_${prefix}`,
        key_hash: hashApiKey(key),
        roles: JSON.stringify(roles),
        department: input.department ?? null,
        org_unit_id: input.orgUnitId ?? null,
        auto_provision: input.autoProvision ? 1 : 0,
        created_at: clock.now(),
        revoked_at: null,
      };
      await store.insertApiKey(row);
      const info = toApiKeyInfo(row);
      await audit.append({ actor, action: 'apikey.create', targetType: 'api_key', targetId: info.id, details: { name, prefix: info.prefix, roles, department: info.department, orgUnitId: info.orgUnitId, autoProvision: info.autoProvision } });
      return { key, info };
    },

    async listApiKeys(includeRevoked: boolean, actor: Actor): Promise<ApiKeyInfo[]> {
      const rows = await store.listApiKeys(includeRevoked);
      await audit.append({ actor, action: 'apikey.list', targetType: 'api_key', details: { includeRevoked, returned: rows.length } });
      return rows.map(toApiKeyInfo);
    },

    async revokeApiKey(id: string, actor: Actor): Promise<ApiKeyInfo> {
      const row = await store.apiKeyById(id);
      if (!row) throw notFound('API_KEY_NOT_FOUND', `No API key ${id}; list them with GET /api/v1/api-keys`);
      if (row.revoked_at !== null) return toApiKeyInfo(row);
      const at = clock.now();
      await store.revokeApiKey(id, at);
      deps.auth.forgetApiKey(id);
      await audit.append({ actor, action: 'apikey.revoke', targetType: 'api_key', targetId: id, details: { name: row.name, prefix: row.prefix } });
      return toApiKeyInfo({ ...row, revoked_at: at });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
