/**
 * The right-hand panel: live status, key numbers and trend charts. It polls its
 * own figures and takes its own trend samples, so their updates re-render the
 * panel only, not the map screen around it.
 */
import { Alert, Spin } from 'antd';
import { lazy, Suspense, useRef, type RefObject } from 'react';
import { useI18n } from '../../../i18n/index.js';
import type { SensorLive } from '../layers/useSensors.js';
import { KeyNumbers } from './KeyNumbers.js';
import { LiveStatus } from './LiveStatus.js';
import { useOpsStats, useTrend } from './useOpsStats.js';

// ECharts comes in its own chunk, after the map.
const TrendCharts = lazy(() => import('./TrendCharts.js').then((m) => ({ default: m.TrendCharts })));

/** What the screen around the panel knows for a trend sample: open events, active alarms, readings applied so far. */
export interface PanelSample {
  openEvents: number;
  activeAlarms: number;
  readings: number;
}

export function SidePanel({ openEvents, sample, sensors }: { openEvents: number | null; sample: RefObject<() => PanelSample>; sensors: SensorLive }) {
  const { t } = useI18n();
  const stats = useOpsStats();
  const overdue = useRef(0);
  overdue.current = stats.overdue ?? 0;
  const last = useRef<{ n: number; at: number } | null>(null);
  const samples = useTrend(() => {
    const { openEvents: open, activeAlarms, readings: n } = sample.current();
    const at = Date.now();
    const prev = last.current;
    last.current = { n, at };
    return { openEvents: open, overdue: overdue.current, activeAlarms, readingsPerS: prev ? Math.round(((n - prev.n) * 1000) / Math.max(1, at - prev.at)) : 0 };
  });
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
