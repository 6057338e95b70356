/** Choosing a photo for a report (camera on phones); the server strips its location data before anyone else sees it. */
import { Typography } from 'antd';
import { useId } from 'react';
import { useI18n } from '../../i18n/index.js';

export function PhotoInput({ photo, onChange }: { photo: File | null; onChange(photo: File | null): void }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div>
      <label htmlFor={id}><Typography.Text strong>{t('citizen.report.photo')}</Typography.Text></label>
      <input id={id} type="file" accept="image/jpeg,image/png,image/webp" capture="environment" className="photo-input" aria-describedby={`${id}-help`}
        onChange={(e) => onChange(e.target.files?.[0] ?? null)} data-testid="report-photo" />
      <Typography.Text type="secondary" id={`${id}-help`} style={{ display: 'block' }}>{t('citizen.report.photoHelp')}</Typography.Text>
      {photo && <Typography.Text role="status">{t('citizen.report.photoChosen', { name: photo.name })}</Typography.Text>}
    </div>
  );
}
