/**
 * A sensor's readings over the last hours (GET /api/v1/readings with step=auto:
 * raw values for short spans, min/avg/max rollups for long ones) with its
 * warning and alarm thresholds, followed live from the map's feed.
 */
import { Segmented, Spin } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../../api/client.js';
import { useI18n } from '../../../i18n/index.js';
import { EChart, type ChartOption } from '../charts/EChart.js';
import type { SensorWire, SeriesPoint } from '../types.js';
import { usePoll } from '../usePoll.js';

const SPANS = [1, 6, 24] as const;

export function SensorChart({ sensor }: { sensor: SensorWire }) {
  const { t, time, dateTime, lang } = useI18n();
  const [hours, setHours] = useState<(typeof SPANS)[number]>(1);
  const { data } = usePoll((signal) => {
    const to = Date.now();
    return api<{ step: string; points: SeriesPoint[] }>('/api/v1/readings', {
      query: { sensor: sensor.id, from: new Date(to - hours * 3_600_000).toISOString(), to: new Date(to + 60_000).toISOString(), step: 'auto' },
      signal,
    });
  }, hours === 1 ? 5_000 : 30_000, [sensor.id, hours]);

  const option = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    const at = (p: SeriesPoint) => Date.parse(p.ts);
    const raw = data.step === 'raw';
    const marks = [
      sensor.thresholds?.warn !== undefined ? { yAxis: sensor.thresholds.warn, name: t('ops.sensor.warn'), lineStyle: { color: '#fa8c16' } } : null,
      sensor.thresholds?.alarm !== undefined ? { yAxis: sensor.thresholds.alarm, name: t('ops.sensor.alarm'), lineStyle: { color: '#f5222d' } } : null,
    ].filter((m) => m !== null);
    const main = {
      name: raw ? t('ops.sensor.value') : t('ops.sensor.avg'), type: 'line', showSymbol: false,
      data: data.points.map((p) => [at(p), raw ? p.value : p.avg]),
      markLine: marks.length ? { symbol: 'none', label: { formatter: '{b}', fontSize: 10 }, data: marks } : undefined,
    };
    const band = raw ? [] : [
      { name: t('ops.sensor.min'), type: 'line', showSymbol: false, lineStyle: { width: 0.8, type: 'dotted' }, data: data.points.map((p) => [at(p), p.min]), color: '#91caff' },
      { name: t('ops.sensor.max'), type: 'line', showSymbol: false, lineStyle: { width: 0.8, type: 'dotted' }, data: data.points.map((p) => [at(p), p.max]), color: '#0958d9' },
    ];
    return {
      animation: false,
      grid: { left: 44, right: 12, top: 28, bottom: 24 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v} ${sensor.unit}` },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      xAxis: { type: 'time', axisLabel: { fontSize: 10, formatter: (v: number) => (hours > 6 ? dateTime(v) : time(v)) } },
      yAxis: { type: 'value', scale: true, name: sensor.unit, nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 } },
      series: [main, ...band],
    };
  }, [data, sensor, t, time, dateTime, hours]);

  return (
    <div data-testid="sensor-chart-box">
      <Segmented<number>
        size="small" value={hours} onChange={(v) => setHours(v as (typeof SPANS)[number])}
        options={SPANS.map((h) => ({ value: h, label: t('ops.sensor.hours', { n: h }) }))}
        aria-label={t('ops.sensor.span')}
      />
      {option
        ? <EChart key={lang} option={option} height={220} label={t('ops.sensor.chart', { name: sensor.name })} testId="sensor-chart" />
        : <Spin />}
      {data && data.points.length === 0 && <div className="ops-muted">{t('ops.sensor.noData')}</div>}
    </div>
  );
}
