/** Where the problem is: the device's location, a pin on a map (loaded only when asked for), or an address. */
import { Button, Input, Space, Typography } from 'antd';
import { lazy, Suspense, useId, useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { Loading } from '../../shell/guards.js';

const PinMap = lazy(() => import('./PinMap.js'));

export interface LocationValue {
  location: [number, number] | null;
  address: string;
}

export function LocationPicker({ value, onChange }: { value: LocationValue; onChange(patch: Partial<LocationValue>): void }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<'idle' | 'locating' | 'failed'>('idle');
  const [showMap, setShowMap] = useState(false);
  const addressId = useId();
  const locate = () => {
    if (!navigator.geolocation) return setStatus('failed');
    setStatus('locating');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setStatus('idle');
        onChange({ location: [round(pos.coords.longitude), round(pos.coords.latitude)] });
      },
      () => setStatus('failed'),
      { timeout: 10_000, maximumAge: 60_000 },
    );
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Button onClick={locate} loading={status === 'locating'} data-testid="use-location">{t('citizen.report.useLocation')}</Button>
        <Button onClick={() => setShowMap((s) => !s)} aria-expanded={showMap} data-testid="pick-on-map">{showMap ? t('citizen.report.hideMap') : t('citizen.report.pickOnMap')}</Button>
      </Space>
      {status === 'failed' && <Typography.Text type="warning" role="status">{t('citizen.report.locationFailed')}</Typography.Text>}
      {value.location && (
        <Typography.Text role="status" data-testid="chosen-location">
          {t('citizen.report.pinned', { lon: value.location[0].toFixed(5), lat: value.location[1].toFixed(5) })}
        </Typography.Text>
      )}
      {showMap && (
        <Suspense fallback={<Loading />}>
          <Typography.Text type="secondary">{t('citizen.report.mapHelp')}</Typography.Text>
          <PinMap value={value.location} onPick={(p) => onChange({ location: p })} />
        </Suspense>
      )}
      <div>
        <label htmlFor={addressId}>{t('citizen.report.address')}</label>
        <Input id={addressId} value={value.address} maxLength={300} placeholder={t('citizen.report.addressPlaceholder')} onChange={(e) => onChange({ address: e.target.value })} data-testid="report-address" />
      </div>
    </Space>
  );
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
