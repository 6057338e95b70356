/**
 * The citizen portal (市民服务, SPEC U2): report a problem, track it by code,
 * see and rate one's own reports. In the elderly-friendly mode the report is
 * asked one question per screen. No map or chart code is loaded here unless
 * the citizen opens the pin map.
 */
import { Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext.js';
import { hasRole } from '../../auth/roles.js';
import { useI18n } from '../../i18n/index.js';
import { usePreferences } from '../../shell/Preferences.js';
import { MyReports } from './MyReports.js';
import { ReportForm } from './ReportForm.js';
import { ReportWizard } from './ReportWizard.js';
import { Submitted } from './Submitted.js';
import { TrackPage } from './TrackPage.js';
import { useReportDraft, type Sent } from './useReportDraft.js';
import './citizen.css';

function Menu() {
  const { t } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  return (
    <Card>
      <Typography.Title level={2}>{t('citizen.welcome')}</Typography.Title>
      <nav aria-label={t('citizen.title')}>
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          {/* Buttons that navigate, not buttons inside links: one tab stop per choice and a target as big as it looks. */}
          <Button type="primary" size="large" block className="big-choice" onClick={() => navigate('/citizen/report')} data-testid="menu-report">{t('citizen.menu.report')}</Button>
          <Button size="large" block className="big-choice" onClick={() => navigate('/citizen/track')} data-testid="menu-track">{t('citizen.menu.track')}</Button>
          {user && <Button size="large" block className="big-choice" onClick={() => navigate('/citizen/mine')} data-testid="menu-mine">{t('citizen.menu.mine')}</Button>}
        </Space>
      </nav>
    </Card>
  );
}

function Report() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { elderly } = usePreferences();
  const location = useLocation();
  const navigate = useNavigate();
  const draftApi = useReportDraft();
  const [sent, setSent] = useState<Sent | null>(null);
  if (!user || !hasRole(user, 'citizen')) {
    return (
      <Card>
        <Typography.Paragraph>{t('citizen.signInToReport')}</Typography.Paragraph>
        <Button type="primary" size="large" onClick={() => navigate('/login', { state: { from: location.pathname } })} data-testid="report-sign-in">{t('citizen.signIn')}</Button>
      </Card>
    );
  }
  if (sent) return <Submitted sent={sent} onAnother={() => { draftApi.reset(); setSent(null); }} />;
  const submit = async () => {
    const r = await draftApi.send();
    if (r) setSent(r);
  };
  return elderly ? <ReportWizard draftApi={draftApi} onSubmit={submit} /> : <ReportForm draftApi={draftApi} onSubmit={submit} />;
}

export default function CitizenPortal() {
  return (
    <div className="citizen-portal">
      <Routes>
        <Route index element={<Menu />} />
        <Route path="report" element={<Report />} />
        <Route path="track" element={<TrackPage />} />
        <Route path="track/:code" element={<TrackPage />} />
        <Route path="mine" element={<MyReports />} />
      </Routes>
    </div>
  );
}
