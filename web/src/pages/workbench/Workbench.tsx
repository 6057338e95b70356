/**
 * The dispatcher and department workbench (SPEC U3): work queues by role on
 * the left, the chosen event on the right. The open tab and event live in the
 * URL (?tab=&event=) so a reload or a shared link lands on the same place.
 */
import { Badge, Button, Col, Empty, Row, Tabs, Typography } from 'antd';
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
        <Button onClick={bump} data-testid="queues-refresh">{t('workbench.refreshQueues')}</Button>
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
            ? <EventDetail key={selected} id={selected} onChanged={bump} onClose={() => set('event', null)} />
            : <Empty className="wb-empty" description={t('workbench.pick')} />}
        </Col>
      </Row>
    </div>
  );
}
