/** The right-hand panel: live status, key numbers and trend charts. */
import { Alert, Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { useI18n } from '../../../i18n/index.js';
import type { SensorLive } from '../layers/useSensors.js';
import { KeyNumbers } from './KeyNumbers.js';
import { LiveStatus } from './LiveStatus.js';
import type { OpsStats, TrendSample } from './useOpsStats.js';

// ECharts comes in its own chunk, after the map.
const TrendCharts = lazy(() => import('./TrendCharts.js').then((m) => ({ default: m.TrendCharts })));

export function SidePanel({ stats, openEvents, samples, sensors }: { stats: OpsStats; openEvents: number | null; samples: TrendSample[]; sensors: SensorLive }) {
  const { t } = useI18n();
  return (
    <aside className="ops-panel" aria-label={t('ops.panel.title')} data-testid="ops-panel">
      <h2 className="ops-h2">{t('ops.panel.title')}</h2>
      <LiveStatus feed={sensors.feed} connected={sensors.connected} />
      {stats.error && <Alert type="warning" showIcon title={t('common.error', { message: stats.error })} />}
      <KeyNumbers stats={stats} openEvents={openEvents} />
      {sensors.loaded && <Suspense fallback={<Spin />}><TrendCharts samples={samples} byChannel={stats.today?.byChannel ?? null} /></Suspense>}
    </aside>
  );
}
