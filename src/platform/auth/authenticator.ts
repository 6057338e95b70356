/**
 * Resolves the caller of a request: a session token (Authorization: Bearer)
 * or an API key (X-API-Key, or Authorization: ApiKey). The user or key is
 * re-read from the store at most every few seconds, so a disabled user or a
 * revoked key is refused; changes made through this process take effect at once.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../errors.js';
import type { Clock } from '../clock.js';
import type { Authenticator } from '../http/app.js';
import { DEVICE_ROLE, ROLES, type Principal, type PrincipalRole } from './roles.js';
import type { AuthStore, ApiKeyRow, UserRow } from './store.js';
import type { Sessions } from './sessions.js';
import { rolesFromJson } from './users.logic.js';

/** How long a loaded user or key is trusted before it is read again (other processes' changes). */
const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;
const KEY_RE = /^co_[0-9a-f]{8}_[A-Za-z0-9_-]{20,100}$/;

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export function userPrincipal(u: UserRow): Principal {
  const p: Principal = { kind: 'user', id: u.id, name: u.display_name || u.username, roles: rolesFromJson(u.roles, ROLES) };
  if (u.org_unit_id) p.orgUnitId = u.org_unit_id;
  if (u.department) p.department = u.department;
  return p;
}

export function apiKeyPrincipal(k: ApiKeyRow): Principal {
  const p: Principal = { kind: 'apikey', id: k.id, name: k.name, roles: rolesFromJson<PrincipalRole>(k.roles, [DEVICE_ROLE, ...ROLES]), autoProvision: k.auto_provision === 1 };
  if (k.org_unit_id) p.orgUnitId = k.org_unit_id;
  if (k.department) p.department = k.department;
  return p;
}

const invalidKey = (why: string) => new AppError(401, 'INVALID_API_KEY', `${why}; send a valid key as "X-API-Key: co_…" (an admin creates keys with POST /api/v1/api-keys)`);

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

class TtlCache<V> {
  private readonly m = new Map<string, { v: V; at: number }>();
  constructor(private readonly clock: Clock) {}
  get(k: string): V | undefined {
    const e = this.m.get(k);
    if (!e) return undefined;
    if (this.clock.now() - e.at >= CACHE_MS || this.clock.now() < e.at) {
      this.m.delete(k);
      return undefined;
    }
    return e.v;
  }
  set(k: string, v: V): void {
    if (this.m.size >= CACHE_MAX) this.m.clear();
    this.m.set(k, { v, at: this.clock.now() });
  }
  deleteWhere(pred: (k: string, v: V) => boolean): void {
    for (const [k, e] of this.m) if (pred(k, e.v)) this.m.delete(k);
  }
}

export function createAuthenticator(deps: { store: AuthStore; sessions: Sessions; clock: Clock }) {
  const users = new TtlCache<UserRow | null>(deps.clock);
  const keys = new TtlCache<ApiKeyRow | null>(deps.clock);

  async function fromToken(token: string): Promise<Principal> {
    const t = await deps.sessions.verify(token);
    let u = users.get(t.userId);
    if (u === undefined) {
      u = (await deps.store.userById(t.userId)) ?? null;
      users.set(t.userId, u);
    }
    if (!u) throw new AppError(401, 'INVALID_TOKEN', 'The user of this session no longer exists; sign in again');
    if (u.disabled) throw new AppError(401, 'ACCOUNT_DISABLED', 'This account is disabled; ask an administrator');
    if (t.issuedAt < u.tokens_valid_after) throw new AppError(401, 'INVALID_TOKEN', 'This session ended when the password changed; sign in again');
    return userPrincipal(u);
  }

  async function fromApiKey(key: string): Promise<Principal> {
    if (!KEY_RE.test(key)) throw invalidKey('This is not a CityOps API key');
    const hash = hashApiKey(key);
    let k = keys.get(hash);
    if (k === undefined) {
      k = (await deps.store.apiKeyByHash(hash)) ?? null;
      keys.set(hash, k);
    }
    if (!k) throw invalidKey('Unknown API key');
    if (k.revoked_at !== null) throw invalidKey('This API key was revoked');
    return apiKeyPrincipal(k);
  }

  const authenticator: Authenticator = {
    async authenticate(headers) {
      const apiKey = header(headers, 'x-api-key');
      if (apiKey !== undefined) return fromApiKey(apiKey.trim());
      const authz = header(headers, 'authorization');
      if (authz === undefined) return null;
      const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(authz);
      const scheme = m?.[1]?.toLowerCase();
      if (m && scheme === 'bearer') return fromToken(m[2]!);
      if (m && scheme === 'apikey') return fromApiKey(m[2]!);
      throw new AppError(401, 'INVALID_TOKEN', 'Unsupported Authorization header; use "Bearer <session token>" or "ApiKey <key>"');
    },
  };

  return {
    authenticator,
    /** Drop cached state after a change made in this process, so it applies to the next request. */
    forgetUser(id: string): void {
      users.deleteWhere((k) => k === id);
    },
    forgetApiKey(id: string): void {
      keys.deleteWhere((_k, v) => v?.id === id);
    },
  };
}

export type AuthenticatorHandle = ReturnType<typeof createAuthenticator>;
