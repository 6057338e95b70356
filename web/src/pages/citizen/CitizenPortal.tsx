/**
 * The citizen portal (市民服务, SPEC U2): report a problem, track it by code,
 * see and rate one's own reports. In the elderly-friendly mode the report is
 * asked one question per screen. No map or chart code is loaded here unless
 * the citizen opens the pin map.
 */
import { Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, Route, Routes, useLocation } from 'react-router-dom';
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
  return (
    <Card>
      <Typography.Title level={2}>{t('citizen.welcome')}</Typography.Title>
      <nav aria-label={t('citizen.title')}>
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Link to="/citizen/report"><Button type="primary" size="large" block className="big-choice" data-testid="menu-report">{t('citizen.menu.report')}</Button></Link>
          <Link to="/citizen/track"><Button size="large" block className="big-choice" data-testid="menu-track">{t('citizen.menu.track')}</Button></Link>
          {user && <Link to="/citizen/mine"><Button size="large" block className="big-choice" data-testid="menu-mine">{t('citizen.menu.mine')}</Button></Link>}
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
  const draftApi = useReportDraft();
  const [sent, setSent] = useState<Sent | null>(null);
  if (!user || !hasRole(user, 'citizen')) {
    return (
      <Card>
        <Typography.Paragraph>{t('citizen.signInToReport')}</Typography.Paragraph>
        <Link to="/login" state={{ from: location.pathname }}><Button type="primary" size="large">{t('citizen.signIn')}</Button></Link>
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
