/**
 * The road network from the imported OpenStreetMap data, drawn once; the map is
 * fitted to its extent. The main roads go in first; the minor streets (drawn only
 * from MINOR_ROADS_ZOOM) are handed to the map after its first picture is on
 * screen, so their tiling does not hold up the whole-city view.
 */
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useEffect, useState } from 'react';
import { MAJOR_ROADS, MINOR_ROADS_ZOOM } from '../map/style.js';
import { takeRoads } from './prefetch.js';
import { DRAWN_EVENT } from './useSensors.js';

const MAJOR = new Set(MAJOR_ROADS);

export function useRoads(map: MlMap | null): { roads: number | null; error: string | null } {
  const [roads, setRoads] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!map) return;
    let live = true;
    let later: (() => void) | null = null;
    takeRoads()
      .then((fc) => {
        if (!live) return;
        performance.mark('ops-roads-data');
        const major: GeoJSON.Feature[] = [];
        const minor: GeoJSON.Feature[] = [];
        for (const f of fc.features) (MAJOR.has(String(f.properties?.h)) ? major : minor).push(f);
        (map.getSource('roads') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features: major });
        if (fc.bbox) map.fitBounds([[fc.bbox[0], fc.bbox[1]], [fc.bbox[2], fc.bbox[3]]], { padding: 24, duration: 0 });
        const el = map.getContainer();
        el.dataset.roads = String(fc.features.length);
        setRoads(fc.features.length);
        // After the first picture, or as soon as the user zooms in to where streets show, whichever comes first.
        const nearStreets = () => map.getZoom() >= MINOR_ROADS_ZOOM - 0.5 && later?.();
        later = () => {
          later = null;
          el.removeEventListener(DRAWN_EVENT, addMinor);
          map.off('zoomend', nearStreets);
          (map.getSource('roads-minor') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features: minor });
        };
        const addMinor = () => later?.();
        if (el.dataset.drawn) later();
        else {
          el.addEventListener(DRAWN_EVENT, addMinor);
          map.on('zoomend', nearStreets);
        }
      })
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
      later = null;
    };
  }, [map]);
  return { roads, error };
}
