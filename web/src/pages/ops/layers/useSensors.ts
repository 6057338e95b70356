/**
 * The sensor layer: every sensor's latest value (GET /api/v1/latest), then the
 * live stream (SSE /api/v1/live) folded into a SensorFeed and pushed to the map
 * at most FLUSH_MS apart, so 2,000+ sensors reporting every second cost a few
 * small redraws a second. Figures for the panel and tests go on the map element
 * as data attributes, without re-rendering React on every batch.
 */
import type { Map as MlMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { openStream } from '../live/eventSource.js';
import { SensorFeed, type LiveRow } from '../live/sensorFeed.js';
import { setSource } from '../map/useSourceData.js';
import { takeLatest } from './prefetch.js';

const FLUSH_MS = 400;

export interface SensorLive {
  feed: SensorFeed;
  /** Stream connected. */
  connected: boolean;
  loaded: boolean;
  error: string | null;
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
    const el = map.getContainer();
    let drawnOnce = false;
    let drawn = false;
    const flush = () => {
      // Hold live updates until the first picture is on screen: a source that changes every FLUSH_MS on a slow
      // machine would otherwise keep re-tiling and never show its first state.
      if (drawnOnce && !drawn) return;
      const fc = feed.collect(Date.now());
      if (!fc) return;
      setSource(map, 'sensors', fc);
      el.dataset.sensors = String(feed.size);
      el.dataset.readings = String(feed.readings);
      el.dataset.newestTs = String(feed.newestTs);
      if (!drawnOnce && fc.features.length) {
        drawnOnce = true;
        performance.mark('ops-sensors-data');
        // "Map loaded and sensors drawn" (the benchmark's first-load mark): the first frame with the roads and the
        // sensors' tiles in. Not "idle": with the live updates the sensor source is seldom idle for long.
        const check = () => {
          if (!el.dataset.roads || !map.isSourceLoaded('roads') || !map.isSourceLoaded('sensors')) return;
          map.off('render', check);
          drawn = true;
          performance.mark('ops-sensors-drawn');
        };
        map.on('render', check);
      }
    };
    const timer = setInterval(flush, FLUSH_MS);
    takeLatest()
      .then((r) => {
        if (!live) return;
        feed.load(r.items);
        flush();
        setLoaded(true);
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
