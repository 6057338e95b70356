/** A sensor's details: what and where it is, its live value, its history chart and its active alarms. */
import { Descriptions, List, Spin, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../../api/client.js';
import { useI18n } from '../../../i18n/index.js';
import type { SensorFeed } from '../live/sensorFeed.js';
import { SEVERITY_COLOURS } from '../map/style.js';
import type { AlarmWire, Selection, SensorWire } from '../types.js';
import type { Catalogue } from '../useCatalogue.js';
import { usePoll } from '../usePoll.js';
import { SensorChart } from './SensorChart.js';

function LiveValue({ feed, sensor }: { feed: SensorFeed; sensor: SensorWire }) {
  const { t, number, time } = useI18n();
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const p = feed.get(sensor.id);
  if (!p || p.value === null || p.ts === null) return <span className="ops-muted">{t('ops.sensor.noData')}</span>;
  return <span data-testid="sensor-live-value"><strong>{number(p.value, 2)} {sensor.unit}</strong> <span className="ops-muted">@ {time(p.ts)}</span></span>;
}

export function SensorDetails({ id, feed, alarms, catalogue, onSelect }: { id: string; feed: SensorFeed; alarms: AlarmWire[]; catalogue: Catalogue; onSelect: (s: Selection) => void }) {
  const { t, pick, number } = useI18n();
  const { data: sensor, error } = usePoll((signal) => api<SensorWire>(`/api/v1/sensors/${encodeURIComponent(id)}`, { signal }), 0, [id]);
  if (error) return <div role="alert">{t('common.error', { message: error })}</div>;
  if (!sensor) return <Spin />;
  const mine = alarms.filter((a) => a.sourceId === id);
  return (
    <div data-testid="sensor-details">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('ops.sensor.name')}>{sensor.name}</Descriptions.Item>
        <Descriptions.Item label={t('ops.sensor.class')}>{catalogue.className(sensor.class)} · {sensor.metric}</Descriptions.Item>
        <Descriptions.Item label={t('ops.sensor.latest')}><LiveValue feed={feed} sensor={sensor} /></Descriptions.Item>
        <Descriptions.Item label={t('ops.sensor.range')}>{number(sensor.min)} – {number(sensor.max)} {sensor.unit}</Descriptions.Item>
        <Descriptions.Item label={t('ops.sensor.department')}>{catalogue.departmentName(sensor.department)}</Descriptions.Item>
        <Descriptions.Item label={t('ops.sensor.state')}>{sensor.state}</Descriptions.Item>
        <Descriptions.Item label={t('ops.sensor.id')}><code>{sensor.id}</code></Descriptions.Item>
      </Descriptions>
      <h3 className="ops-h3">{t('ops.sensor.history')}</h3>
      <SensorChart sensor={sensor} />
      {mine.length > 0 && (
        <>
          <h3 className="ops-h3">{t('ops.sensor.alarms')}</h3>
          <List size="small" dataSource={mine} renderItem={(a) => (
            <List.Item onClick={() => onSelect({ kind: 'alarm', id: a.id })} className="ops-clickable">
              <Tag color={SEVERITY_COLOURS[a.severity]}>{t(`severity.${a.severity}`)}</Tag>{pick(a.messageZh, a.messageEn)}
            </List.Item>
          )} />
        </>
      )}
    </div>
  );
}
