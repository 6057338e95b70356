/** Small shared renderings: state, time-limit and severity tags, department and category names. */
import { Tag } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useTaxonomy } from '../../api/taxonomy.js';
import type { Department, EventWire, Severity } from './types.js';

const STATE_COLOURS: Record<EventWire['state'], string> = {
  received: 'gold', dispatched: 'blue', in_progress: 'processing', result_reported: 'cyan', rated: 'green', closed: 'default',
};

export function StateTag({ event }: { event: Pick<EventWire, 'state' | 'suspended'> }) {
  const { t } = useI18n();
  return (
    <>
      <Tag color={STATE_COLOURS[event.state]} data-testid="event-state" data-state={event.state}>{t(`state.${event.state}` as MessageKey)}</Tag>
      {event.suspended && <Tag color="orange">{t('workbench.suspended')}</Tag>}
    </>
  );
}

const TIME_COLOURS = { ok: 'green', warning: 'orange', breached: 'red', stopped: 'default' } as const;

export function TimeTag({ time }: { time: EventWire['time'] }) {
  const { t, dateTime } = useI18n();
  const label = t(`workbench.time.${time.status}`);
  return <Tag color={TIME_COLOURS[time.status]}>{time.deadlineAt ? `${label} · ${dateTime(time.deadlineAt)}` : label}</Tag>;
}

const SEVERITY_COLOURS: Record<Severity, string> = { critical: 'magenta', major: 'red', minor: 'orange', warning: 'gold' };

export function SeverityTag({ severity }: { severity: Severity }) {
  const { t } = useI18n();
  return <Tag color={SEVERITY_COLOURS[severity]}>{t(`severity.${severity}` as MessageKey)}</Tag>;
}

export function useNames() {
  const { pick } = useI18n();
  const tax = useTaxonomy();
  return {
    category: (code: string) => {
      const c = tax?.category(code);
      return c ? pick(c.zh, c.en) : code;
    },
    department: (code: string | null, list: readonly Department[]) => {
      if (!code) return '—';
      const d = list.find((x) => x.code === code);
      return d ? pick(d.nameZh, d.nameEn) : code;
    },
  };
}
