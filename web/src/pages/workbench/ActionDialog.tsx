/**
 * One lifecycle action as a small form: the fields that action needs (reason,
 * department, corrected category, result note and photos), sent with the
 * version the user read. A 409 (someone changed the event, or its state no
 * longer allows this) is shown with the server's message and a reload.
 */
import { Alert, Button, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../api/client.js';
import { useI18n } from '../../i18n/index.js';
import { NEEDS_DEPARTMENT, NEEDS_REASON } from './allowedActions.js';
import { PHOTO_TYPES, uploadPhoto } from './photos.js';
import { useCategories } from './taxonomy.js';
import type { Department, EventAction, EventDetailWire } from './types.js';

interface Props {
  event: EventDetailWire;
  action: EventAction;
  departments: readonly Department[];
  /** Dispatchers and admins may correct the category (it becomes a training label). */
  mayCorrect: boolean;
  onDone(updated: EventDetailWire): void;
  onReload(): void;
  onClose(): void;
}

interface Values {
  reason?: string;
  note?: string;
  department?: string;
  category?: string;
}

export function ActionDialog({ event, action, departments, mayCorrect, onDone, onReload, onClose }: Props) {
  const { t, pick } = useI18n();
  const categories = useCategories();
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  // The version read when the dialog opened: a live reload meanwhile must not hide someone else's change.
  const [readVersion] = useState(event.version);
  const correctable = mayCorrect && (action === 'dispatch' || action === 'transfer');
  const deptOptions = departments
    .filter((d) => action === 'dispatch' || (d.code !== event.leadDepartment && !(action === 'add_cohandler' && event.cohandlers.some((c) => c.department === d.code))))
    .map((d) => ({ value: d.code, label: `${pick(d.nameZh, d.nameEn)} (${d.code})` }));

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      // Proof first: the photos are attached before the state moves on, so a reported result always has them.
      if (action === 'report_result') for (const f of files) await uploadPhoto(event.id, f, 'result');
      const category = correctable && v.category && v.category !== event.category ? v.category : undefined;
      const updated = await api<EventDetailWire>(`/api/v1/events/${encodeURIComponent(event.id)}/actions`, {
        method: 'POST',
        body: { action, expectedVersion: readVersion, reason: v.reason || undefined, note: v.note || undefined, department: v.department || undefined, category },
      });
      onDone(updated);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  const conflict = error instanceof ApiError && error.status === 409;
  return (
    <Modal
      open
      title={t('workbench.dialog.title', { action: t(`workbench.action.${action}`), code: event.trackingCode })}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
    >
      <div data-testid="action-dialog">
      <Form form={form} layout="vertical" onFinish={submit} requiredMark initialValues={{ department: action === 'dispatch' ? event.leadDepartment ?? undefined : undefined, category: event.category }}>
        {NEEDS_DEPARTMENT.has(action) && (
          <Form.Item name="department" label={t(action === 'add_cohandler' ? 'workbench.dialog.cohandler' : 'workbench.dialog.department')} rules={[{ required: true, message: t('workbench.dialog.required') }]}>
            <Select options={deptOptions} showSearch={{ optionFilterProp: 'label' }} data-testid="action-department" />
          </Form.Item>
        )}
        {correctable && (
          <Form.Item name="category" label={t('workbench.dialog.category')} extra={t('workbench.dialog.categoryHint')}>
            <Select options={categories.map((c) => ({ value: c.code, label: pick(c.zh, c.en) }))} showSearch={{ optionFilterProp: 'label' }} data-testid="action-category" />
          </Form.Item>
        )}
        {(NEEDS_REASON.has(action) || action === 'escalate') && (
          <Form.Item name="reason" label={t('workbench.dialog.reason')} rules={NEEDS_REASON.has(action) ? [{ required: true, whitespace: true, message: t('workbench.dialog.required') }] : []}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="action-reason" />
          </Form.Item>
        )}
        {!NEEDS_REASON.has(action) && action !== 'escalate' && (
          <Form.Item
            name="note"
            label={t(action === 'report_result' ? 'workbench.dialog.result' : 'workbench.dialog.note')}
            rules={action === 'report_result' ? [{ required: true, whitespace: true, message: t('workbench.dialog.required') }] : []}
          >
            <Input.TextArea rows={3} maxLength={4000} data-testid="action-note" />
          </Form.Item>
        )}
        {action === 'report_result' && (
          <div className="wb-field">
            <label htmlFor="result-photos">{t('workbench.dialog.photos')}</label>
            <input id="result-photos" type="file" accept={PHOTO_TYPES} multiple onChange={(e) => setFiles(Array.from(e.target.files ?? []))} data-testid="action-photos" />
            {files.length > 0 && <Typography.Text type="secondary">{t('workbench.dialog.photosChosen', { n: files.length })}</Typography.Text>}
          </div>
        )}
        {error && (
          <Alert
            type={conflict ? 'warning' : 'error'}
            showIcon
            role="alert"
            data-testid="action-error"
            style={{ marginBottom: 16 }}
            title={conflict ? t('workbench.dialog.conflict') : t('common.error', { message: error.message })}
            description={conflict ? error.message : undefined}
            action={conflict ? <Button size="small" onClick={() => { onReload(); onClose(); }} data-testid="action-reload">{t('workbench.dialog.reload')}</Button> : undefined}
          />
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="action-submit">{t(`workbench.action.${action}`)}</Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </Space>
      </Form>
      </div>
    </Modal>
  );
}
