/** An alarm's details with its notes, the source sensor's chart, and acknowledge / clear when the user's role may. */
import { App, Button, Descriptions, Input, Space, Spin, Tag, Timeline } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../../api/client.js';
import { useAuth } from '../../../auth/AuthContext.js';
import { hasRole } from '../../../auth/roles.js';
import { useI18n } from '../../../i18n/index.js';
import { SEVERITY_COLOURS } from '../map/style.js';
import type { AlarmWire, Selection, SensorWire } from '../types.js';
import { usePoll } from '../usePoll.js';
import { SensorChart } from './SensorChart.js';

export function AlarmDetails({ id, onChanged, onSelect }: { id: string; onChanged: () => void; onSelect: (s: Selection) => void }) {
  const { t, pick, dateTime, number } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'ack' | 'clear' | null>(null);
  const { data: alarm, error, reload } = usePoll((signal) => api<AlarmWire>(`/api/v1/alarms/${encodeURIComponent(id)}`, { signal }), 10_000, [id]);
  const sensor = usePoll(
    (signal) => (alarm?.sensorClass ? api<SensorWire>(`/api/v1/sensors/${encodeURIComponent(alarm.sourceId)}`, { signal }) : Promise.resolve(null)),
    0, [alarm?.sourceId, alarm?.sensorClass],
  ).data;

  if (error) return <div role="alert">{t('common.error', { message: error })}</div>;
  if (!alarm) return <Spin />;
  // Dispatchers and admins act on any alarm; the server decides for handlers (their department only).
  const mayAct = hasRole(user, 'admin', 'dispatcher', 'handler');
  const act = async (action: 'ack' | 'clear') => {
    setBusy(action);
    try {
      await api(`/api/v1/alarms/${encodeURIComponent(alarm.id)}/${action}`, { method: 'POST', body: { version: alarm.version, ...(note.trim() ? { note: note.trim() } : {}) } });
      void message.success(action === 'ack' ? t('ops.alarm.acked') : t('ops.alarm.cleared'));
      setNote('');
      reload();
      onChanged();
    } catch (err) {
      void message.error(t('common.error', { message: err instanceof ApiError ? err.message : String(err) }));
      reload();
    } finally {
      setBusy(null);
    }
  };
  const canAck = alarm.state === 'active_unack' || alarm.state === 'cleared_unack';
  const canClear = alarm.state === 'active_unack' || alarm.state === 'active_ack';
  return (
    <div data-testid="alarm-details">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('ops.alarm.message')}>{pick(alarm.messageZh, alarm.messageEn)}</Descriptions.Item>
        <Descriptions.Item label={t('ops.alarm.severity')}><Tag color={SEVERITY_COLOURS[alarm.severity]}>{t(`severity.${alarm.severity}`)}</Tag></Descriptions.Item>
        <Descriptions.Item label={t('ops.alarm.state')}><span data-testid="alarm-state">{t(`alarmState.${alarm.state}`)}</span></Descriptions.Item>
        <Descriptions.Item label={t('ops.alarm.raisedAt')}>{dateTime(alarm.raisedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('ops.alarm.lastAt')}>{dateTime(alarm.lastAt)} · ×{number(alarm.count)}</Descriptions.Item>
        {alarm.lastValue !== null && <Descriptions.Item label={t('ops.alarm.value')}>{number(alarm.lastValue, 2)} {sensor?.unit ?? ''}</Descriptions.Item>}
        <Descriptions.Item label={t('ops.alarm.source')}>
          {alarm.sensorClass
            ? <a onClick={() => onSelect({ kind: 'sensor', id: alarm.sourceId })}>{sensor?.name ?? alarm.sourceId}</a>
            : alarm.sourceId}
        </Descriptions.Item>
        {alarm.eventId && <Descriptions.Item label={t('ops.alarm.event')}><a onClick={() => onSelect({ kind: 'event', id: alarm.eventId! })}>{alarm.eventId}</a></Descriptions.Item>}
      </Descriptions>
      {mayAct && (canAck || canClear) && (
        <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }}>
          <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={2} placeholder={t('ops.alarm.notePlaceholder')} aria-label={t('ops.alarm.note')} />
          <Space>
            {canAck && <Button type="primary" loading={busy === 'ack'} onClick={() => void act('ack')} data-testid="alarm-ack">{t('ops.alarm.ack')}</Button>}
            {canClear && <Button danger loading={busy === 'clear'} onClick={() => void act('clear')} data-testid="alarm-clear">{t('ops.alarm.clear')}</Button>}
          </Space>
        </Space>
      )}
      {alarm.notes.length > 0 && (
        <>
          <h3 className="ops-h3">{t('ops.alarm.notes')}</h3>
          <Timeline items={alarm.notes.map((n) => ({ content: <><div>{n.text}</div><div className="ops-muted">{dateTime(n.at)} · {n.by}</div></> }))} />
        </>
      )}
      {sensor && (
        <>
          <h3 className="ops-h3">{t('ops.sensor.history')}</h3>
          <SensorChart sensor={sensor} />
        </>
      )}
    </div>
  );
}
