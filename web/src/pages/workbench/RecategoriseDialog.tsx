/**
 * Correct only the category of an event (POST /api/v1/events/:id/category):
 * for an event the machine dispatched to the right department under the wrong
 * category. The department stays; the time limit follows the new category;
 * the correction becomes an example the classifier learns from. Categories of
 * the event's own department come first. Sent against the version the user
 * read when opening it: a 409 shows the server's message and a reload.
 */
import { Alert, Button, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../api/client.js';
import { useI18n } from '../../i18n/index.js';
import { useCategories } from './taxonomy.js';
import type { Department, EventDetailWire } from './types.js';

interface Props {
  event: EventDetailWire;
  departments: readonly Department[];
  onDone(): void;
  onReload(): void;
  onClose(): void;
}

export function RecategoriseDialog({ event, departments, onDone, onReload, onClose }: Props) {
  const { t, pick } = useI18n();
  const categories = useCategories();
  // The version read when the dialog opened: a live reload meanwhile must not hide someone else's change.
  const [readVersion] = useState(event.version);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const dept = departments.find((d) => d.code === event.leadDepartment);
  const deptName = dept ? pick(dept.nameZh, dept.nameEn) : event.leadDepartment ?? t('workbench.recategorise.noDepartment');
  const label = (c: { code: string; zh: string; en: string }) => `${pick(c.zh, c.en)} (${c.code})`;
  const others = categories.filter((c) => c.code !== event.category);
  const own = others.filter((c) => c.department === event.leadDepartment);
  const rest = others.filter((c) => c.department !== event.leadDepartment);
  const options = [
    ...(own.length ? [{ label: t('workbench.recategorise.sameDepartment', { department: deptName }), options: own.map((c) => ({ value: c.code, label: label(c) })) }] : []),
    ...(rest.length ? [{ label: t('workbench.recategorise.otherDepartments'), options: rest.map((c) => ({ value: c.code, label: label(c) })) }] : []),
  ];

  const submit = async (v: { category: string; reason?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/events/${encodeURIComponent(event.id)}/category`, {
        method: 'POST',
        body: { category: v.category, expectedVersion: readVersion, reason: v.reason?.trim() || undefined },
      });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  const conflict = error instanceof ApiError && error.status === 409;
  return (
    <Modal open title={t('workbench.recategorise.title', { code: event.trackingCode })} onCancel={onClose} footer={null} destroyOnHidden>
      <div data-testid="recategorise-dialog">
        <Typography.Paragraph type="secondary">{t('workbench.recategorise.hint', { department: deptName })}</Typography.Paragraph>
        <Form layout="vertical" onFinish={submit} requiredMark>
          <Form.Item name="category" label={t('workbench.recategorise.category')} rules={[{ required: true, message: t('workbench.dialog.required') }]}>
            <Select options={options} showSearch={{ optionFilterProp: 'label' }} data-testid="recategorise-category" />
          </Form.Item>
          <Form.Item name="reason" label={t('workbench.recategorise.reason')}>
            <Input.TextArea rows={2} maxLength={2000} data-testid="recategorise-reason" />
          </Form.Item>
          {error && (
            <Alert
              type={conflict ? 'warning' : 'error'}
              showIcon
              role="alert"
              style={{ marginBottom: 16 }}
              title={conflict ? t('workbench.dialog.conflict') : t('common.error', { message: error.message })}
              description={conflict ? error.message : undefined}
              action={conflict ? <Button size="small" onClick={() => { onReload(); onClose(); }}>{t('workbench.dialog.reload')}</Button> : undefined}
            />
          )}
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="recategorise-submit">{t('workbench.recategorise.submit')}</Button>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </div>
    </Modal>
  );
}
