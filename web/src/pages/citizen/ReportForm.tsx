/** The standard report form: everything on one screen. */
import { Alert, Button, Card, Input, Space, Typography } from 'antd';
import { useId, useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { LocationPicker } from './LocationPicker.js';
import { PhotoInput } from './PhotoInput.js';
import type { useReportDraft } from './useReportDraft.js';

type DraftApi = ReturnType<typeof useReportDraft>;

export function ReportForm({ draftApi, onSubmit }: { draftApi: DraftApi; onSubmit(): void }) {
  const { t } = useI18n();
  const { draft, update, sending, error, hasPlace } = draftApi;
  const [tried, setTried] = useState(false);
  const textId = useId();
  const textMissing = draft.text.trim() === '';
  const submit = () => {
    setTried(true);
    if (!textMissing && hasPlace) onSubmit();
  };
  return (
    <Card>
      <Typography.Title level={2}>{t('citizen.report.title')}</Typography.Title>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <div>
          <label htmlFor={textId}><Typography.Text strong>{t('citizen.report.text')}</Typography.Text></label>
          <Input.TextArea id={textId} rows={4} maxLength={4000} value={draft.text} onChange={(e) => update({ text: e.target.value })} aria-describedby={`${textId}-help`} data-testid="report-text" />
          <Typography.Text type="secondary" id={`${textId}-help`}>{t('citizen.report.textHelp')}</Typography.Text>
          {tried && textMissing && <Typography.Text type="danger" role="alert" style={{ display: 'block' }}>{t('citizen.report.textRequired')}</Typography.Text>}
        </div>
        <div>
          <Typography.Text strong>{t('citizen.report.where')}</Typography.Text>
          <LocationPicker value={draft} onChange={update} />
          {tried && !hasPlace && <Typography.Text type="danger" role="alert">{t('citizen.report.whereRequired')}</Typography.Text>}
        </div>
        <PhotoInput photo={draft.photo} onChange={(photo) => update({ photo })} />
        {error && <Alert type="error" showIcon title={error} role="alert" />}
        <Button type="primary" size="large" onClick={submit} loading={sending} data-testid="report-submit">{t('citizen.report.submit')}</Button>
      </Space>
    </Card>
  );
}
