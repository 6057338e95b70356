/** Data hooks of the workbench and grid views: an event with its photos, a queue page and the acting user. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import { useAuth } from '../../auth/AuthContext.js';
import type { ActionActor } from './allowedActions.js';
import type { EventDetailWire, EventPage, PhotoWire } from './types.js';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload(): void;
}

/** GET a path, again whenever the path or the reload counter changes; null path = nothing to load. */
export function useApi<T>(path: string | null, query?: Record<string, string | number | undefined>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query ?? {});
  useEffect(() => {
    if (!path) {
      setData(null);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    api<T>(path, { query: JSON.parse(key) as Record<string, string>, signal: ctl.signal })
      .then((d) => setData(d))
      .catch((e: unknown) => {
        if (!ctl.signal.aborted) setError(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => {
        if (!ctl.signal.aborted) setLoading(false);
      });
    return () => ctl.abort();
  }, [path, key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

export function useEventPage(query: Record<string, string | number | undefined>): Loaded<EventPage> {
  return useApi<EventPage>('/api/v1/events', query);
}

export function useEventDetail(id: string | null): Loaded<EventDetailWire> {
  return useApi<EventDetailWire>(id ? `/api/v1/events/${encodeURIComponent(id)}` : null);
}

export function usePhotos(id: string | null, version: number | undefined): PhotoWire[] {
  const r = useApi<{ items: PhotoWire[] }>(id ? `/api/v1/events/${encodeURIComponent(id)}/photos` : null, { v: version });
  return r.data?.items ?? [];
}

/** The signed-in user as the lifecycle rules see them (grid workers need their grid's org path). */
export function useActor(): ActionActor | null {
  const { user } = useAuth();
  const unitId = user?.roles.includes('grid_worker') ? user.orgUnitId : null;
  const unit = useApi<{ path: string }>(unitId ? `/api/v1/org/units/${encodeURIComponent(unitId)}` : null);
  if (!user) return null;
  return { roles: user.roles, department: user.department, orgPath: unit.data?.path ?? null };
}
