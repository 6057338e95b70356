/**
 * Ready-made callers for integration tests: one user per role (signed in
 * through the real login route) and a device API key, each as request headers.
 */
import type { CityOps } from '../../src/main.js';
import { ROLES, type Role } from '../../src/platform/auth/roles.js';

export interface TestPrincipal {
  headers: Record<string, string>;
  /** User id or API key id. */
  id: string;
}

/** Password of every user principalsFor creates ("t_<role>"). */
export const TEST_PASSWORD = 'test-password-0123';

/** Creates (or reuses) user t_<role> for every role and a fresh device key, and signs the users in. */
export async function principalsFor(city: CityOps): Promise<Record<Role | 'device', TestPrincipal>> {
  const auth = city.services.auth;
  const out = {} as Record<Role | 'device', TestPrincipal>;
  for (const role of ROLES) {
    const username = `t_${role}`;
    const user =
      (await auth.findUser(username)) ??
      (await auth.createUser({ username, password: TEST_PASSWORD, displayName: `Test ${role}`, roles: [role], department: role === 'handler' ? 'CGJ' : null }, 'test'));
    const res = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
    const { token } = res.json() as { token: string };
    out[role] = { id: user.id, headers: { authorization: `Bearer ${token}` } };
  }
  const { key, info } = await auth.createApiKey({ name: 'test device', roles: ['device'], department: 'SWJ', autoProvision: true }, 'test');
  out.device = { id: info.id, headers: { 'x-api-key': key } };
  return out;
}
