/**
 * The full-screen MapLibre map: created once with the style of style.ts, handed
 * to the layer hooks as soon as its style is in (the sources exist; data set then
 * is tiled as the workers come up, rather than after the map's "load"), and
 * turning clicks on features into selections. The map instance is also put on
 * window.__opsMap so browser tests and the benchmark can find features on screen.
 */
import type { Map as MlMap, MapGeoJSONFeature } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef } from 'react';
import * as maplibregl from '../../../lib/maplibre.js';
import type { Selection } from '../types.js';
import { baseStyle } from './style.js';

// Roads and sensors are tiled in parallel rather than one after the other; the workers start (download and compile
// their script) as soon as this chunk runs, while React is still rendering, not when the map is created.
maplibregl.setWorkerCount(2);
maplibregl.prewarm();

const CLICKABLE = ['alarms', 'sensors', 'events', 'risk-fill'];

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
      // A wall screen of one city: no fading symbols, no world copies, no tilting; a small tile cache (GeoJSON sources
      // re-tile cheaply) keeps memory flat on a screen left open for days.
      fadeDuration: 0, maxPitch: 0, dragRotate: false, renderWorldCopies: false, maxTileCacheSize: 200,
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
    map.addControl(new maplibregl.ScaleControl({}), 'bottom-left');
    (window as unknown as { __opsMap?: MlMap }).__opsMap = map;
    let handed = false;
    const ready = () => {
      if (handed) return;
      handed = true;
      performance.mark('ops-map-style');
      readyRef.current(map);
    };
    map.once('style.load', ready);
    if (map.isStyleLoaded()) ready();
    map.on('load', () => performance.mark('ops-map-load'));
    map.on('click', (e) => {
      const layers = CLICKABLE.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
      for (const h of map.queryRenderedFeatures(e.point, { layers })) {
        const s = selectionOf(h);
        if (s) return selectRef.current(s);
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
