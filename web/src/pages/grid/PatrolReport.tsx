/**
 * Report a patrol finding (巡查上报): what, a photo from the camera, and where
 * (the device's position, or typed in). Sent through the events intake with
 * channel 'patrol' and an Idempotency-Key, so a retry on a bad connection
 * never makes two events; the photo follows once the event exists.
 */
import { Alert, Button, Form, Input, Result, Select, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client.js';
import { useI18n } from '../../i18n/index.js';
import { PHOTO_TYPES, uploadPhoto } from '../workbench/photos.js';
import { useCategories } from '../workbench/taxonomy.js';
import type { EventWire } from '../workbench/types.js';
import { LocationField, type PlaceValue } from './LocationField.js';
import { useGeolocation } from './useGeolocation.js';

interface Values {
  text: string;
  category?: string;
  urgent?: boolean;
}

const newKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

export function PatrolReport({ onOpen }: { onOpen(id: string): void }) {
  const { t, pick } = useI18n();
  const categories = useCategories();
  const [form] = Form.useForm<Values>();
  const geo = useGeolocation();
  const [place, setPlace] = useState<PlaceValue>({ lon: null, lat: null, address: '' });
  const [photo, setPhoto] = useState<File | null>(null);
  const [key, setKey] = useState(newKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ event: EventWire; photoFailed: boolean } | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => {
    const url = photo ? URL.createObjectURL(photo) : null;
    setPreview(url);
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [photo]);
  const { position } = geo;
  useEffect(() => {
    // A new fix fills in the coordinates; typing afterwards still wins.
    if (position) setPlace((p) => ({ ...p, lon: position.lon, lat: position.lat }));
  }, [position]);

  const submit = async (v: Values) => {
    const hasPoint = place.lon !== null && place.lat !== null;
    if (!hasPoint && !place.address.trim()) {
      setError(t('grid.report.needPlace'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const event = await api<EventWire>('/api/v1/events', {
        method: 'POST',
        headers: { 'idempotency-key': key },
        body: {
          text: v.text, channel: 'patrol', category: v.category || undefined, urgent: v.urgent || undefined,
          location: hasPoint ? { type: 'Point', coordinates: [place.lon, place.lat] } : undefined,
          address: place.address.trim() || undefined,
        },
      });
      let photoFailed = false;
      if (photo) await uploadPhoto(event.id, photo, 'report').catch(() => { photoFailed = true; });
      setDone({ event, photoFailed });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    form.resetFields();
    setPhoto(null);
    setDone(null);
    setKey(newKey());
  };

  if (done) {
    return (
      <Result
        status="success"
        title={t('grid.report.sent')}
        subTitle={<span data-testid="patrol-code">{t('grid.report.code', { code: done.event.trackingCode })}</span>}
        extra={[
          done.photoFailed && <Alert key="ph" type="warning" showIcon title={t('grid.report.photoFailed')} />,
          <Button key="open" type="primary" size="large" onClick={() => onOpen(done.event.id)} data-testid="patrol-open">{t('grid.report.open')}</Button>,
          <Button key="again" size="large" onClick={again}>{t('grid.report.again')}</Button>,
        ]}
      />
    );
  }
  return (
    <Form<Values> form={form} layout="vertical" onFinish={submit} className="grid-form" data-testid="patrol-form">
      <Form.Item name="text" label={t('grid.report.what')} rules={[{ required: true, whitespace: true, message: t('grid.report.needText') }]}>
        <Input.TextArea rows={4} maxLength={4000} data-testid="patrol-text" />
      </Form.Item>
      <Form.Item name="category" label={t('grid.report.category')} extra={t('grid.report.categoryHint')}>
        <Select allowClear size="large" showSearch={{ optionFilterProp: 'label' }} placeholder={t('grid.report.categoryAuto')} options={categories.map((c) => ({ value: c.code, label: pick(c.zh, c.en) }))} />
      </Form.Item>
      <Form.Item name="urgent" label={t('grid.report.urgent')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <div className="grid-label">
        <label htmlFor="patrol-photo">{t('grid.report.photo')}</label>
        <input id="patrol-photo" type="file" accept={PHOTO_TYPES} capture="environment" onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} data-testid="patrol-photo" />
        {preview && <img src={preview} alt={t('grid.report.preview')} className="grid-preview" />}
      </div>
      <LocationField geo={geo} value={place} onChange={setPlace} />
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ margin: '12px 0' }} data-testid="patrol-error" />}
      <Button type="primary" htmlType="submit" size="large" block loading={busy} style={{ marginTop: 16 }} data-testid="patrol-submit">{t('grid.report.submit')}</Button>
    </Form>
  );
}
