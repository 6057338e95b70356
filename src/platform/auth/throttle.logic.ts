/**
 * Login throttling, pure: consecutive failures per key (a username or an IP)
 * lock further attempts for a delay that doubles with each failure past the
 * free ones. Every function takes the time explicitly; nothing reads a clock.
 */

export interface ThrottlePolicy {
  /** Failures allowed before attempts are slowed down. */
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no failure for this long (and no running lock) is forgotten. */
  forgetAfterMs: number;
  /** Upper bound on remembered keys, so sprayed usernames cannot grow memory without end. */
  maxKeys: number;
}

export const LOGIN_THROTTLE: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxKeys: 100_000,
};

export interface ThrottleState {
  failures: number;
  lastFailureAt: number;
  /** Attempts before this instant are refused (0 when not locked). */
  lockedUntil: number;
}

/** Delay imposed after the n-th consecutive failure: 0 for the free ones, then 1 s, 2 s, 4 s … capped. */
export function delayAfter(failures: number, policy: ThrottlePolicy = LOGIN_THROTTLE): number {
  const over = failures - policy.freeFailures;
  if (over < 0) return 0;
  // 2^over overflows to Infinity long after the cap; Math.min keeps it finite
  return Math.min(policy.baseDelayMs * 2 ** over, policy.maxDelayMs);
}

/** Milliseconds until the key may try again; 0 when it may try now. */
export function waitMs(state: ThrottleState | undefined, now: number): number {
  if (!state) return 0;
  return Math.max(0, state.lockedUntil - now);
}

export function afterFailure(state: ThrottleState | undefined, now: number, policy: ThrottlePolicy = LOGIN_THROTTLE): ThrottleState {
  const failures = (isStale(state, now, policy) ? 0 : (state?.failures ?? 0)) + 1;
  const delay = delayAfter(failures, policy);
  return { failures, lastFailureAt: now, lockedUntil: delay > 0 ? now + delay : 0 };
}

export function isStale(state: ThrottleState | undefined, now: number, policy: ThrottlePolicy = LOGIN_THROTTLE): boolean {
  if (!state) return true;
  return now >= state.lockedUntil && now - state.lastFailureAt >= policy.forgetAfterMs;
}

/** Whole seconds for a Retry-After header (at least 1). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** In-memory table of throttle states; the caller passes the time to every call. */
export class LoginThrottle {
  private readonly states = new Map<string, ThrottleState>();

  constructor(private readonly policy: ThrottlePolicy = LOGIN_THROTTLE) {}

  /** The longest wait among the keys (0 = allowed). */
  wait(keys: string[], now: number): number {
    return Math.max(0, ...keys.map((k) => waitMs(this.states.get(k), now)));
  }

  /** Records a failure for every key; returns the resulting wait (0 while failures are still free). */
  fail(keys: string[], now: number): number {
    for (const k of keys) {
      const next = afterFailure(this.states.get(k), now, this.policy);
      this.states.delete(k); // re-insert so Map order is least-recently-failed first
      this.states.set(k, next);
    }
    this.prune(now);
    return this.wait(keys, now);
  }

  succeed(keys: string[]): void {
    for (const k of keys) this.states.delete(k);
  }

  failures(key: string): number {
    return this.states.get(key)?.failures ?? 0;
  }

  get size(): number {
    return this.states.size;
  }

  private prune(now: number): void {
    if (this.states.size <= this.policy.maxKeys) return;
    for (const [k, s] of this.states) {
      if (isStale(s, now, this.policy)) this.states.delete(k);
    }
    // Still too many: forget the least recently failed keys first.
    for (const k of this.states.keys()) {
      if (this.states.size <= this.policy.maxKeys) break;
      this.states.delete(k);
    }
  }
}
