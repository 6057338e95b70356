/** One event for staff: summary, actions, place map, photos and the full timeline. Used by the workbench and the grid view. */
import { Alert, Button, Card, Collapse, Empty, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { ActionBar } from './ActionBar.js';
import { EventSummary } from './EventSummary.js';
import { useActor, useEventDetail, usePhotos } from './hooks.js';
import { useDepartments } from './taxonomy.js';
import { PhotoStrip } from './PhotoStrip.js';
import { PlaceMap } from './PlaceMap.js';
import { EventTimeline } from './Timeline.js';
import type { EventDetailWire } from './types.js';

interface Props {
  id: string;
  compact?: boolean;
  /** Bumped when the live stream says this event changed: reload it. */
  refresh?: number;
  /** Called after an action so lists can refresh. */
  onChanged?(e: EventDetailWire): void;
  onClose?(): void;
}

export function EventDetail({ id, compact = false, refresh = 0, onChanged, onClose }: Props) {
  const { t } = useI18n();
  const loaded = useEventDetail(id);
  const [event, setEvent] = useState<EventDetailWire | null>(null);
  useEffect(() => setEvent(loaded.data), [loaded.data]);
  const { reload } = loaded;
  useEffect(() => {
    if (refresh) reload();
  }, [refresh, reload]);
  const photos = usePhotos(event?.id ?? null, event?.version);
  const departments = useDepartments();
  const actor = useActor();

  if (loaded.error) {
    return <Alert type="error" showIcon title={t('common.error', { message: loaded.error.message })} action={<Button onClick={loaded.reload}>{t('common.retry')}</Button>} />;
  }
  if (!event || event.id !== id) return <Card loading />;
  const [lon, lat] = event.location?.coordinates ?? [null, null];
  return (
    <Card
      data-testid="event-detail"
      data-version={event.version}
      title={<span>{t('workbench.detail.title', { code: event.trackingCode })}</span>}
      extra={
        <Space>
          <Button onClick={loaded.reload} data-testid="detail-reload">{t('common.refresh')}</Button>
          {onClose && <Button onClick={onClose}>{t('workbench.detail.hide')}</Button>}
        </Space>
      }
    >
      <EventSummary event={event} departments={departments} compact={compact} />
      <Typography.Title level={3} className="wb-h">{t('workbench.actions')}</Typography.Title>
      {actor && <ActionBar event={event} actor={actor} departments={departments} onReload={loaded.reload} onChanged={(u) => { setEvent(u); onChanged?.(u); }} />}
      <Typography.Title level={3} className="wb-h">{t('workbench.photos')}</Typography.Title>
      <PhotoStrip photos={photos} />
      <Collapse
        className="wb-collapse"
        defaultActiveKey={compact ? ['timeline'] : ['map', 'timeline']}
        items={[
          { key: 'map', label: t('workbench.map.title'), children: lon !== null && lat !== null ? <PlaceMap lon={lon} lat={lat} /> : <Empty description={t('workbench.map.none')} /> },
          { key: 'timeline', label: t('workbench.timeline', { n: event.timeline.length }), children: <EventTimeline entries={event.timeline} />, forceRender: true },
        ]}
      />
    </Card>
  );
}
