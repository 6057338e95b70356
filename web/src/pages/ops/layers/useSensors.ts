/**
 * The sensor layer: every sensor's latest value (GET /api/v1/latest) drawn once,
 * then the live stream (SSE /api/v1/live) folded into a SensorFeed; once every
 * FLUSH_MS the sensors whose state changed (stale, alarm, back to ok) are
 * restyled through feature-state — no re-tiling, no redraw when nothing changed.
 * Figures for the panel and tests go on the map element as data attributes,
 * without re-rendering React on every batch.
 */
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { openStream } from '../live/eventSource.js';
import { SensorFeed, type LiveRow } from '../live/sensorFeed.js';
import { takeLatest } from './prefetch.js';

const FLUSH_MS = 1000;
/** Dispatched on the map's element at the first picture with roads and sensors (useRoads then adds the minor streets). */
export const DRAWN_EVENT = 'ops-drawn';

export interface SensorLive {
  feed: SensorFeed;
  /** Stream connected. */
  connected: boolean;
  loaded: boolean;
  error: string | null;
}

/** Mark "ops-sensors-drawn" (the benchmark's first-load figure) at the first frame with the main roads and the sensors in. */
function markWhenDrawn(map: MlMap): void {
  const el = map.getContainer();
  const check = () => {
    if (!el.dataset.roads || !map.isSourceLoaded('roads') || !map.isSourceLoaded('sensors')) return;
    map.off('render', check);
    performance.mark('ops-sensors-drawn');
    el.dataset.drawn = '1';
    el.dispatchEvent(new Event(DRAWN_EVENT));
  };
  map.on('render', check);
  map.triggerRepaint();
}

export function useSensors(map: MlMap | null, alarmedSensors: ReadonlyMap<string, string>): SensorLive {
  const feed = useRef(new SensorFeed()).current;
  const [connected, setConnected] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    feed.setAlarmed(alarmedSensors);
  }, [feed, alarmedSensors]);

  useEffect(() => {
    if (!map) return;
    let live = true;
    let close: (() => void) | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    const el = map.getContainer();
    const figures = () => {
      el.dataset.sensors = String(feed.size);
      el.dataset.readings = String(feed.readings);
      el.dataset.newestTs = String(feed.newestTs);
    };
    const flush = () => {
      figures();
      for (const [id, s] of feed.stateChanges(Date.now())) map.setFeatureState({ source: 'sensors', id }, { s });
    };
    takeLatest()
      .then((r) => {
        if (!live) return;
        feed.load(r.items);
        const features = feed.features(Date.now());
        (map.getSource('sensors') as GeoJSONSource | undefined)?.setData(features);
        (map.getSource('sensor-clusters') as GeoJSONSource | undefined)?.setData(features);
        performance.mark('ops-sensors-data');
        figures();
        markWhenDrawn(map);
        setLoaded(true);
        timer = setInterval(flush, FLUSH_MS);
        const onRows = (data: string) => feed.apply(JSON.parse(data) as LiveRow[]);
        close = openStream('/api/v1/live', { snapshot: onRows, reading: onRows }, setConnected);
      })
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
      clearInterval(timer);
      close?.();
    };
  }, [map, feed]);

  return { feed, connected, loaded, error };
}
