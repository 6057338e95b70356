/** My tasks: the open events of my grid, newest first, as big touch-friendly cards. */
import { Alert, Button, Card, Empty, List, Space, Typography } from 'antd';
import { useI18n } from '../../i18n/index.js';
import { useEventPage } from '../workbench/hooks.js';
import { StateTag, TimeTag, useNames } from '../workbench/labels.js';

export function TaskList({ onOpen }: { onOpen(id: string): void }) {
  const { t, dateTime } = useI18n();
  const names = useNames();
  const page = useEventPage({ queue: 'grid', limit: 50 });
  if (page.error) return <Alert type="error" showIcon title={t('common.error', { message: page.error.message })} action={<Button onClick={page.reload}>{t('common.retry')}</Button>} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button onClick={page.reload} loading={page.loading} block>{t('common.refresh')}</Button>
      <List
        data-testid="grid-tasks"
        loading={page.loading && !page.data}
        dataSource={page.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('grid.tasks.empty')} /> }}
        renderItem={(e) => (
          <List.Item key={e.id} style={{ padding: '6px 0' }}>
            <Card size="small" style={{ width: '100%' }} data-testid="grid-task" data-code={e.trackingCode}>
              <Typography.Text strong>{names.category(e.category)}</Typography.Text>
              <div><StateTag event={e} /> <TimeTag time={e.time} /></div>
              <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: '6px 0' }}>{e.text}</Typography.Paragraph>
              <Typography.Text type="secondary">{e.trackingCode} · {t(`channel.${e.channel}`)} · {dateTime(e.createdAt)}</Typography.Text>
              <Button block size="large" style={{ marginTop: 8 }} onClick={() => onOpen(e.id)} aria-label={t('grid.tasks.openLabel', { code: e.trackingCode })}>{t('common.details')}</Button>
            </Card>
          </List.Item>
        )}
      />
    </Space>
  );
}
