/** A page of events as a table; the tracking code is the (keyboard-focusable) way into the detail. */
import { Button, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useI18n } from '../../i18n/index.js';
import { StateTag, TimeTag, useNames } from './labels.js';
import type { Department, EventPage, EventWire } from './types.js';

interface Props {
  page: EventPage | null;
  loading: boolean;
  selectedId: string | null;
  departments: readonly Department[];
  onOpen(id: string): void;
  onPage(offset: number): void;
}

export function EventTable({ page, loading, selectedId, departments, onOpen, onPage }: Props) {
  const { t, dateTime } = useI18n();
  const names = useNames();
  const columns: TableColumnsType<EventWire> = [
    {
      title: t('workbench.field.code'), dataIndex: 'trackingCode', key: 'code',
      render: (code: string, e) => <Button type="link" size="small" onClick={() => onOpen(e.id)} aria-current={e.id === selectedId ? 'true' : undefined} data-testid="event-open">{code}</Button>,
    },
    { title: t('workbench.field.category'), key: 'category', render: (_, e) => <>{names.category(e.category)}{e.urgent && <Tag color="red" style={{ marginLeft: 4 }}>{t('workbench.urgent')}</Tag>}</> },
    { title: t('workbench.field.state'), key: 'state', render: (_, e) => <StateTag event={e} /> },
    { title: t('workbench.field.department'), key: 'dept', render: (_, e) => names.department(e.leadDepartment, departments) },
    { title: t('workbench.field.deadline'), key: 'time', render: (_, e) => <TimeTag time={e.time} /> },
    { title: t('workbench.field.created'), key: 'created', render: (_, e) => dateTime(e.createdAt) },
  ];
  return (
    <Table<EventWire>
      size="small"
      rowKey="id"
      columns={columns}
      dataSource={page?.items ?? []}
      loading={loading}
      rowClassName={(e) => (e.id === selectedId ? 'wb-row-selected' : '')}
      onRow={(e) => ({ 'data-testid': 'event-row', 'data-code': e.trackingCode } as React.HTMLAttributes<HTMLTableRowElement>)}
      scroll={{ x: 720 }}
      pagination={page ? {
        current: Math.floor(page.offset / page.limit) + 1, pageSize: page.limit, total: page.total, showSizeChanger: false,
        showTotal: (n) => t('workbench.total', { n }), onChange: (p) => onPage((p - 1) * page.limit),
      } : false}
      locale={{ emptyText: t('workbench.empty') }}
    />
  );
}
