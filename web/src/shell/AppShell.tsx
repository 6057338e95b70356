/** The frame around every screen: header with the screens this role may use, language and elderly-mode switches, sign-out. */
import { Button, Layout, Menu, Segmented, Space, Switch, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext.js';
import { canUse, type Screen } from '../auth/roles.js';
import { useI18n, type Lang, type MessageKey } from '../i18n/index.js';
import { usePreferences } from './Preferences.js';

const NAV: Array<{ screen: Screen; path: string; label: MessageKey }> = [
  { screen: 'ops', path: '/ops', label: 'nav.ops' },
  { screen: 'workbench', path: '/workbench', label: 'nav.workbench' },
  { screen: 'grid', path: '/grid', label: 'nav.grid' },
  { screen: 'citizen', path: '/citizen', label: 'nav.citizen' },
];

export function AppShell({ children, bare = false }: { children: ReactNode; bare?: boolean }) {
  const { t, lang, setLang } = useI18n();
  const { user, logout } = useAuth();
  const { elderly, setElderly } = usePreferences();
  const location = useLocation();
  const navigate = useNavigate();
  const items = NAV.filter((n) => canUse(user, n.screen)).map((n) => ({ key: n.path, label: <Link to={n.path}>{t(n.label)}</Link> }));
  const selected = NAV.find((n) => location.pathname.startsWith(n.path))?.path;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">{t('shell.skip')}</a>
      <Layout.Header className="app-header" role="banner">
        <Typography.Title level={1} className="app-title"><Link to="/">{t('app.short')}</Link></Typography.Title>
        {!bare && <Menu mode="horizontal" theme="dark" selectedKeys={selected ? [selected] : []} items={items} className="app-nav" aria-label={t('app.name')} />}
        <Space className="app-tools" wrap>
          <Segmented<Lang>
            aria-label={t('shell.language')}
            value={lang}
            onChange={(v) => setLang(v)}
            options={[{ label: '中文', value: 'zh-CN' }, { label: 'English', value: 'en-US' }]}
            data-testid="lang-switch"
          />
          <label className="elderly-switch">
            <Switch checked={elderly} onChange={setElderly} aria-label={t('shell.elderly')} data-testid="elderly-switch" />
            <span>{t('shell.elderly')}</span>
          </label>
          {user
            ? <Button onClick={() => { logout(); navigate('/login'); }} data-testid="logout">{t('shell.logout')} · {user.displayName}</Button>
            : <Button type="primary" onClick={() => navigate('/login')}>{t('shell.login')}</Button>}
        </Space>
      </Layout.Header>
      <Layout.Content id="main" role="main" tabIndex={-1}>{children}</Layout.Content>
    </Layout>
  );
}
