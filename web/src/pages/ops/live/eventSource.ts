/** Open a server-sent event stream with the session token and named handlers; returns the closer. */
import { streamUrl } from '../../../api/client.js';

export function openStream(path: string, handlers: Record<string, (data: string) => void>, onState?: (open: boolean) => void): () => void {
  const es = new EventSource(streamUrl(path));
  for (const [name, fn] of Object.entries(handlers)) es.addEventListener(name, (e) => fn((e as MessageEvent<string>).data));
  es.onopen = () => onState?.(true);
  // EventSource reconnects by itself; the flag only tells the user the stream is down meanwhile.
  es.onerror = () => onState?.(false);
  return () => es.close();
}
