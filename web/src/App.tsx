/**
 * Routes of the web app. Each screen is its own lazily loaded chunk, so the
 * citizen portal never downloads the operations centre's map and charts.
 */
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useAuth } from './auth/AuthContext.js';
import { homeOf, type Screen } from './auth/roles.js';
import { AppShell } from './shell/AppShell.js';
import { Loading, RequireScreen } from './shell/guards.js';

const LoginPage = lazy(() => import('./pages/login/LoginPage.js'));
const OpsCentre = lazy(() => import('./pages/ops/OpsCentre.js'));
const Workbench = lazy(() => import('./pages/workbench/Workbench.js'));
const GridWorker = lazy(() => import('./pages/grid/GridWorker.js'));
const CitizenPortal = lazy(() => import('./pages/citizen/CitizenPortal.js'));

function Home() {
  const { user, checking } = useAuth();
  if (checking) return <Loading />;
  return <Navigate to={user ? homeOf(user) : '/citizen'} replace />;
}

function Screen({ screen, children }: { screen: Screen; children: React.ReactNode }) {
  return <AppShell><RequireScreen screen={screen}><Suspense fallback={<Loading />}>{children}</Suspense></RequireScreen></AppShell>;
}

export function App() {
  return (
    <Routes>
      <Route path="/" element={<Home />} />
      <Route path="/login" element={<AppShell bare><Suspense fallback={<Loading />}><LoginPage /></Suspense></AppShell>} />
      <Route path="/ops/*" element={<Screen screen="ops"><OpsCentre /></Screen>} />
      <Route path="/workbench/*" element={<Screen screen="workbench"><Workbench /></Screen>} />
      <Route path="/grid/*" element={<Screen screen="grid"><GridWorker /></Screen>} />
      <Route path="/citizen/*" element={<Screen screen="citizen"><CitizenPortal /></Screen>} />
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
