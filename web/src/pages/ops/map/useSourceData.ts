/** Put data into one of the map's GeoJSON sources whenever either changes. */
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useEffect } from 'react';

export function setSource(map: MlMap, id: string, data: GeoJSON.FeatureCollection): void {
  (map.getSource(id) as GeoJSONSource | undefined)?.setData(data);
}

export function useSourceData(map: MlMap | null, id: string, data: GeoJSON.FeatureCollection | null): void {
  useEffect(() => {
    if (map && data) setSource(map, id, data);
  }, [map, id, data]);
}
