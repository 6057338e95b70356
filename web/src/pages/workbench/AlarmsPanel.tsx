/**
 * Alarms (risk module) with acknowledge and clear, each with an optional note
 * (kept with the alarm). Handlers act on their own department's alarms only,
 * leaders read; a server without the alarm API yet (404) gets a calm notice
 * instead of an error.
 */
import { Alert, Button, Input, Modal, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client.js';
import { useAuth } from '../../auth/AuthContext.js';
import { hasRole } from '../../auth/roles.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useApi } from './hooks.js';
import { SeverityTag } from './labels.js';
import type { AlarmWire, Severity } from './types.js';

interface IncidentWire { id: string; orgPath: string; openedAt: string; activeMembers: number; severity: Severity }

const OPEN_STATES = 'active_unack,active_ack,cleared_unack';
const SEVERITIES: Severity[] = ['critical', 'major', 'minor', 'warning'];

export function AlarmsPanel({ refresh }: { refresh: number }) {
  const { t, pick, dateTime } = useI18n();
  const { user } = useAuth();
  const [severity, setSeverity] = useState<string | undefined>(undefined);
  const [showCleared, setShowCleared] = useState(false);
  // Flood control collapses an alarm storm in one street into an incident: the list shows the incident, its members on demand.
  const [incidentId, setIncidentId] = useState<string | undefined>(undefined);
  const list = useApi<{ items: AlarmWire[]; total: number; incidents?: IncidentWire[] }>('/api/v1/alarms', { state: showCleared ? undefined : OPEN_STATES, severity, incidentId, limit: 100 });
  const { reload } = list;
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [asking, setAsking] = useState<{ alarm: AlarmWire; what: 'ack' | 'clear' } | null>(null);
  const [note, setNote] = useState('');
  useEffect(() => {
    if (refresh) reload();
  }, [refresh, reload]);

  const mayAct = (a: AlarmWire) => hasRole(user, 'admin', 'dispatcher') || (hasRole(user, 'handler') && !!user?.department && a.department === user.department);
  const ask = (a: AlarmWire, what: 'ack' | 'clear') => {
    setNote('');
    setAsking({ alarm: a, what });
  };
  const act = async (a: AlarmWire, what: 'ack' | 'clear', text: string) => {
    setBusy(`${a.id}:${what}`);
    setActionError(null);
    try {
      await api(`/api/v1/alarms/${encodeURIComponent(a.id)}/${what}`, { method: 'POST', body: { version: a.version, note: text.trim() || undefined } });
      setAsking(null);
    } catch (err) {
      setAsking(null);
      setActionError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err)));
    } finally {
      setBusy(null);
      reload();
    }
  };

  if (list.error instanceof ApiError && list.error.status === 404) {
    return <Alert type="info" showIcon title={t('workbench.alarms.unavailable')} data-testid="alarms-unavailable" />;
  }
  const columns: TableColumnsType<AlarmWire> = [
    { title: t('workbench.alarms.severity'), key: 'sev', render: (_, a) => <SeverityTag severity={a.severity} /> },
    { title: t('workbench.alarms.message'), key: 'msg', render: (_, a) => <>{pick(a.messageZh, a.messageEn)}{a.count > 1 && <Typography.Text type="secondary"> ×{a.count}</Typography.Text>}</> },
    { title: t('workbench.alarms.state'), key: 'state', render: (_, a) => t(`alarmState.${a.state}` as MessageKey) },
    { title: t('workbench.alarms.raised'), key: 'at', render: (_, a) => dateTime(a.raisedAt) },
    {
      title: t('workbench.actions'), key: 'act',
      render: (_, a) => mayAct(a) && (
        <Space>
          {(a.state === 'active_unack' || a.state === 'cleared_unack') && <Button size="small" loading={busy === `${a.id}:ack`} onClick={() => ask(a, 'ack')} data-testid={`alarm-ack-${a.id}`}>{t('workbench.alarms.ack')}</Button>}
          {(a.state === 'active_unack' || a.state === 'active_ack') && <Button size="small" danger loading={busy === `${a.id}:clear`} onClick={() => ask(a, 'clear')} data-testid={`alarm-clear-${a.id}`}>{t('workbench.alarms.clear')}</Button>}
        </Space>
      ),
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="alarms-panel">
      <Space wrap>
        <label className="wb-inline-field">
          <span>{t('workbench.alarms.severity')}</span>
          <Select allowClear style={{ width: 140 }} placeholder={t('common.all')} value={severity} onChange={(v?: string) => setSeverity(v)} options={SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}` as MessageKey) }))} aria-label={t('workbench.alarms.severity')} />
        </label>
        <Button onClick={() => setShowCleared((v) => !v)} aria-pressed={showCleared}>{t(showCleared ? 'workbench.alarms.hideCleared' : 'workbench.alarms.showCleared')}</Button>
      </Space>
      {incidentId
        ? <Button onClick={() => setIncidentId(undefined)} data-testid="alarm-incident-back">{t('workbench.alarms.allAlarms')}</Button>
        : (list.data?.incidents ?? []).map((i) => (
          <Alert key={i.id} type="error" showIcon data-testid="alarm-incident"
            title={t('workbench.alarms.incident', { n: i.activeMembers, area: i.orgPath.split('/').filter(Boolean).pop() ?? i.orgPath, time: dateTime(i.openedAt) })}
            action={<Button size="small" onClick={() => setIncidentId(i.id)}>{t('workbench.alarms.showMembers')}</Button>} />
        ))}
      {list.error && <Alert type="error" showIcon title={t('common.error', { message: list.error.message })} />}
      {actionError && <Alert type="warning" showIcon role="alert" title={actionError.message} closable={{ onClose: () => setActionError(null) }} />}
      {asking && (
        <Modal
          open
          title={t(asking.what === 'ack' ? 'workbench.alarms.ackTitle' : 'workbench.alarms.clearTitle', { message: pick(asking.alarm.messageZh, asking.alarm.messageEn) })}
          footer={null}
          onCancel={() => setAsking(null)}
          destroyOnHidden
        >
          <div data-testid="alarm-dialog">
            <label className="wb-field">
              <span>{t('workbench.alarms.note')}</span>
              <Input.TextArea rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('workbench.alarms.notePlaceholder')} data-testid="alarm-note" />
            </label>
            <Space>
              <Button type="primary" danger={asking.what === 'clear'} loading={busy !== null} onClick={() => act(asking.alarm, asking.what, note)} data-testid="alarm-confirm">
                {t(asking.what === 'ack' ? 'workbench.alarms.ack' : 'workbench.alarms.clear')}
              </Button>
              <Button onClick={() => setAsking(null)}>{t('common.cancel')}</Button>
            </Space>
          </div>
        </Modal>
      )}
      <Table<AlarmWire> size="small" rowKey="id" columns={columns} dataSource={list.data?.items ?? []} loading={list.loading} pagination={false} scroll={{ x: 640 }} locale={{ emptyText: t('workbench.alarms.empty') }} />
    </Space>
  );
}
