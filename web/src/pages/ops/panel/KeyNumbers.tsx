/** Key numbers: open and overdue events, today's reports, active alarms by severity. */
import { Card, Statistic, Tag } from 'antd';
import { useI18n } from '../../../i18n/index.js';
import { SEVERITY_COLOURS } from '../map/style.js';
import { SEVERITIES } from '../types.js';
import type { OpsStats } from './useOpsStats.js';

export function KeyNumbers({ stats, openEvents }: { stats: OpsStats; openEvents: number | null }) {
  const { t, number } = useI18n();
  const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '–' : number(n));
  return (
    <section className="ops-numbers" aria-label={t('ops.panel.numbers')} data-testid="ops-numbers">
      <Card size="small"><Statistic title={t('ops.panel.openEvents')} value={fmt(openEvents)} data-testid="num-open" /></Card>
      <Card size="small"><Statistic title={t('ops.panel.overdue')} value={fmt(stats.overdue)} styles={{ content: { color: stats.overdue ? '#cf1322' : undefined } }} data-testid="num-overdue" /></Card>
      <Card size="small"><Statistic title={t('ops.panel.reportsToday')} value={fmt(stats.today?.total)} data-testid="num-today" /></Card>
      <Card size="small" className="ops-alarm-card">
        <div className="ops-card-title">{t('ops.panel.alarmsBySeverity')}</div>
        {stats.alarmsMissing
          ? <span className="ops-muted">{t('ops.unavailable')}</span>
          : (
            <div className="ops-severities">
              {SEVERITIES.map((s) => (
                <Tag key={s} color={SEVERITY_COLOURS[s]} className="ops-sev-tag" data-testid={`num-alarm-${s}`}>
                  {t(`severity.${s}`)} {fmt(stats.alarms?.activeBySeverity[s] ?? (stats.alarms ? 0 : null))}
                </Tag>
              ))}
            </div>
          )}
      </Card>
    </section>
  );
}
