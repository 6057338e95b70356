/**
 * The operations centre (城市运行一张图, SPEC U1): a full-screen live map of the
 * city — roads from the imported OpenStreetMap data, org-unit boundaries, and
 * switchable layers of sensors (live), alarms, open events and risk by area —
 * with a side panel of key numbers and trends, and a drawer with the details
 * of whatever is clicked. Each layer and panel lives in its own file. Live
 * data stays out of this component's state: the sensor feed restyles the map
 * itself, and the panel polls its own figures, so nothing here re-renders the
 * whole screen once a second.
 */
import type { Map as MlMap } from 'maplibre-gl';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
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
import { SidePanel, type PanelSample } from './panel/SidePanel.js';
import type { Selection } from './types.js';
import { useCatalogue } from './useCatalogue.js';
import './ops.css';

// The road network and the sensors' latest values are asked for as soon as this chunk runs (main.tsx loads it
// early on /ops), while the session is still being checked.
prefetchOpsData();

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

  // Read by the panel when it takes a trend sample; a ref, so taking one does not re-render the screen.
  const sample = useRef<() => PanelSample>(null!);
  sample.current = () => ({ openEvents: events.total, activeAlarms: alarms.bySensor.size, readings: sensors.feed.readings });

  const categories = useMemo(() => [...new Set(events.events.map((e) => e.category))].sort(), [events.events]);
  const onReady = useCallback((m: MlMap) => setMap(m), []);
  // The layer card and the side panel (a few dozen Ant Design components, whose first render computes their CSS)
  // mount in the task after the map is created, so the map's workers start on the data that much sooner.
  const [panels, setPanels] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setPanels(true), 0);
    return () => clearTimeout(timer);
  }, []);

  return (
    <div className="ops-screen" data-testid="ops-centre">
      <h1 className="ops-sr-only">{t('nav.ops')}</h1>
      <OpsMap onReady={onReady} onSelect={setSelection} label={t('ops.map.label')} />
      {panels && (
        <LayerSwitcher
          value={layers} onChange={setLayers} catalogue={catalogue} categories={categories}
          missing={{ alarms: alarms.missing, events: events.missing, risk: risk.missing }}
        />
      )}
      {(roads.error || sensors.error) && <div className="ops-map-error" role="alert">{t('common.error', { message: roads.error ?? sensors.error ?? '' })}</div>}
      <div className="ops-attribution">{t('common.mapAttribution')}</div>
      {panels && <SidePanel openEvents={events.missing ? null : events.total} sample={sample} sensors={sensors} />}
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
