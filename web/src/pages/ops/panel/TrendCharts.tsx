/** Trend charts: a rolling line of open events, active alarms and readings per second; today's reports by channel. */
import { useMemo } from 'react';
import { useI18n } from '../../../i18n/index.js';
import { EChart, type ChartOption } from '../charts/EChart.js';
import { CHANNELS } from '../types.js';
import type { TrendSample } from './useOpsStats.js';

export function TrendCharts({ samples, byChannel }: { samples: TrendSample[]; byChannel: Record<string, number> | null }) {
  const { t, time, lang } = useI18n();

  const trend = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 36, right: 36, top: 28, bottom: 22 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { fontSize: 11 }, itemWidth: 14 },
    xAxis: { type: 'time', splitNumber: 3, axisLabel: { fontSize: 10, hideOverlap: true, formatter: (v: number) => time(v) } },
    yAxis: [{ type: 'value', minInterval: 1, axisLabel: { fontSize: 10 } }, { type: 'value', axisLabel: { fontSize: 10 }, splitLine: { show: false } }],
    series: [
      { name: t('ops.trend.openEvents'), type: 'line', showSymbol: false, data: samples.map((s) => [s.at, s.openEvents]) },
      { name: t('ops.trend.activeAlarms'), type: 'line', showSymbol: false, data: samples.map((s) => [s.at, s.activeAlarms]), color: '#f5222d' },
      { name: t('ops.trend.readingsPerS'), type: 'line', showSymbol: false, yAxisIndex: 1, data: samples.map((s) => [s.at, s.readingsPerS]), color: '#13c2c2', lineStyle: { type: 'dashed' } },
    ],
  }), [samples, t, time]);

  const channels = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 72, right: 16, top: 8, bottom: 20 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'category', data: CHANNELS.map((c) => t(`channel.${c}`)), axisLabel: { fontSize: 11 } },
    series: [{ type: 'bar', data: CHANNELS.map((c) => byChannel?.[c] ?? 0), itemStyle: { color: '#1677ff' }, barMaxWidth: 14 }],
  }), [byChannel, t]);

  return (
    <section aria-label={t('ops.panel.trends')}>
      <h3 className="ops-h3">{t('ops.trend.title')}</h3>
      <EChart key={`trend-${lang}`} option={trend} height={170} label={t('ops.trend.title')} testId="chart-trend" />
      <h3 className="ops-h3">{t('ops.panel.byChannel')}</h3>
      <EChart key={`ch-${lang}`} option={channels} height={150} label={t('ops.panel.byChannel')} testId="chart-channels" />
    </section>
  );
}
