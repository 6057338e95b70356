/**
 * Pure rules of outgoing webhooks: the signature (HMAC-SHA256 over
 * "<timestamp>.<body>"), its verification for receivers, the retry schedule,
 * event-type filters and URL checks. No I/O, no clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_PREFIX = 'sha256=';

/** The X-CityOps-Signature value for a body sent at `timestamp` (the X-CityOps-Timestamp header, epoch seconds). */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * For receivers: true when `header` (X-CityOps-Signature) was made with `secret`
 * for exactly this timestamp and raw body. Compares in constant time. Receivers
 * should also reject timestamps far from their own clock, to stop replays.
 */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, header: string | undefined | null): boolean {
  if (!header || !header.startsWith(SIGNATURE_PREFIX)) return false;
  const want = Buffer.from(signWebhook(secret, timestamp, body), 'utf8');
  const got = Buffer.from(header, 'utf8');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Waits after the 1st, 2nd, … failed attempt; the attempt after the last wait is the final one. */
export const BACKOFF_MS = [10_000, 30_000, 120_000, 600_000, 3_600_000, 3_600_000, 3_600_000] as const;
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;

/** How long to wait after attempt number `attempt` (1-based) failed, or null when it was the last one. */
export function backoffAfter(attempt: number): number | null {
  if (!Number.isInteger(attempt) || attempt < 1 || attempt >= MAX_ATTEMPTS) return null;
  return BACKOFF_MS[attempt - 1] ?? null;
}

/** An empty filter means every event type. */
export function matchesFilter(filter: readonly string[], type: string): boolean {
  return filter.length === 0 || filter.includes(type);
}

/** The filter entries that are not known event types (an empty list means the filter is valid). */
export function unknownEventTypes(filter: readonly string[], known: readonly string[]): string[] {
  return filter.filter((t) => !known.includes(t));
}

/** True for an absolute http(s) URL without credentials in it. */
export function isDeliverableUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && u.username === '' && u.password === '';
}

/** The JSON body a receiver gets: the envelope id (stable across retries), type, ISO time and the event's data. */
export function deliveryBody(envelopeId: string, type: string, atIso: string, data: unknown): string {
  return JSON.stringify({ id: envelopeId, type, at: atIso, data });
}

/** 2xx only: a redirect is not followed, it counts as a failure the admin should fix. */
export const isSuccess = (status: number): boolean => status >= 200 && status < 300;
