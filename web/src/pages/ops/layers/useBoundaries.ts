/** Org units (districts, streets, grids) with their boundaries: faint lines on the map, names for the panels, shapes for the risk layer. */
import type { Map as MlMap } from 'maplibre-gl';
import { useEffect, useMemo } from 'react';
import { api } from '../../../api/client.js';
import { setSource } from '../map/useSourceData.js';
import type { OrgUnit } from '../types.js';
import { usePoll } from '../usePoll.js';

export function useBoundaries(map: MlMap | null): Map<string, OrgUnit> {
  const { data } = usePoll((signal) => api<{ items: OrgUnit[] }>('/api/v1/org/units', { query: { withBoundary: true }, signal }), 0, []);
  const units = useMemo(() => new Map((data?.items ?? []).map((u) => [u.id, u])), [data]);
  useEffect(() => {
    if (!map || !data) return;
    const features = data.items
      .filter((u) => u.boundary && u.level !== 'city')
      .map((u) => ({ type: 'Feature' as const, geometry: u.boundary as GeoJSON.Geometry, properties: { id: u.id, level: u.level } }));
    setSource(map, 'org', { type: 'FeatureCollection', features });
  }, [map, data]);
  return units;
}
