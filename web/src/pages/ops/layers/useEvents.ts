/** Open city events (received, dispatched, in progress) on the map, by state and category, refreshed every 10 s. */
import type { Map as MlMap } from 'maplibre-gl';
import { useEffect, useMemo } from 'react';
import { api, ApiError } from '../../../api/client.js';
import { useAuth } from '../../../auth/AuthContext.js';
import { mayRead } from '../../../auth/roles.js';
import { setSource } from '../map/useSourceData.js';
import { OPEN_EVENT_STATES, type EventWire, type Paged } from '../types.js';
import { usePoll } from '../usePoll.js';

export function useOpenEvents(map: MlMap | null, category: string | null): { events: EventWire[]; total: number; missing: boolean } {
  const allowed = mayRead(useAuth().user, 'events');
  const { data, missing } = usePoll(async (signal) => {
    // A role the server would refuse does not ask: usePoll takes the 403 as "not available".
    if (!allowed) throw new ApiError(403, 'FORBIDDEN', 'events are not open to this role');
    const pages = await Promise.all(OPEN_EVENT_STATES.map((state) => api<Paged<EventWire>>('/api/v1/events', { query: { state, limit: 500 }, signal })));
    return { items: pages.flatMap((p) => p.items), total: pages.reduce((n, p) => n + p.total, 0) };
  }, 10_000, [allowed]);
  const events = useMemo(() => data?.items ?? [], [data]);

  useEffect(() => {
    if (!map) return;
    const features = events
      .filter((e) => e.location && (category === null || e.category === category))
      .map((e) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: e.location!.coordinates as number[] },
        properties: { id: e.id, state: e.state, category: e.category, overdue: e.time.status === 'breached' },
      }));
    setSource(map, 'events', { type: 'FeatureCollection', features });
  }, [map, events, category]);

  return { events, total: data?.total ?? 0, missing };
}
