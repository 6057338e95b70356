/** An open event's details and its timeline (受理 → 派单 → 处置 …), with a link to the workbench for acting on it. */
import { Descriptions, Spin, Tag, Timeline } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../../api/client.js';
import { useAuth } from '../../../auth/AuthContext.js';
import { canUse } from '../../../auth/roles.js';
import { useI18n, type MessageKey } from '../../../i18n/index.js';
import { EVENT_STATE_COLOURS } from '../map/style.js';
import type { EventWire, TimelineEntry } from '../types.js';
import type { Catalogue } from '../useCatalogue.js';
import { usePoll } from '../usePoll.js';

const stateKey = (s: string) => `state.${s}` as MessageKey;

export function EventDetails({ id, catalogue }: { id: string; catalogue: Catalogue }) {
  const { t, dateTime } = useI18n();
  const { user } = useAuth();
  const { data: ev, error } = usePoll((signal) => api<EventWire & { timeline: TimelineEntry[] }>(`/api/v1/events/${encodeURIComponent(id)}`, { signal }), 10_000, [id]);
  if (error) return <div role="alert">{t('common.error', { message: error })}</div>;
  if (!ev) return <Spin />;
  return (
    <div data-testid="event-details">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('ops.event.code')}>{ev.trackingCode}</Descriptions.Item>
        <Descriptions.Item label={t('ops.event.category')}>{catalogue.categoryName(ev.category)}{ev.urgent && <Tag color="red" style={{ marginLeft: 8 }}>{t('ops.event.urgent')}</Tag>}</Descriptions.Item>
        <Descriptions.Item label={t('ops.event.state')}><Tag color={EVENT_STATE_COLOURS[ev.state]}>{t(stateKey(ev.state))}</Tag></Descriptions.Item>
        <Descriptions.Item label={t('ops.event.channel')}>{t(`channel.${ev.channel as 'app'}`)}</Descriptions.Item>
        <Descriptions.Item label={t('ops.event.text')}><span className="ops-pre">{ev.text}</span></Descriptions.Item>
        {ev.address && <Descriptions.Item label={t('ops.event.address')}>{ev.address}</Descriptions.Item>}
        <Descriptions.Item label={t('ops.event.department')}>{catalogue.departmentName(ev.leadDepartment)}</Descriptions.Item>
        <Descriptions.Item label={t('ops.event.deadline')}>
          {ev.time.deadlineAt ? dateTime(ev.time.deadlineAt) : '–'}
          {ev.time.status === 'breached' && <Tag color="red" style={{ marginLeft: 8 }}>{t('ops.legend.overdue')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('ops.event.createdAt')}>{dateTime(ev.createdAt)}</Descriptions.Item>
      </Descriptions>
      <h3 className="ops-h3">{t('ops.event.timeline')}</h3>
      <Timeline
        data-testid="event-timeline"
        items={ev.timeline.map((e) => ({
          content: (
            <>
              <div>{e.toState ? t(stateKey(e.toState)) : e.action}{e.actorName ? ` · ${e.actorName}` : ''}</div>
              {e.note && <div className="ops-pre">{e.note}</div>}
              <div className="ops-muted">{dateTime(e.at)}</div>
            </>
          ),
        }))}
      />
      {canUse(user, 'workbench') && <Link to={`/workbench?event=${encodeURIComponent(ev.id)}`}>{t('ops.event.openInWorkbench')}</Link>}
    </div>
  );
}
