/** Route guards: wait for the session check, send strangers to sign in, tell a role it may not use a screen. */
import { Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext.js';
import { canUse, type Screen } from '../auth/roles.js';
import { useI18n } from '../i18n/index.js';

export function Loading() {
  const { t } = useI18n();
  return <div className="page-loading" role="status"><Spin /> <span>{t('common.loading')}</span></div>;
}

export function RequireScreen({ screen, children }: { screen: Screen; children: ReactNode }) {
  const { user, checking } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  if (checking) return <Loading />;
  if (!user && screen !== 'citizen') return <Navigate to="/login" state={{ from: location.pathname }} replace />;
  if (!canUse(user, screen)) return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
  return <>{children}</>;
}
