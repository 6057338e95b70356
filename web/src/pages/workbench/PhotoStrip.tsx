/** The event's photos (reported and result), fetched with the session and shown as thumbnails that open full size. */
import { Image, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { photoObjectUrl } from './photos.js';
import type { PhotoWire } from './types.js';

function Photo({ photo }: { photo: PhotoWire }) {
  const { t, dateTime } = useI18n();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    let url: string | null = null;
    photoObjectUrl(photo.url, ctl.signal).then((u) => {
      url = u;
      setSrc(u);
    }).catch(() => setSrc(null));
    return () => {
      ctl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [photo.url]);
  const alt = t('workbench.photo.alt', { stage: t(`workbench.photo.${photo.stage}`), at: dateTime(photo.createdAt) });
  return (
    <figure className="wb-photo" data-testid="event-photo" data-stage={photo.stage}>
      {src ? <Image src={src} alt={alt} width={120} height={90} style={{ objectFit: 'cover' }} /> : <div className="wb-photo-placeholder" role="img" aria-label={alt} />}
      <figcaption><Tag color={photo.stage === 'result' ? 'green' : 'blue'}>{t(`workbench.photo.${photo.stage}`)}</Tag></figcaption>
    </figure>
  );
}

export function PhotoStrip({ photos }: { photos: readonly PhotoWire[] }) {
  const { t } = useI18n();
  if (!photos.length) return <Typography.Text type="secondary">{t('workbench.photo.none')}</Typography.Text>;
  return <Space wrap>{photos.map((p) => <Photo key={p.id} photo={p} />)}</Space>;
}
