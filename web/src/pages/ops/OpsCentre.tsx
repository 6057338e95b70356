/**
 * The operations centre (城市运行一张图, SPEC U1): a full-screen live map of the
 * city — roads from the imported OpenStreetMap data, org-unit boundaries, and
 * switchable layers of sensors (live), alarms, open events and risk by area —
 * with a side panel of key numbers and trends, and a drawer with the details
 * of whatever is clicked. Each layer and panel lives in its own file.
 */
import type { Map as MlMap } from 'maplibre-gl';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { useAlarms } from './layers/useAlarms.js';
import { useBoundaries } from './layers/useBoundaries.js';
import { useOpenEvents } from './layers/useEvents.js';
import { useRisk } from './layers/useRisk.js';
import { prefetchOpsData } from './layers/prefetch.js';
import { useRoads } from './layers/useRoads.js';
import { useSensors } from './layers/useSensors.js';
import { OpsMap } from './map/OpsMap.js';
import { useLayerVisibility } from './map/useLayerVisibility.js';
import { LayerSwitcher, type LayerSettings } from './panel/LayerSwitcher.js';
import { SidePanel } from './panel/SidePanel.js';
import { useOpsStats, useTrend } from './panel/useOpsStats.js';
import type { Selection } from './types.js';
import { useCatalogue } from './useCatalogue.js';
import './ops.css';

// Charts (ECharts) load after the map has started: the map is what the user waits for.
const DetailsDrawer = lazy(() => import('./details/DetailsDrawer.js').then((m) => ({ default: m.DetailsDrawer })));

const INITIAL: LayerSettings = {
  visible: { sensors: true, alarms: true, events: true, risk: false, boundaries: true },
  category: null,
  riskLevel: 'street',
  riskHoursAgo: 0,
};

export default function OpsCentre() {
  const { t } = useI18n();
  useState(prefetchOpsData);
  const [map, setMap] = useState<MlMap | null>(null);
  const [layers, setLayers] = useState<LayerSettings>(INITIAL);
  const [selection, setSelection] = useState<Selection | null>(null);
  const catalogue = useCatalogue();

  const roads = useRoads(map);
  const units = useBoundaries(map);
  const alarms = useAlarms(map);
  const sensors = useSensors(map, alarms.bySensor);
  const events = useOpenEvents(map, layers.category);
  const riskAt = useMemo(() => (layers.riskHoursAgo === 0 ? null : new Date(Date.now() - layers.riskHoursAgo * 3_600_000).toISOString()), [layers.riskHoursAgo]);
  const risk = useRisk(map, units, layers.riskLevel, riskAt);
  useLayerVisibility(map, layers.visible);

  const stats = useOpsStats();
  const samples = useTrend(() => {
    const f = sensors.feed;
    const n = f.readings;
    const at = Date.now();
    const prev = lastReadings;
    lastReadings = { n, at };
    return {
      openEvents: events.total,
      overdue: stats.overdue ?? 0,
      activeAlarms: alarms.bySensor.size,
      readingsPerS: prev ? Math.round(((n - prev.n) * 1000) / Math.max(1, at - prev.at)) : 0,
    };
  });

  const categories = useMemo(() => [...new Set(events.events.map((e) => e.category))].sort(), [events.events]);
  const onReady = useCallback((m: MlMap) => setMap(m), []);

  return (
    <div className="ops-screen" data-testid="ops-centre">
      <h1 className="ops-sr-only">{t('nav.ops')}</h1>
      <OpsMap onReady={onReady} onSelect={setSelection} label={t('ops.map.label')} />
      <LayerSwitcher
        value={layers} onChange={setLayers} catalogue={catalogue} categories={categories}
        missing={{ alarms: alarms.missing, events: events.missing, risk: risk.missing }}
      />
      {(roads.error || sensors.error) && <div className="ops-map-error" role="alert">{t('common.error', { message: roads.error ?? sensors.error ?? '' })}</div>}
      <div className="ops-attribution">{t('common.mapAttribution')}</div>
      <SidePanel stats={stats} openEvents={events.missing ? null : events.total} samples={samples} sensors={sensors} />
      {map && (
        <Suspense fallback={null}>
          <DetailsDrawer
            selection={selection} onSelect={setSelection} onClose={() => setSelection(null)}
            ctx={{ feed: sensors.feed, alarms: alarms.alarms, units, risk: risk.areas, catalogue, reloadAlarms: alarms.reload }}
          />
        </Suspense>
      )}
    </div>
  );
}

/** The previous sample's reading count, for readings per second (one screen at a time). */
let lastReadings: { n: number; at: number } | null = null;
