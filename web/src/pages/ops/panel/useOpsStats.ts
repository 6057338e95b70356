/**
 * The side panel's figures, polled every 5 s: today's reports by channel
 * (events statistics since local midnight), overdue events, active alarms by
 * severity; plus a rolling trend of samples taken at each poll (kept for the
 * last 30 minutes on this screen).
 */
import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../../../api/client.js';
import { useAuth } from '../../../auth/AuthContext.js';
import { mayRead } from '../../../auth/roles.js';
import type { AlarmSummary, EventStats, Paged } from '../types.js';
import { usePoll } from '../usePoll.js';

export const STATS_EVERY_MS = 5_000;
const KEEP_SAMPLES = 360;

export interface TrendSample {
  at: number;
  openEvents: number;
  overdue: number;
  activeAlarms: number;
  readingsPerS: number;
}

export interface OpsStats {
  today: EventStats | null;
  overdue: number | null;
  alarms: AlarmSummary | null;
  alarmsMissing: boolean;
  error: string | null;
}

function startOfToday(): string {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
}

export function useOpsStats(): OpsStats {
  const { user } = useAuth();
  // Figures the server would refuse this role are not asked for; they show as "–" (alarms: "not available").
  const may = { stats: mayRead(user, 'eventStats'), events: mayRead(user, 'events'), alarms: mayRead(user, 'alarms') };
  const { data, error } = usePoll(async (signal) => {
    const [today, overdue, alarms] = await Promise.all([
      may.stats ? api<EventStats>('/api/v1/events/stats', { query: { from: startOfToday() }, signal }) : null,
      may.events ? api<Paged<unknown>>('/api/v1/events', { query: { queue: 'overdue', limit: 1 }, signal }).then((p) => p.total) : null,
      // The alarm service may be absent on a server without the risk module: show the rest anyway.
      !may.alarms ? null : api<AlarmSummary>('/api/v1/alarms/summary', { signal }).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }),
    ]);
    return { today, overdue, alarms };
  }, STATS_EVERY_MS, [may.stats, may.events, may.alarms]);
  return { today: data?.today ?? null, overdue: data?.overdue ?? null, alarms: data?.alarms ?? null, alarmsMissing: !!data && data.alarms === null, error };
}

/** Take a sample of the current figures every `everyMs`, keeping the last KEEP_SAMPLES (a rolling trend of this session). */
export function useTrend(current: () => Omit<TrendSample, 'at'> | null, everyMs = STATS_EVERY_MS): TrendSample[] {
  const [samples, setSamples] = useState<TrendSample[]>([]);
  const ref = useRef(current);
  ref.current = current;
  useEffect(() => {
    const take = () => {
      const s = ref.current();
      if (s) setSamples((xs) => [...xs.slice(-(KEEP_SAMPLES - 1)), { at: Date.now(), ...s }]);
    };
    const first = setTimeout(take, 1_500);
    const timer = setInterval(take, everyMs);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [everyMs]);
  return samples;
}
