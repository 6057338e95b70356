/** Entry point: providers (i18n, antd locale and theme, session, preferences) around the routes. */
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App.js';
import { AuthProvider } from './auth/AuthContext.js';
import { I18nProvider, useI18n } from './i18n/index.js';
import { PreferencesProvider, usePreferences } from './shell/Preferences.js';
import { elderlyTheme, standardTheme } from './shell/theme.js';
import './styles.css';

function Themed({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  const { elderly } = usePreferences();
  document.documentElement.lang = lang;
  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zhCN : enUS} theme={elderly ? elderlyTheme : standardTheme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

// The operations centre is the heaviest screen (map library, its workers, the road network): on a direct visit to
// /ops its chunk starts loading now, alongside the session check, instead of after it (App.tsx's lazy import then
// finds it loaded). A failure here is left to that import to report.
if (location.pathname.startsWith('/ops')) import('./pages/ops/OpsCentre.js').catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <PreferencesProvider>
        <Themed>
          <AuthProvider>
            <BrowserRouter>
              <App />
            </BrowserRouter>
          </AuthProvider>
        </Themed>
      </PreferencesProvider>
    </I18nProvider>
  </StrictMode>,
);
