/** The elderly-friendly report (适老化): one question per screen, large type and big buttons, focus moved to each new question. */
import { Alert, Button, Card, Descriptions, Input, Space, Typography } from 'antd';
import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { LocationPicker } from './LocationPicker.js';
import { PhotoInput } from './PhotoInput.js';
import type { useReportDraft } from './useReportDraft.js';

type DraftApi = ReturnType<typeof useReportDraft>;
const STEPS = ['text', 'where', 'photo', 'review'] as const;

export function ReportWizard({ draftApi, onSubmit }: { draftApi: DraftApi; onSubmit(): void }) {
  const { t } = useI18n();
  const { draft, update, sending, error, hasPlace } = draftApi;
  const [step, setStep] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const textId = useId();
  useEffect(() => heading.current?.focus(), [step]);

  const name = STEPS[step]!;
  const next = () => {
    if (name === 'text' && draft.text.trim() === '') return setProblem(t('citizen.report.textRequired'));
    if (name === 'where' && !hasPlace) return setProblem(t('citizen.report.whereRequired'));
    setProblem(null);
    if (name === 'review') onSubmit();
    else setStep(step + 1);
  };
  const title = { text: t('citizen.report.text'), where: t('citizen.report.where'), photo: t('citizen.report.photo'), review: t('citizen.report.review') }[name];

  return (
    <Card className="wizard">
      <Typography.Text className="wizard-step">{t('citizen.report.stepOf', { n: step + 1, total: STEPS.length })}</Typography.Text>
      <h2 ref={heading} tabIndex={-1} className="wizard-question" data-testid="wizard-question">{title}</h2>
      {name === 'text' && (
        <>
          <label htmlFor={textId} className="visually-hidden">{t('citizen.report.text')}</label>
          <Input.TextArea id={textId} rows={5} maxLength={4000} value={draft.text} onChange={(e) => update({ text: e.target.value })} data-testid="report-text" />
          <Typography.Paragraph type="secondary">{t('citizen.report.textHelp')}</Typography.Paragraph>
        </>
      )}
      {name === 'where' && <LocationPicker value={draft} onChange={update} />}
      {name === 'photo' && <PhotoInput photo={draft.photo} onChange={(photo) => update({ photo })} />}
      {name === 'review' && (
        <Descriptions column={1} bordered layout="vertical">
          <Descriptions.Item label={t('citizen.report.text')}>{draft.text}</Descriptions.Item>
          <Descriptions.Item label={t('citizen.report.where')}>
            {draft.location ? `${draft.location[0].toFixed(5)}, ${draft.location[1].toFixed(5)}` : ''} {draft.address}
          </Descriptions.Item>
          <Descriptions.Item label={t('citizen.report.photo')}>{draft.photo?.name ?? t('common.none')}</Descriptions.Item>
        </Descriptions>
      )}
      {problem && <Alert type="error" showIcon title={problem} role="alert" style={{ marginTop: 16 }} />}
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 16 }} />}
      <Space className="wizard-buttons" size="large">
        {step > 0 && <Button size="large" onClick={() => { setProblem(null); setStep(step - 1); }} data-testid="wizard-back">{t('common.back')}</Button>}
        <Button size="large" type="primary" onClick={next} loading={sending} data-testid="wizard-next">
          {name === 'review' ? t('citizen.report.submit') : t('common.next')}
        </Button>
      </Space>
    </Card>
  );
}
