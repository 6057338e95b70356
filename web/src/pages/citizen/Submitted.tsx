/** After sending: the tracking code, and similar open reports nearby that the citizen may follow instead. */
import { Alert, Button, Card, List, Result, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../../api/client.js';
import { useI18n } from '../../i18n/index.js';
import { followReport, similarReports, type Similar } from './api.js';
import type { Sent } from './useReportDraft.js';

export function Submitted({ sent, onAnother }: { sent: Sent; onAnother(): void }) {
  const { t, tx } = useI18n();
  const navigate = useNavigate();
  const [similar, setSimilar] = useState<Similar[]>([]);
  const [following, setFollowing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const code = sent.event.trackingCode;

  useEffect(() => {
    let live = true;
    similarReports(sent.event.id).then((r) => live && setSimilar(r.items)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [sent.event.id]);

  const follow = async (s: Similar) => {
    setError(null);
    try {
      const r = await followReport(sent.event.id, s.id);
      setFollowing(r.following.trackingCode);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };

  return (
    <Card>
      <Result status="success" title={t('citizen.done.title')}
        subTitle={<Space direction="vertical"><Typography.Text strong className="tracking-code" data-testid="tracking-code">{t('citizen.done.code', { code })}</Typography.Text><span>{t('citizen.done.keep')}</span></Space>} />
      {sent.photoError && <Alert type="warning" showIcon title={t('citizen.done.photoFailed', { message: sent.photoError })} style={{ marginBottom: 16 }} />}
      {following
        ? <Alert type="success" showIcon title={t('citizen.done.following', { code: following })} role="status" data-testid="following" />
        : similar.length > 0 && (
          <section aria-labelledby="similar-title">
            <Typography.Title level={2} id="similar-title" className="similar-title">{t('citizen.done.similar')}</Typography.Title>
            <List dataSource={similar} renderItem={(s) => (
              <List.Item actions={[<Button key="f" onClick={() => follow(s)} data-testid={`follow-${s.trackingCode}`}>{t('citizen.done.follow')}</Button>]}>
                {/* Not List.Item.Meta: its title is an h4, which would skip heading levels under this h2. */}
                <div>
                  <Typography.Text strong style={{ display: 'block' }}>{s.trackingCode}</Typography.Text>
                  <Typography.Text type="secondary">{`${tx(`state.${s.state}`)} · ${t('citizen.done.distance', { m: s.distanceM })}`}</Typography.Text>
                </div>
              </List.Item>
            )} />
          </section>
        )}
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Space style={{ marginTop: 16 }} wrap>
        <Button type="primary" size="large" onClick={() => navigate(`/citizen/track/${code}`)} data-testid="see-progress">{t('citizen.done.track')}</Button>
        <Button size="large" onClick={onAnother}>{t('citizen.done.another')}</Button>
      </Space>
    </Card>
  );
}
