/** "Live" indicator: sensors on the map, readings received, and the newest reading's time; refreshed once a second. */
import { Badge } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../../i18n/index.js';
import type { SensorFeed } from '../live/sensorFeed.js';

export function LiveStatus({ feed, connected }: { feed: SensorFeed; connected: boolean }) {
  const { t, number, time } = useI18n();
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="ops-live" data-testid="live-status" aria-live="off">
      <Badge status={connected ? 'processing' : 'default'} text={connected ? t('ops.live.on') : t('ops.live.off')} />
      <span>{t('ops.live.sensors', { n: number(feed.size) })}</span>
      <span data-testid="live-newest">{feed.newestTs ? t('ops.live.newest', { time: time(feed.newestTs) }) : ''}</span>
    </div>
  );
}
