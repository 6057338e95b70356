/** Login throttle: free failures, doubling delays, cap, reset and forgetting — all with explicit times. */
import { describe, expect, it } from 'vitest';
import { LOGIN_THROTTLE, LoginThrottle, afterFailure, delayAfter, retryAfterSeconds, waitMs } from './throttle.logic.js';

const T0 = 1_000_000;

describe('throttle logic', () => {
  it('lets the first four failures through and locks from the fifth, doubling each further failure', () => {
    expect([1, 2, 3, 4].map((n) => delayAfter(n))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9].map((n) => delayAfter(n))).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('caps the delay at 15 minutes, even after very many failures', () => {
    expect(delayAfter(15)).toBe(15 * 60_000);
    expect(delayAfter(5000)).toBe(15 * 60_000);
  });

  it('counts consecutive failures and sets lockedUntil from the failure time', () => {
    let s = undefined as ReturnType<typeof afterFailure> | undefined;
    for (let i = 0; i < 5; i++) s = afterFailure(s, T0 + i);
    expect(s).toEqual({ failures: 5, lastFailureAt: T0 + 4, lockedUntil: T0 + 4 + 1000 });
    expect(waitMs(s, T0 + 4)).toBe(1000);
    expect(waitMs(s, T0 + 1004)).toBe(0);
  });

  it('forgets a key after an hour without failures, but not while it is locked', () => {
    let s = afterFailure(undefined, T0);
    s = afterFailure(s, T0 + LOGIN_THROTTLE.forgetAfterMs);
    expect(s.failures).toBe(1);
    let locked = { failures: 20, lastFailureAt: T0, lockedUntil: T0 + 2 * LOGIN_THROTTLE.forgetAfterMs };
    locked = afterFailure(locked, T0 + LOGIN_THROTTLE.forgetAfterMs + 1);
    expect(locked.failures).toBe(21);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(0)).toBe(1);
  });
});

describe('LoginThrottle', () => {
  it('throttles a key after five failures, waits out the lock, doubles, and resets on success', () => {
    const t = new LoginThrottle();
    const keys = ['u:alice', 'ip:10.0.0.1'];
    for (let i = 0; i < 4; i++) expect(t.fail(keys, T0)).toBe(0);
    expect(t.fail(keys, T0)).toBe(1000);
    expect(t.wait(keys, T0 + 500)).toBe(500);
    expect(t.wait(keys, T0 + 1000)).toBe(0);
    expect(t.fail(keys, T0 + 1000)).toBe(2000);
    expect(t.fail(keys, T0 + 3000)).toBe(4000);
    t.succeed(keys);
    expect(t.wait(keys, T0 + 3000)).toBe(0);
    expect(t.failures('u:alice')).toBe(0);
  });

  it('keeps username and IP counters apart: the longest wait of either applies', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 5; i++) t.fail(['u:u' + i, 'ip:1.1.1.1'], T0);
    expect(t.wait(['u:u0', 'ip:1.1.1.1'], T0)).toBe(1000);
    expect(t.wait(['u:u0', 'ip:2.2.2.2'], T0)).toBe(0);
  });

  it('stays within maxKeys by forgetting stale, then least recently failed keys', () => {
    const t = new LoginThrottle({ ...LOGIN_THROTTLE, maxKeys: 3 });
    t.fail(['a'], T0);
    t.fail(['b'], T0 + 1);
    t.fail(['c'], T0 + 2);
    t.fail(['d'], T0 + 3);
    expect(t.size).toBe(3);
    expect(t.failures('a')).toBe(0);
    expect(t.failures('d')).toBe(1);
  });
});
