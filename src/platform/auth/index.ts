/**
 * Identity and organisation module: the org tree and departments, users with
 * roles, password sign-in with session tokens (JWT), API keys for devices and
 * outside systems, and the Authenticator the HTTP layer asks on every request.
 */
import { randomBytes } from 'node:crypto';
import type { CityModule, Kernel } from '../module.js';
import type { AuditLog } from '../audit/types.js';
import type { Authenticator } from '../http/app.js';
import { createAuthenticator } from './authenticator.js';
import { createOrgService } from './org.service.js';
import { createOrgStore } from './org.store.js';
import { registerOrgRoutes } from './org.routes.js';
import { registerAuthRoutes } from './routes.js';
import { createSessions } from './sessions.js';
import { createUserService } from './service.js';
import { createAuthStore, migrations } from './store.js';
import type { AuthService, UserAdmin } from './types.js';

export * from './types.js';
export * from './roles.js';

export function createAuthModule(k: Kernel & { audit: AuditLog }): { module: CityModule; auth: AuthService & UserAdmin; authenticator: Authenticator } {
  const store = createAuthStore(k.database);
  const org = createOrgService({ store: createOrgStore(k.database), audit: k.audit, log: k.log });
  // The configured secret, else one generated once and shared through the store by every process.
  const secret = async () => k.config.jwtSecret ?? store.settingOrInit('jwt_secret', randomBytes(48).toString('base64url'));
  const sessions = createSessions({ clock: k.clock, ttlSeconds: k.config.sessionTtlSeconds, secret });
  const handle = createAuthenticator({ store, sessions, clock: k.clock });
  const users = createUserService({ store, org, audit: k.audit, clock: k.clock, sessions, auth: handle });

  const auth: AuthService & UserAdmin = {
    get: org.get,
    list: org.list,
    locate: org.locate,
    upsertOrgUnits: org.upsertOrgUnits,
    upsertDepartments: org.upsertDepartments,
    listDepartments: org.listDepartments,
    ...users,
  };

  const module: CityModule = {
    name: 'auth',
    migrations,
    registerRoutes(app) {
      registerAuthRoutes(app, auth);
      registerOrgRoutes(app, org);
    },
    async start() {
      await org.seedDepartments();
      await org.reloadIndex();
      await secret();
    },
  };
  return { module, auth, authenticator: handle.authenticator };
}
