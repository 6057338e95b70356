/** The signed-in session: token in sessionStorage, the user from /auth/me, sign in and out. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setApiToken, setUnauthorizedHandler } from '../api/client.js';
import type { Role, SessionUser } from './roles.js';

const TOKEN_KEY = 'cityops.token';

interface Auth {
  user: SessionUser | null;
  token: string | null;
  /** True until the stored session has been checked. */
  checking: boolean;
  login(username: string, password: string): Promise<SessionUser>;
  logout(): void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [user, setUser] = useState<SessionUser | null>(null);
  const [checking, setChecking] = useState<boolean>(() => !!sessionStorage.getItem(TOKEN_KEY));
  setApiToken(token);

  const logout = useCallback(() => {
    sessionStorage.removeItem(TOKEN_KEY);
    setApiToken(null);
    setToken(null);
    setUser(null);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(logout);
    return () => setUnauthorizedHandler(null);
  }, [logout]);

  useEffect(() => {
    if (!token || user) {
      setChecking(false);
      return;
    }
    let live = true;
    api<{ id: string; name: string; roles: Role[]; orgUnitId?: string; department?: string }>('/api/v1/auth/me')
      .then((me) => live && setUser({ id: me.id, username: me.name, displayName: me.name, roles: me.roles, orgUnitId: me.orgUnitId ?? null, department: me.department ?? null }))
      .catch(() => live && logout())
      .finally(() => live && setChecking(false));
    return () => {
      live = false;
    };
  }, [token, user, logout]);

  const login = useCallback(async (username: string, password: string) => {
    const r = await api<{ token: string; user: SessionUser }>('/api/v1/auth/login', { method: 'POST', body: { username, password } });
    sessionStorage.setItem(TOKEN_KEY, r.token);
    setApiToken(r.token);
    setToken(r.token);
    setUser(r.user);
    return r.user;
  }, []);

  const value = useMemo<Auth>(() => ({ user, token, checking, login, logout }), [user, token, checking, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
