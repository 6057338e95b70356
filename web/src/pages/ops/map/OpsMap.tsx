/**
 * The full-screen MapLibre map: created once with the style of style.ts, handed
 * to the layer hooks when its style has loaded, and turning clicks on features
 * into selections (cluster clicks zoom in). The map instance is also put on
 * window.__opsMap so browser tests and the benchmark can find features on screen.
 */
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MlMap, MapGeoJSONFeature } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { useEffect, useRef } from 'react';
import type { Selection } from '../types.js';
import { baseStyle } from './style.js';

maplibregl.setWorkerUrl(workerUrl);
// Roads and sensors are tiled in parallel rather than one after the other.
maplibregl.setWorkerCount(2);

const CLICKABLE = ['alarms', 'sensors', 'sensor-clusters', 'events', 'risk-fill'];

function selectionOf(f: MapGeoJSONFeature): Selection | null {
  const p = f.properties as Record<string, unknown>;
  if (f.layer.id === 'alarms') return { kind: 'alarm', id: String(p.id) };
  if (f.layer.id === 'sensors') return { kind: 'sensor', id: String(p.id) };
  if (f.layer.id === 'events') return { kind: 'event', id: String(p.id) };
  if (f.layer.id === 'risk-fill') return { kind: 'area', id: String(p.id) };
  return null;
}

export function OpsMap({ onReady, onSelect, label }: { onReady: (map: MlMap) => void; onSelect: (s: Selection) => void; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const selectRef = useRef(onSelect);
  selectRef.current = onSelect;
  const readyRef = useRef(onReady);
  readyRef.current = onReady;

  useEffect(() => {
    performance.mark('ops-map-create');
    const map = new maplibregl.Map({
      container: el.current!, style: baseStyle(), center: [1.55, 42.53], zoom: 11, attributionControl: false,
      // The map is redrawn only when data changes; keep the GPU work small on a busy wall screen.
      fadeDuration: 0, maxPitch: 0, dragRotate: false,
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
    map.addControl(new maplibregl.ScaleControl({}), 'bottom-left');
    (window as unknown as { __opsMap?: MlMap }).__opsMap = map;
    map.on('load', () => {
      performance.mark('ops-map-load');
      readyRef.current(map);
    });
    map.on('click', (e) => {
      const layers = CLICKABLE.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
      const hits = map.queryRenderedFeatures(e.point, { layers });
      const cluster = hits.find((h) => h.layer.id === 'sensor-clusters');
      for (const h of hits) {
        const s = selectionOf(h);
        if (s) return selectRef.current(s);
      }
      if (cluster) {
        const src = map.getSource('sensors') as GeoJSONSource;
        void src.getClusterExpansionZoom(Number(cluster.properties.cluster_id)).then((zoom) => {
          map.easeTo({ center: (cluster.geometry as GeoJSON.Point).coordinates as [number, number], zoom: zoom + 0.5 });
        });
      }
    });
    for (const id of CLICKABLE) {
      map.on('mouseenter', id, () => { map.getCanvas().style.cursor = 'pointer'; });
      map.on('mouseleave', id, () => { map.getCanvas().style.cursor = ''; });
    }
    return () => {
      delete (window as unknown as { __opsMap?: MlMap }).__opsMap;
      map.remove();
    };
  }, []);

  return <div ref={el} className="ops-map" data-testid="ops-map" role="application" aria-label={label} />;
}
