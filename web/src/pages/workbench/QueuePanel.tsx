/** One work queue (dispatch, department inbox, overdue) a page at a time; dispatchers may narrow the inbox to a department. */
import { Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { EventTable } from './EventTable.js';
import { useEventPage } from './hooks.js';
import type { Department } from './types.js';

export const PAGE_SIZE = 20;

interface Props {
  queue: 'dispatch' | 'inbox' | 'overdue';
  /** Dispatchers and admins see every department's inbox and may pick one. */
  pickDepartment: boolean;
  departments: readonly Department[];
  selectedId: string | null;
  refresh: number;
  onOpen(id: string): void;
}

export function QueuePanel({ queue, pickDepartment, departments, selectedId, refresh, onOpen }: Props) {
  const { t, pick } = useI18n();
  const [offset, setOffset] = useState(0);
  const [department, setDepartment] = useState<string | undefined>(undefined);
  const page = useEventPage({ queue, department, offset, limit: PAGE_SIZE });
  const { reload } = page;
  useEffect(() => {
    if (refresh) reload();
  }, [refresh, reload]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {pickDepartment && queue === 'inbox' && (
        <label className="wb-inline-field">
          <span>{t('workbench.field.department')}</span>
          <Select
            allowClear
            style={{ minWidth: 220 }}
            placeholder={t('common.all')}
            value={department}
            onChange={(v?: string) => { setDepartment(v); setOffset(0); }}
            options={departments.map((d) => ({ value: d.code, label: pick(d.nameZh, d.nameEn) }))}
            aria-label={t('workbench.field.department')}
          />
        </label>
      )}
      <EventTable page={page.data} loading={page.loading} selectedId={selectedId} departments={departments} onOpen={onOpen} onPage={setOffset} />
    </Space>
  );
}
