/**
 * The dispatcher and department workbench (SPEC U3): work queues by role on
 * the left, the chosen event on the right. The open tab and event live in the
 * URL (?tab=&event=) so a reload or a shared link lands on the same place.
 * Queues and the open event refresh on their own from the live event stream
 * (useLiveEvents), or every 30 s while it is down; the header says which.
 */
import { Badge, Button, Col, Empty, Row, Space, Tabs, Tooltip, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext.js';
import { hasRole } from '../../auth/roles.js';
import { useI18n } from '../../i18n/index.js';
import { AlarmsPanel } from './AlarmsPanel.js';
import { EventDetail } from './EventDetail.js';
import { useDepartments } from './taxonomy.js';
import { QueuePanel } from './QueuePanel.js';
import { SearchPanel } from './SearchPanel.js';
import { useLiveEvents, type LiveState } from './useLiveEvents.js';
import './workbench.css';

type Tab = 'dispatch' | 'inbox' | 'overdue' | 'search' | 'alarms';

export default function Workbench() {
  const { t } = useI18n();
  const { user } = useAuth();
  const departments = useDepartments();
  const [params, setParams] = useSearchParams();
  const [refresh, setRefresh] = useState(0);
  const staff = hasRole(user, 'dispatcher', 'admin');
  const tabs: Tab[] = [
    ...(staff ? ['dispatch' as const] : []),
    ...(staff || hasRole(user, 'handler') ? ['inbox' as const] : []),
    'overdue', 'search', 'alarms',
  ];
  const tab = (tabs.find((x) => x === params.get('tab')) ?? tabs[0]) as Tab;
  const selected = params.get('event');
  const set = useCallback((k: string, v: string | null) => setParams((p) => {
    const n = new URLSearchParams(p);
    if (v === null) n.delete(k);
    else n.set(k, v);
    return n;
  }), [setParams]);
  const open = useCallback((id: string) => set('event', id), [set]);
  const bump = useCallback(() => setRefresh((n) => n + 1), []);
  const [detailRefresh, setDetailRefresh] = useState(0);
  const live = useLiveEvents(!!user, selected, {
    onQueues: bump,
    onEvent: (id) => { if (id) setDetailRefresh((n) => n + 1); },
  });

  const panel = (k: Tab) => {
    if (k === 'search') return <SearchPanel departments={departments} selectedId={selected} refresh={refresh} onOpen={open} />;
    if (k === 'alarms') return <AlarmsPanel refresh={refresh} />;
    return <QueuePanel queue={k} pickDepartment={staff} departments={departments} selectedId={selected} refresh={refresh} onOpen={open} />;
  };

  return (
    <div className="wb-page" data-testid="workbench">
      <div className="wb-head">
        <Typography.Title level={2} className="wb-title">
          {t('workbench.title')}
          {user?.department && <Badge count={user.department} color="blue" style={{ marginLeft: 12 }} />}
        </Typography.Title>
        <Space>
          <LiveIndicator state={live} />
          <Button onClick={bump} data-testid="queues-refresh">{t('workbench.refreshQueues')}</Button>
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Tabs
            activeKey={tab}
            onChange={(k) => set('tab', k)}
            destroyOnHidden
            items={tabs.map((k) => ({ key: k, label: <span data-testid={`tab-${k}`}>{t(`workbench.tab.${k}`)}</span>, children: panel(k) }))}
          />
        </Col>
        <Col xs={24} xl={12}>
          {selected
            ? <EventDetail key={selected} id={selected} refresh={detailRefresh} onChanged={bump} onClose={() => set('event', null)} />
            : <Empty className="wb-empty" description={t('workbench.pick')} />}
        </Col>
      </Row>
    </div>
  );
}

/** Whether the queues follow the live stream or fall back to polling. */
function LiveIndicator({ state }: { state: LiveState }) {
  const { t } = useI18n();
  const status = state === 'live' ? 'success' : state === 'connecting' ? 'processing' : 'default';
  return (
    <Tooltip title={t(`workbench.live.${state}.hint`)}>
      <span data-testid="live-indicator" data-state={state} role="status" aria-live="polite">
        <Badge status={status} text={t(`workbench.live.${state}`)} />
      </span>
    </Tooltip>
  );
}
