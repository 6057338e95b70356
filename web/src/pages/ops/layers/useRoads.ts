/** The road network from the imported OpenStreetMap data, drawn once; the map is fitted to its extent. */
import type { Map as MlMap } from 'maplibre-gl';
import { useEffect, useState } from 'react';
import { setSource } from '../map/useSourceData.js';
import { takeRoads } from './prefetch.js';

export function useRoads(map: MlMap | null): { roads: number | null; error: string | null } {
  const [roads, setRoads] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!map) return;
    let live = true;
    takeRoads()
      .then((fc) => {
        if (!live) return;
        performance.mark('ops-roads-data');
        setSource(map, 'roads', fc);
        if (fc.bbox) map.fitBounds([[fc.bbox[0], fc.bbox[1]], [fc.bbox[2], fc.bbox[3]]], { padding: 24, duration: 0 });
        map.getContainer().dataset.roads = String(fc.features.length);
        setRoads(fc.features.length);
      })
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [map]);
  return { roads, error };
}
