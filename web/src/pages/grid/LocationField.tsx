/** Where the finding is: the device's position by one tap, or typed coordinates / an address when that is not possible. */
import { Alert, Button, Input, InputNumber, Space, Typography } from 'antd';
import { useI18n } from '../../i18n/index.js';
import type { Geo } from './useGeolocation.js';

export interface PlaceValue {
  lon: number | null;
  lat: number | null;
  address: string;
}

export function LocationField({ geo, value, onChange }: { geo: Geo; value: PlaceValue; onChange(v: PlaceValue): void }) {
  const { t, number } = useI18n();
  const { position } = geo;
  const manual = geo.status === 'denied' || geo.status === 'unavailable';
  return (
    <fieldset className="grid-fieldset" data-testid="patrol-location">
      <legend>{t('grid.report.where')}</legend>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Button block size="large" onClick={geo.locate} loading={geo.status === 'locating'} data-testid="patrol-locate">{t('grid.report.locate')}</Button>
        {geo.status === 'ok' && position && (
          <Typography.Text type="success" data-testid="patrol-located">{t('grid.report.located', { lat: number(position.lat, 5), lon: number(position.lon, 5), m: number(position.accuracyM, 0) })}</Typography.Text>
        )}
        {manual && <Alert type="warning" showIcon title={t(geo.status === 'denied' ? 'grid.report.geoDenied' : 'grid.report.geoUnavailable')} />}
        <div className="grid-coords">
          <label>
            <span>{t('grid.report.lat')}</span>
            <InputNumber style={{ width: '100%' }} min={-90} max={90} step={0.0001} value={value.lat} onChange={(v) => onChange({ ...value, lat: v })} data-testid="patrol-lat" />
          </label>
          <label>
            <span>{t('grid.report.lon')}</span>
            <InputNumber style={{ width: '100%' }} min={-180} max={180} step={0.0001} value={value.lon} onChange={(v) => onChange({ ...value, lon: v })} data-testid="patrol-lon" />
          </label>
        </div>
        <label className="grid-label">
          <span>{t('grid.report.address')}</span>
          <Input value={value.address} maxLength={500} onChange={(e) => onChange({ ...value, address: e.target.value })} data-testid="patrol-address" />
        </label>
      </Space>
    </fieldset>
  );
}
