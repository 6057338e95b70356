/**
 * Risk by area: the boundaries of the chosen level filled by value (0..1) from
 * GET /api/v1/risk/map, now (refreshed every 15 s) or at a past time (slider).
 */
import type { Map as MlMap } from 'maplibre-gl';
import { useEffect, useMemo } from 'react';
import { api, ApiError } from '../../../api/client.js';
import { useAuth } from '../../../auth/AuthContext.js';
import { mayRead } from '../../../auth/roles.js';
import { setSource } from '../map/useSourceData.js';
import type { AreaRisk, OrgUnit } from '../types.js';
import { usePoll } from '../usePoll.js';

export type RiskLevel = 'district' | 'street' | 'grid';

export interface RiskLayer {
  areas: Map<string, AreaRisk>;
  at: string | null;
  missing: boolean;
}

export function useRisk(map: MlMap | null, units: Map<string, OrgUnit>, level: RiskLevel, at: string | null): RiskLayer {
  const allowed = mayRead(useAuth().user, 'risk');
  const { data, missing } = usePoll(
    async (signal) => {
      // A role the server would refuse does not ask: usePoll takes the 403 as "not available".
      if (!allowed) throw new ApiError(403, 'FORBIDDEN', 'risk is not open to this role');
      return api<{ at: string; areas: AreaRisk[] }>('/api/v1/risk/map', { query: { level, at: at ?? undefined }, signal });
    },
    at === null ? 15_000 : 0, [level, at, allowed],
  );
  const areas = useMemo(() => new Map((data?.areas ?? []).map((a) => [a.orgUnitId, a])), [data]);

  useEffect(() => {
    if (!map) return;
    const features = [...units.values()]
      .filter((u) => u.level === level && u.boundary)
      .map((u) => ({ type: 'Feature' as const, geometry: u.boundary as GeoJSON.Geometry, properties: { id: u.id, value: areas.get(u.id)?.value ?? 0 } }));
    setSource(map, 'risk', { type: 'FeatureCollection', features });
  }, [map, units, level, areas]);

  return { areas, at: data?.at ?? null, missing };
}
