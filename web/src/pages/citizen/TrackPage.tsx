/** Track a report by its code: where it stands (steps), the promised time and the public progress — no sign-in needed. */
import { Alert, Button, Card, Input, Space, Steps, Timeline, Typography } from 'antd';
import { useEffect, useId, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client.js';
import { useTaxonomy } from '../../api/taxonomy.js';
import { useI18n } from '../../i18n/index.js';
import { track, type Tracked } from './api.js';

const FLOW = ['received', 'dispatched', 'in_progress', 'result_reported', 'rated', 'closed'] as const;
/** Actions whose note is staff shorthand (e.g. "auto: MANHOLE → CGJ"), not words for the citizen. */
const STAFF_NOTES = new Set(['dispatch']);

export function TrackPage() {
  const { t, tx, dateTime, pick } = useI18n();
  const taxonomy = useTaxonomy();
  const params = useParams<{ code?: string }>();
  const navigate = useNavigate();
  const [code, setCode] = useState(params.code ?? '');
  const [found, setFound] = useState<Tracked | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();

  useEffect(() => {
    if (!params.code) return;
    let live = true;
    setError(null);
    track(params.code)
      .then((r) => live && setFound(r))
      .catch((err: unknown) => live && (setFound(null), setError(err instanceof ApiError && err.status === 404 ? t('citizen.track.notFound') : String((err as Error).message))));
    return () => {
      live = false;
    };
  }, [params.code, t]);

  const current = found ? Math.max(0, FLOW.indexOf(found.state as (typeof FLOW)[number])) : 0;
  const cat = found ? taxonomy?.category(found.category) : undefined;
  return (
    <Card>
      <Typography.Title level={2}>{t('citizen.track.title')}</Typography.Title>
      <form onSubmit={(e) => { e.preventDefault(); if (code.trim()) navigate(`/citizen/track/${encodeURIComponent(code.trim().toUpperCase())}`); }}>
        <label htmlFor={inputId}>{t('citizen.track.code')}</label>
        <Space.Compact style={{ width: '100%', maxWidth: 480 }}>
          <Input id={inputId} value={code} onChange={(e) => setCode(e.target.value)} placeholder={t('citizen.track.codePlaceholder')} maxLength={32} data-testid="track-code" />
          <Button type="primary" htmlType="submit" data-testid="track-submit">{t('citizen.track.submit')}</Button>
        </Space.Compact>
      </form>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 16 }} />}
      {found && (
        <section style={{ marginTop: 24 }} aria-live="polite" data-testid="track-result">
          <Typography.Title level={3}>{found.trackingCode} · {cat ? pick(cat.zh, cat.en) : found.category}</Typography.Title>
          <Steps current={current} size="small" responsive items={FLOW.map((s) => ({ title: tx(`citizen.step.${s}`) }))} data-testid="track-steps" />
          <Typography.Paragraph style={{ marginTop: 16 }}>
            <strong data-testid="track-state">{tx(`state.${found.state}`)}</strong>
            {found.deadlineAt && <> · {t('citizen.track.deadline', { time: dateTime(found.deadlineAt) })}</>}
            {found.rating !== null && <> · {t('citizen.track.rated', { n: found.rating })}</>}
          </Typography.Paragraph>
          <Typography.Title level={4}>{t('citizen.track.progress')}</Typography.Title>
          <Timeline items={[...found.timeline].reverse().map((e) => ({ children: <><div>{dateTime(e.at)} · {tx(`state.${e.toState}`)}</div>{e.note && !STAFF_NOTES.has(e.action) && <div className="note">{e.note}</div>}</> }))} />
        </section>
      )}
    </Card>
  );
}
