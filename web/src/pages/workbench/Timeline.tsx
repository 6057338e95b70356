/** The event's timeline, internal entries marked (staff see them; citizens never get them from the server). */
import { Tag, Timeline as AntTimeline, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import type { TimelineWire } from './types.js';

export function EventTimeline({ entries }: { entries: readonly TimelineWire[] }) {
  const { t, dateTime } = useI18n();
  const items = [...entries].reverse().map((e, i) => ({
    key: e.id ?? String(i),
    color: e.public === false ? 'gray' : 'blue',
    content: (
      <div data-testid="timeline-entry" data-action={e.action}>
        <strong>{t(`workbench.action.${e.action}` as MessageKey)}</strong>
        {' '}<Typography.Text type="secondary">{e.fromState ? `${t(`state.${e.fromState}` as MessageKey)} → ` : ''}{t(`state.${e.toState}` as MessageKey)}</Typography.Text>
        {e.public === false && <Tag style={{ marginLeft: 8 }}>{t('workbench.internal')}</Tag>}
        <div><Typography.Text type="secondary">{dateTime(e.at)}{e.actorName ? ` · ${e.actorName}` : ''}</Typography.Text></div>
        {e.note && <div className="wb-note">{e.note}</div>}
      </div>
    ),
  }));
  return <AntTimeline items={items} />;
}
