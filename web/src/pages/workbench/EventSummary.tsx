/** The facts of one event: what, where, who leads, co-handlers, time limit, escalation, suspension and rating. */
import { Descriptions, Tag, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { StateTag, TimeTag, useNames } from './labels.js';
import type { Department, EventWire } from './types.js';

export function EventSummary({ event, departments, compact = false }: { event: EventWire; departments: readonly Department[]; compact?: boolean }) {
  const { t, dateTime, number } = useI18n();
  const names = useNames();
  const items = [
    { key: 'state', label: t('workbench.field.state'), children: <StateTag event={event} /> },
    { key: 'category', label: t('workbench.field.category'), children: <span data-testid="event-category">{names.category(event.category)}{event.urgent && <Tag color="red" style={{ marginLeft: 8 }}>{t('workbench.urgent')}</Tag>}</span> },
    { key: 'dept', label: t('workbench.field.department'), children: <span data-testid="event-department">{names.department(event.leadDepartment, departments)}</span> },
    { key: 'time', label: t('workbench.field.deadline'), children: <TimeTag time={event.time} /> },
    { key: 'channel', label: t('workbench.field.channel'), children: t(`channel.${event.channel}` as MessageKey) },
    { key: 'created', label: t('workbench.field.created'), children: dateTime(event.createdAt) },
    { key: 'place', label: t('workbench.field.place'), children: event.address ?? (event.location ? `${number(event.location.coordinates[1], 5)}, ${number(event.location.coordinates[0], 5)}` : '—') },
  ];
  if (event.cohandlers.length) {
    items.push({
      key: 'co', label: t('workbench.field.cohandlers'),
      children: <>{event.cohandlers.map((c) => <Tag key={c.department} color={c.status === 'done' ? 'green' : 'blue'}>{names.department(c.department, departments)} · {t(`workbench.cotask.${c.status}`)}</Tag>)}</>,
    });
  }
  if (event.escalatedTo) items.push({ key: 'esc', label: t('workbench.field.escalation'), children: <Tag color="volcano">{t(`workbench.escalated.${event.escalatedTo}`)}</Tag> });
  if (event.suspended) items.push({ key: 'susp', label: t('workbench.field.suspendReason'), children: event.suspendReason ?? '' });
  if (event.rating !== null) items.push({ key: 'rating', label: t('workbench.field.rating'), children: <span data-testid="event-rating">{t('workbench.ratingValue', { rating: event.rating })}{event.ratingComment ? ` · ${event.ratingComment}` : ''}</span> });
  if (event.classifierConfidence !== null && !compact) items.push({ key: 'conf', label: t('workbench.field.confidence'), children: `${number(event.classifierConfidence * 100, 0)}%` });
  return (
    <>
      <Typography.Paragraph className="wb-event-text" data-testid="event-text">{event.text}</Typography.Paragraph>
      <Descriptions size="small" bordered column={compact ? 1 : 2} items={items} />
    </>
  );
}
