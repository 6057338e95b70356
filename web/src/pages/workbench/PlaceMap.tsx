/**
 * A small static map of the event's place: the road segments around it from
 * the roads API drawn as SVG, with a pin. No map library, so the workbench
 * chunk stays light; the operations centre has the full map.
 */
import { Typography } from 'antd';
import { useCallback, useMemo } from 'react';
import { useI18n } from '../../i18n/index.js';
import { useApi } from './hooks.js';

interface Segments {
  features: Array<{ id: string; geometry: { coordinates: Array<[number, number]> }; properties: { highway: string; name: string | null } }>;
}

const W = 360;
const H = 240;
/** Half the box's height in degrees of latitude (~330 m). */
const HALF_LAT = 0.003;
const MAJOR = new Set(['motorway', 'trunk', 'primary', 'secondary']);

export function PlaceMap({ lon, lat }: { lon: number; lat: number }) {
  const { t, number } = useI18n();
  // Keep the box square on the ground: a degree of longitude shrinks with latitude.
  const halfLon = (HALF_LAT * (W / H)) / Math.cos((lat * Math.PI) / 180);
  const bbox = [lon - halfLon, lat - HALF_LAT, lon + halfLon, lat + HALF_LAT].map((v) => v.toFixed(6)).join(',');
  const roads = useApi<Segments>('/api/v1/roads/segments', { bbox, limit: 1500 });
  const x = useCallback((lo: number) => ((lo - (lon - halfLon)) / (2 * halfLon)) * W, [lon, halfLon]);
  const y = useCallback((la: number) => H - ((la - (lat - HALF_LAT)) / (2 * HALF_LAT)) * H, [lat]);
  const paths = useMemo(
    () => (roads.data?.features ?? []).map((f) => ({ id: f.id, major: MAJOR.has(f.properties.highway), d: f.geometry.coordinates.map(([a, b], i) => `${i ? 'L' : 'M'}${x(a).toFixed(1)},${y(b).toFixed(1)}`).join('') })),
    [roads.data, x, y],
  );
  return (
    <figure className="wb-map" data-testid="place-map">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('workbench.map.label', { lat: number(lat, 5), lon: number(lon, 5) })}>
        <rect width={W} height={H} fill="#f4f1ea" />
        {paths.map((p) => <path key={p.id} d={p.d} fill="none" stroke={p.major ? '#f2b94a' : '#fff'} strokeWidth={p.major ? 5 : 3} strokeLinecap="round" />)}
        {paths.map((p) => <path key={`${p.id}-c`} d={p.d} fill="none" stroke="#c9c2b3" strokeWidth={0.6} />)}
        <g transform={`translate(${W / 2},${H / 2})`}>
          <path d="M0,0 C-6,-10 -10,-14 -10,-20 A10,10 0 1 1 10,-20 C10,-14 6,-10 0,0 Z" fill="#d4380d" stroke="#fff" strokeWidth={1.5} />
          <circle cy={-20} r={3.5} fill="#fff" />
        </g>
      </svg>
      <figcaption>
        <Typography.Text type="secondary">{roads.error ? t('workbench.map.noRoads') : t('common.mapAttribution')}</Typography.Text>
      </figcaption>
    </figure>
  );
}
