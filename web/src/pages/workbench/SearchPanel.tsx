/** Search events by state, category and department (the list API's filters), a page at a time. */
import { Button, Form, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { EventTable } from './EventTable.js';
import { useEventPage } from './hooks.js';
import { PAGE_SIZE } from './QueuePanel.js';
import { useCategories } from './taxonomy.js';
import { EVENT_STATES, type Department } from './types.js';

interface Filters {
  state?: string;
  category?: string;
  department?: string;
}

interface Props {
  departments: readonly Department[];
  selectedId: string | null;
  refresh: number;
  onOpen(id: string): void;
}

export function SearchPanel({ departments, selectedId, refresh, onOpen }: Props) {
  const { t, pick } = useI18n();
  const categories = useCategories();
  const [filters, setFilters] = useState<Filters>({});
  const [offset, setOffset] = useState(0);
  const page = useEventPage({ ...filters, offset, limit: PAGE_SIZE });
  const { reload } = page;
  useEffect(() => {
    if (refresh) reload();
  }, [refresh, reload]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form<Filters> layout="inline" onFinish={(v) => { setFilters(v); setOffset(0); }} aria-label={t('workbench.search.title')}>
        <Form.Item name="state" label={t('workbench.field.state')}>
          <Select allowClear style={{ width: 130 }} placeholder={t('common.all')} options={EVENT_STATES.map((s) => ({ value: s, label: t(`state.${s}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="category" label={t('workbench.field.category')}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width: 190 }} placeholder={t('common.all')} options={categories.map((c) => ({ value: c.code, label: pick(c.zh, c.en) }))} />
        </Form.Item>
        <Form.Item name="department" label={t('workbench.field.department')}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width: 190 }} placeholder={t('common.all')} options={departments.map((d) => ({ value: d.code, label: pick(d.nameZh, d.nameEn) }))} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" data-testid="search-submit">{t('common.search')}</Button>
        </Form.Item>
      </Form>
      <EventTable page={page.data} loading={page.loading} selectedId={selectedId} departments={departments} onOpen={onOpen} onPage={setOffset} />
    </Space>
  );
}
