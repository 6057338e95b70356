/** An area's risk: its value now, the reasons behind it, and its risk over the last hours (GET /api/v1/risk/history). */
import { List, Progress, Spin } from 'antd';
import { useMemo } from 'react';
import { api } from '../../../api/client.js';
import { useI18n } from '../../../i18n/index.js';
import { EChart, type ChartOption } from '../charts/EChart.js';
import type { AreaRisk, OrgUnit } from '../types.js';
import { usePoll } from '../usePoll.js';

const HOURS = 6;

export function AreaDetails({ id, unit, risk }: { id: string; unit: OrgUnit | undefined; risk: AreaRisk | undefined }) {
  const { t, pick, time, number, lang } = useI18n();
  const { data, missing } = usePoll((signal) => {
    const to = Date.now();
    return api<{ points: Array<{ at: string; value: number }> }>('/api/v1/risk/history', {
      query: { orgUnitId: id, from: new Date(to - HOURS * 3_600_000).toISOString(), to: new Date(to).toISOString() }, signal,
    });
  }, 60_000, [id]);
  const option = useMemo<ChartOption | null>(() => data && {
    animation: false,
    grid: { left: 36, right: 12, top: 12, bottom: 24 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'time', axisLabel: { fontSize: 10, formatter: (v: number) => time(v) } },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { fontSize: 10 } },
    series: [{ name: t('ops.risk.value'), type: 'line', showSymbol: false, areaStyle: { opacity: 0.2 }, color: '#f5222d', data: data.points.map((p) => [Date.parse(p.at), p.value]) }],
  }, [data, t, time]);
  const value = risk?.value ?? 0;
  return (
    <div data-testid="area-details">
      <h3 className="ops-h3">{unit ? pick(unit.nameZh, unit.nameEn) : id}</h3>
      <Progress percent={Math.round(value * 100)} status={value >= 0.5 ? 'exception' : 'normal'} format={() => number(value, 2)} aria-label={t('ops.risk.value')} />
      <h3 className="ops-h3">{t('ops.risk.reasons')}</h3>
      <List size="small" locale={{ emptyText: t('ops.risk.calm') }} dataSource={risk?.reasons ?? []}
        renderItem={(r) => <List.Item>{pick(r.messageZh, r.messageEn)} <span className="ops-muted">({number(r.weight, 2)})</span></List.Item>} />
      <h3 className="ops-h3">{t('ops.risk.history', { n: HOURS })}</h3>
      {missing ? <span className="ops-muted">{t('ops.unavailable')}</span> : option ? <EChart key={lang} option={option} height={160} label={t('ops.risk.history', { n: HOURS })} /> : <Spin />}
    </div>
  );
}
