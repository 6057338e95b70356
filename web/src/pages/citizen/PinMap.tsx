/**
 * A map to drop a pin on, drawn from the city's own road data (no tile
 * server). MapLibre lives in this lazily loaded chunk, so the portal itself
 * stays light until someone asks for the map.
 */
import { Map as MapLibreMap, Marker, NavigationControl, setWorkerUrl, type MapMouseEvent } from '../../lib/maplibre.js';
import type { Feature } from 'geojson';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre looks for its worker beside its own file, which the bundle does not keep: hand it the emitted worker
// (the same import as the operations map, so both share one asset).
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { useEffect, useRef } from 'react';
import { api } from '../../api/client.js';
import { useI18n } from '../../i18n/index.js';

setWorkerUrl(workerUrl);

interface Summary { bbox: [number, number, number, number] | null }
interface Segments { type: 'FeatureCollection'; features: Feature[] }

export default function PinMap({ value, onPick }: { value: [number, number] | null; onPick(p: [number, number]): void }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const marker = useRef<Marker | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const initial = useRef(value);
  const attribution = t('common.mapAttribution');

  useEffect(() => {
    if (!box.current) return;
    const map = new MapLibreMap({
      container: box.current,
      style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f4f1ea' } }] },
      center: initial.current ?? [1.52, 42.51],
      zoom: 14,
      attributionControl: { customAttribution: attribution },
    });
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }));
    map.on('load', async () => {
      try {
        const summary = await api<Summary>('/api/v1/roads/summary');
        if (summary.bbox && !initial.current) map.fitBounds([[summary.bbox[0], summary.bbox[1]], [summary.bbox[2], summary.bbox[3]]], { duration: 0, padding: 10 });
        const roads = await api<Segments>('/api/v1/roads/segments', { query: { limit: 20000 } });
        map.addSource('roads', { type: 'geojson', data: { type: 'FeatureCollection', features: roads.features } });
        map.addLayer({ id: 'roads', type: 'line', source: 'roads', paint: { 'line-color': '#8c8c8c', 'line-width': 1.2 } });
      } catch {
        // The pin still works on a blank map: coordinates are what the report needs.
      }
    });
    map.on('click', (e: MapMouseEvent) => pick.current([Math.round(e.lngLat.lng * 1e6) / 1e6, Math.round(e.lngLat.lat * 1e6) / 1e6]));
    return () => {
      map.remove();
      mapRef.current = null;
      marker.current = null;
    };
  }, [attribution]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !value) return;
    marker.current ??= new Marker({ color: '#d4380d' }).setLngLat(value).addTo(map);
    marker.current.setLngLat(value);
  }, [value]);

  return <div ref={box} style={{ height: 320, width: '100%', borderRadius: 8, overflow: 'hidden' }} role="application" aria-label={t('citizen.report.mapHelp')} data-testid="pin-map" />;
}
