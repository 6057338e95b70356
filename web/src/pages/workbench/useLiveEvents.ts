/**
 * Live refresh of the workbench: the event stream (SSE /api/v1/events/live)
 * announces each change the user may see; the queues reload shortly after
 * (changes that come in a burst reload once), and so does the open event when
 * the change is about it. While the stream is down the queues are polled
 * every 30 s instead; the caller shows which of the two is in effect.
 */
import { useEffect, useRef, useState } from 'react';
import { streamUrl } from '../../api/client.js';

/** One change as the stream sends it. */
export interface EventFrame { eventId: string; state: string; leadDepartment: string | null; orgPath: string | null; version: number; action: string }

export type LiveState = 'connecting' | 'live' | 'polling';

const DEBOUNCE_MS = 600;
export const FALLBACK_POLL_MS = 30_000;

interface Handlers {
  /** Reload the queues. */
  onQueues(): void;
  /** Reload the open event (when a frame names it, or after a resync). */
  onEvent(eventId: string | null): void;
}

export function useLiveEvents(enabled: boolean, selectedId: string | null, h: Handlers): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  // Handlers and the selection change with every render; the stream must not reopen for that.
  const latest = useRef({ h, selectedId });
  latest.current = { h, selectedId };

  useEffect(() => {
    if (!enabled) return;
    let queueTimer: ReturnType<typeof setTimeout> | null = null;
    let eventTimer: ReturnType<typeof setTimeout> | null = null;
    const queuesSoon = () => {
      queueTimer ??= setTimeout(() => { queueTimer = null; latest.current.h.onQueues(); }, DEBOUNCE_MS);
    };
    const eventSoon = () => {
      eventTimer ??= setTimeout(() => { eventTimer = null; latest.current.h.onEvent(latest.current.selectedId); }, DEBOUNCE_MS);
    };
    const es = new EventSource(streamUrl('/api/v1/events/live'));
    es.addEventListener('hello', () => setState('live'));
    es.addEventListener('event', (e) => {
      queuesSoon();
      try {
        const f = JSON.parse((e as MessageEvent<string>).data) as EventFrame;
        if (f.eventId === latest.current.selectedId) eventSoon();
      } catch {
        eventSoon(); // an unreadable frame: reload to be safe
      }
    });
    es.addEventListener('resync', () => { queuesSoon(); eventSoon(); });
    es.onopen = () => setState('live');
    // EventSource reconnects by itself; meanwhile the poll below keeps the queues fresh.
    es.onerror = () => setState('polling');
    return () => {
      es.close();
      if (queueTimer) clearTimeout(queueTimer);
      if (eventTimer) clearTimeout(eventTimer);
    };
  }, [enabled]);

  const live = enabled && state === 'live';
  useEffect(() => {
    if (live) return;
    const timer = setInterval(() => {
      latest.current.h.onQueues();
      latest.current.h.onEvent(latest.current.selectedId);
    }, FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [live]);

  return enabled ? state : 'polling';
}
