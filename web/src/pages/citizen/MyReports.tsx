/** A signed-in citizen's own reports, newest first, with rating where a result is waiting for it. */
import { Alert, Button, Card, List, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client.js';
import { useTaxonomy } from '../../api/taxonomy.js';
import { useI18n } from '../../i18n/index.js';
import { myReports, type MyEvent } from './api.js';
import { RateForm } from './RateForm.js';

export function MyReports() {
  const { t, tx, dateTime, pick } = useI18n();
  const taxonomy = useTaxonomy();
  const [items, setItems] = useState<MyEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [thanks, setThanks] = useState(false);
  const load = useCallback(() => {
    myReports().then((r) => setItems(r.items)).catch((err: unknown) => setError(err instanceof ApiError ? err.message : String(err)));
  }, []);
  useEffect(load, [load]);

  return (
    <Card>
      <Typography.Title level={2}>{t('citizen.mine.title')}</Typography.Title>
      {thanks && <Alert type="success" showIcon title={t('citizen.rate.thanks')} role="status" style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon title={error} action={<Button onClick={load}>{t('common.retry')}</Button>} />}
      <List loading={items === null && !error} dataSource={items ?? []} locale={{ emptyText: t('citizen.mine.empty') }} data-testid="my-reports"
        renderItem={(e) => {
          const cat = taxonomy?.category(e.category);
          return (
            <List.Item>
              <div style={{ width: '100%' }}>
                <Typography.Text strong><Link to={`/citizen/track/${e.trackingCode}`}>{e.trackingCode}</Link></Typography.Text>{' '}
                <Tag>{cat ? pick(cat.zh, cat.en) : e.category}</Tag> <Tag color="blue" data-testid={`state-${e.trackingCode}`}>{tx(`state.${e.state}`)}</Tag>
                <Typography.Text type="secondary"> {dateTime(e.createdAt)}</Typography.Text>
                <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: '8px 0' }}>{e.text}</Typography.Paragraph>
                {e.state === 'result_reported' && (
                  <>
                    <Alert type="info" title={t('citizen.mine.rateNow')} style={{ marginBottom: 8 }} />
                    <RateForm event={e} onRated={() => { setThanks(true); load(); }} />
                  </>
                )}
              </div>
            </List.Item>
          );
        }} />
    </Card>
  );
}
