/**
 * Load something now and again every `everyMs` (0: once), keeping the last good
 * answer on screen when a refresh fails. `missing` is true when the server
 * answered 404 or 403 (a capability not installed on this server, or not open to this role): callers show that
 * instead of an error, and polling stops.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client.js';

export interface Polled<T> {
  data: T | null;
  error: string | null;
  missing: boolean;
  reload: () => void;
}

export function usePoll<T>(load: (signal: AbortSignal) => Promise<T>, everyMs: number, deps: readonly unknown[]): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const run = async () => {
      try {
        const v = await loadRef.current(ctl.signal);
        if (stopped) return;
        setData(v);
        setError(null);
      } catch (err) {
        if (stopped || ctl.signal.aborted) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
          setMissing(true);
          return;
        }
        setError(err instanceof Error ? err.message : String(err));
      }
      if (everyMs > 0 && !stopped) timer = setTimeout(run, everyMs);
    };
    void run();
    return () => {
      stopped = true;
      ctl.abort();
      if (timer) clearTimeout(timer);
    };
    // The caller names what the loader depends on (deps), as with useEffect.
  }, [everyMs, tick, ...deps]);

  return { data, error, missing, reload };
}
