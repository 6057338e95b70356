/** Identity and organisation module (placeholder until implemented). */
import type { CityModule, Kernel } from '../module.js';
import type { AuditLog } from '../audit/types.js';
import type { Authenticator } from '../http/app.js';
import type { AuthService } from './types.js';

export * from './types.js';
export * from './roles.js';

export function createAuthModule(_k: Kernel & { audit: AuditLog }): { module: CityModule; auth: AuthService; authenticator: Authenticator } {
  const authenticator: Authenticator = { authenticate: async () => null };
  const auth = {} as AuthService;
  return { module: { name: 'auth', migrations: [] }, auth, authenticator };
}
