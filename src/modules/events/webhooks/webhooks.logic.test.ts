/** Unit tests of the webhook rules: signing and verifying, the retry schedule, filters and URLs. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffAfter, deliveryBody, isDeliverableUrl, isSuccess, matchesFilter, MAX_ATTEMPTS, signWebhook, unknownEventTypes, verifyWebhookSignature } from './webhooks.logic.js';

describe('webhook signature', () => {
  const body = deliveryBody('evt_1', 'EventReceived', '2026-11-22T08:00:00.000Z', { eventId: 'e1' });

  it('is the hex HMAC-SHA256 of "<timestamp>.<body>" with the secret', () => {
    const expected = createHmac('sha256', 's3cret').update(`1795334400.${body}`).digest('hex');
    expect(signWebhook('s3cret', '1795334400', body)).toBe(`sha256=${expected}`);
  });

  it('verifies only with the same secret, timestamp and body', () => {
    const sig = signWebhook('s3cret', '100', body);
    expect(verifyWebhookSignature('s3cret', '100', body, sig)).toBe(true);
    expect(verifyWebhookSignature('other', '100', body, sig)).toBe(false);
    expect(verifyWebhookSignature('s3cret', '101', body, sig)).toBe(false);
    expect(verifyWebhookSignature('s3cret', '100', body.replace('e1', 'e2'), sig)).toBe(false);
  });

  it('rejects missing, unprefixed or truncated headers', () => {
    const sig = signWebhook('s3cret', '100', body);
    for (const h of [undefined, null, '', sig.slice(SIG_PREFIX_LEN), sig.slice(0, -1), `${sig}0`, 'sha1=abc']) {
      expect(verifyWebhookSignature('s3cret', '100', body, h)).toBe(false);
    }
  });
});
const SIG_PREFIX_LEN = 'sha256='.length;

describe('backoff schedule', () => {
  it('waits 10 s, 30 s, 2 min, 10 min, then hourly, and gives up after 8 attempts', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffAfter)).toEqual([10_000, 30_000, 120_000, 600_000, 3_600_000, 3_600_000, 3_600_000]);
    expect(MAX_ATTEMPTS).toBe(8);
    expect(backoffAfter(8)).toBeNull();
    expect(backoffAfter(9)).toBeNull();
    expect(backoffAfter(0)).toBeNull();
    expect(backoffAfter(1.5)).toBeNull();
  });
});

describe('event-type filter', () => {
  it('matches everything when empty, otherwise only the listed types', () => {
    expect(matchesFilter([], 'EventClosed')).toBe(true);
    expect(matchesFilter(['EventReceived'], 'EventReceived')).toBe(true);
    expect(matchesFilter(['EventReceived'], 'EventClosed')).toBe(false);
  });

  it('names the unknown types of a filter', () => {
    expect(unknownEventTypes(['EventReceived', 'Nope', 'eventclosed'], ['EventReceived', 'EventClosed'])).toEqual(['Nope', 'eventclosed']);
    expect(unknownEventTypes([], ['EventReceived'])).toEqual([]);
  });
});

describe('webhook URL', () => {
  it('accepts absolute http and https URLs only', () => {
    for (const u of ['http://127.0.0.1:8080/hook', 'https://example.org/x?y=1']) expect(isDeliverableUrl(u), u).toBe(true);
    for (const u of ['ftp://example.org', 'file:///etc/passwd', 'javascript:alert(1)', '/relative', 'example.org', '', 'https://user:pw@example.org/']) expect(isDeliverableUrl(u), u).toBe(false);
  });
});

describe('delivery body and status', () => {
  it('is {id, type, at, data} and only 2xx counts as delivered', () => {
    expect(JSON.parse(deliveryBody('evt_1', 'EventClosed', '2026-01-01T00:00:00.000Z', { a: 1 }))).toEqual({ id: 'evt_1', type: 'EventClosed', at: '2026-01-01T00:00:00.000Z', data: { a: 1 } });
    expect([200, 204, 299].every(isSuccess)).toBe(true);
    expect([199, 301, 400, 500].some(isSuccess)).toBe(false);
  });
});
