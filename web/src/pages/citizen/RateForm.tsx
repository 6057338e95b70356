/** Rating a result 1–5 with a comment; 2 stars or fewer sends the problem back once (the server decides, this only says so). */
import { Alert, Button, Input, Rate, Space, Typography } from 'antd';
import { useId, useState } from 'react';
import { ApiError } from '../../api/client.js';
import { useI18n } from '../../i18n/index.js';
import { rate, type MyEvent } from './api.js';

export function RateForm({ event, onRated }: { event: MyEvent; onRated(): void }) {
  const { t } = useI18n();
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const commentId = useId();
  const starsId = useId();
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await rate(event, stars, comment.trim());
      onRated();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={`rate-${event.trackingCode}`}>
      <Typography.Text strong>{t('citizen.rate.title')}</Typography.Text>
      <span id={starsId}>{t('citizen.rate.stars')}</span>
      <Rate value={stars} onChange={setStars} aria-labelledby={starsId} className="big-rate" />
      <Typography.Text type="secondary">{t('citizen.rate.low')}</Typography.Text>
      <label htmlFor={commentId}>{t('citizen.rate.comment')}</label>
      <Input.TextArea id={commentId} rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Button type="primary" disabled={stars < 1} loading={busy} onClick={submit} data-testid="rate-submit">{t('citizen.rate.submit')}</Button>
    </Space>
  );
}
