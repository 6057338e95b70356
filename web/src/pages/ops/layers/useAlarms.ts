/**
 * Alarms not yet cleared (and those cleared but not acknowledged): loaded from
 * GET /api/v1/alarms, reloaded shortly after each change the alarm stream
 * (SSE /api/v1/alarms/live) announces, and every 30 s as a safety net.
 */
import type { Map as MlMap } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import { api, ApiError } from '../../../api/client.js';
import { useAuth } from '../../../auth/AuthContext.js';
import { mayRead } from '../../../auth/roles.js';
import { openStream } from '../live/eventSource.js';
import { setSource } from '../map/useSourceData.js';
import type { AlarmWire, Paged } from '../types.js';
import { usePoll } from '../usePoll.js';

const RELOAD_AFTER_CHANGE_MS = 800;

export interface AlarmLayer {
  alarms: AlarmWire[];
  /** Active alarms by source sensor id → severity (the sensor layer rings them). */
  bySensor: ReadonlyMap<string, string>;
  missing: boolean;
  error: string | null;
  reload: () => void;
}

export function useAlarms(map: MlMap | null): AlarmLayer {
  const allowed = mayRead(useAuth().user, 'alarms');
  const { data, missing, error, reload } = usePoll(
    async (signal) => {
      // A role the server would refuse does not ask: usePoll takes the 403 as "not available".
      if (!allowed) throw new ApiError(403, 'FORBIDDEN', 'alarms are not open to this role');
      return api<Paged<AlarmWire>>('/api/v1/alarms', { query: { state: 'active_unack,active_ack,cleared_unack', collapse: false, limit: 500 }, signal });
    },
    30_000, [allowed],
  );
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (missing || !allowed) return;
    const soon = () => {
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        reload();
      }, RELOAD_AFTER_CHANGE_MS);
    };
    const close = openStream('/api/v1/alarms/live', { alarm: soon, incident: soon });
    return () => {
      close();
      if (pending.current) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [missing, allowed, reload]);

  const alarms = useMemo(() => data?.items ?? [], [data]);
  const bySensor = useMemo(() => {
    const m = new Map<string, string>();
    for (const a of alarms) if (a.state === 'active_unack' || a.state === 'active_ack') m.set(a.sourceId, a.severity);
    return m;
  }, [alarms]);

  useEffect(() => {
    if (!map) return;
    const features = alarms.filter((a) => a.location).map((a) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: a.location!.coordinates as number[] },
      properties: { id: a.id, severity: a.severity, acked: a.state !== 'active_unack' },
    }));
    setSource(map, 'alarms', { type: 'FeatureCollection', features });
  }, [map, alarms]);

  return { alarms, bySensor, missing, error, reload };
}
