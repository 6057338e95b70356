/**
 * A sensor's usual level: a slow, time-based exponential average of its own
 * readings, for rules relative to what is normal at that sensor ("speed below
 * 50 % of usual") — one rule then fits a 30 km/h street and an 80 km/h
 * expressway alike. A plain running mean until the average spans its time
 * constant (no start-up bias), exponential in time afterwards. Readings far
 * below the usual level (the very jam or outage an alarm reports) teach it ten
 * times slower, so a long incident does not become the new normal, while a
 * lasting change still is learned in the end.
 */

/** JSON-safe state (checkpointed with the sensor). */
export interface UsualState {
  learnMs: number;
  mean: number;
  /** Readings learned (capped). */
  n: number;
  lastTs: number;
}

/** Readings before the usual level is trusted (a rule relative to it stays quiet until then). */
export const USUAL_MIN_READINGS = 5;
const OUTLIER_SHARE = 0.7;
const OUTLIER_SLOWDOWN = 10;
const N_CAP = 1e9;

export const newUsual = (learnMs: number): UsualState => ({ learnMs, mean: 0, n: 0, lastTs: -1 });

/** Learn one reading (in time order; older ones are ignored). */
export function observeUsual(u: UsualState, ts: number, v: number): void {
  if (!Number.isFinite(v) || ts < u.lastTs) return;
  if (u.n === 0) {
    u.mean = v;
    u.n = 1;
    u.lastTs = ts;
    return;
  }
  const slow = u.mean > 0 && v < OUTLIER_SHARE * u.mean ? OUTLIER_SLOWDOWN : 1;
  const a = Math.max(1 - Math.exp(-(ts - u.lastTs) / (u.learnMs * slow)), 1 / ((u.n + 1) * slow));
  u.mean += a * (v - u.mean);
  u.n = Math.min(N_CAP, u.n + 1);
  u.lastTs = ts;
}

/** The usual level, or null while it is not yet trusted (or not positive, where a share of it means nothing). */
export function usualLevel(u: UsualState): number | null {
  return u.n >= USUAL_MIN_READINGS && u.mean > 0 ? u.mean : null;
}
