/** The report being written (text, place, photo) and sending it: one idempotency key per draft, so a retry never files it twice. */
import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../../api/client.js';
import { addPhoto, reportProblem, type MyEvent } from './api.js';

export interface Draft {
  text: string;
  location: [number, number] | null;
  address: string;
  photo: File | null;
}

export interface Sent {
  event: MyEvent;
  photoError: string | null;
}

const emptyDraft = (): Draft => ({ text: '', location: null, address: '', photo: null });
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

export function useReportDraft() {
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = useRef(newKey());

  const update = useCallback((patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch })), []);
  const reset = useCallback(() => {
    key.current = newKey();
    setDraft(emptyDraft());
    setError(null);
  }, []);

  const send = useCallback(async (): Promise<Sent | null> => {
    setSending(true);
    setError(null);
    try {
      const event = await reportProblem({ text: draft.text.trim(), location: draft.location ?? undefined, address: draft.address.trim() || undefined }, key.current);
      let photoError: string | null = null;
      if (draft.photo) {
        try {
          await addPhoto(event.id, draft.photo);
        } catch (err) {
          photoError = err instanceof ApiError ? err.message : String(err);
        }
      }
      return { event, photoError };
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      return null;
    } finally {
      setSending(false);
    }
  }, [draft]);

  const hasPlace = draft.location !== null || draft.address.trim() !== '';
  return { draft, update, reset, send, sending, error, hasPlace };
}
