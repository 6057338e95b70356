/**
 * Prediction intervals learned from the forecaster's own past errors: per
 * horizon, a few forecasts wait (bounded queue) until their target time
 * arrives; the error against the reading then seen feeds two streaming
 * quantile estimates (10 % and 90 %), so the interval is an empirical 80 %
 * one. Constant memory, plain data, JSON-serialisable.
 */

/** A forecast waiting for its target time. */
export interface Pending {
  /** Epoch ms the forecast is for. */
  due: number;
  /** The forecast value. */
  pred: number;
  /** A model feature at the origin (e.g. the seasonal deviation) for learning a per-horizon coefficient. */
  x: number;
}

export interface HorizonErrorState {
  horizonMin: number;
  pending: Pending[];
  lastQueuedAt: number;
  /** Errors seen. */
  n: number;
  /** EW mean absolute error. */
  mae: number;
  /** Streaming 10 % and 90 % quantiles of (observed − forecast). */
  qLo: number;
  qHi: number;
}

export interface ResolvedPending extends Pending {
  observed: number;
}

/** At most this many forecasts wait per horizon (spaced ~ horizon/QUEUE apart). */
const QUEUE = 10;
const MIN_SPACING_MS = 60_000;
/** Errors needed before the learned quantiles replace the model's fallback width. */
export const MIN_ERRORS = 12;

export function newHorizonErrors(horizonMin: number): HorizonErrorState {
  return { horizonMin, pending: [], lastQueuedAt: -Infinity, n: 0, mae: 0, qLo: 0, qHi: 0 };
}

const spacingMs = (h: number) => Math.max(MIN_SPACING_MS, (h * 60_000) / QUEUE);

/** Queue a forecast made at `now` (skipped when one was queued too recently, so the queue stays bounded). */
export function queueForecast(s: HorizonErrorState, now: number, pred: number, x: number): void {
  if (!Number.isFinite(pred) || now - s.lastQueuedAt < spacingMs(s.horizonMin)) return;
  s.lastQueuedAt = now;
  s.pending.push({ due: now + s.horizonMin * 60_000, pred, x });
  if (s.pending.length > QUEUE + 2) s.pending.shift();
}

/**
 * A reading at `ts`: resolve every waiting forecast due by then (a reading
 * arriving long after the due time — a gap in the data — resolves nothing but
 * drops the stale forecasts), learn from the errors, and return the resolved ones.
 */
export function resolveDue(s: HorizonErrorState, ts: number, value: number): ResolvedPending[] {
  const out: ResolvedPending[] = [];
  const tolerance = Math.max(2 * spacingMs(s.horizonMin), 5 * 60_000);
  while (s.pending.length && s.pending[0]!.due <= ts) {
    const p = s.pending.shift()!;
    if (ts - p.due > tolerance) continue;
    learnError(s, value - p.pred);
    out.push({ ...p, observed: value });
  }
  return out;
}

function learnError(s: HorizonErrorState, e: number): void {
  s.n++;
  const a = Math.max(1 / s.n, 0.02);
  s.mae += a * (Math.abs(e) - s.mae);
  if (s.n <= MIN_ERRORS) {
    // Until the quantiles have something to go on, a normal guess from the MAE (σ ≈ 1.25·MAE, z₀.₉ = 1.28).
    s.qLo = -1.6 * s.mae;
    s.qHi = 1.6 * s.mae;
    return;
  }
  // Stochastic quantile steps, scaled by the error size so they suit any unit.
  const step = 0.15 * Math.max(s.mae, 1e-9);
  s.qLo += step * (0.1 - (e < s.qLo ? 1 : 0));
  s.qHi += step * (0.9 - (e < s.qHi ? 1 : 0));
  if (s.qLo > s.qHi) [s.qLo, s.qHi] = [s.qHi, s.qLo];
}

/** The interval around `value` at this horizon: learned, or `fallbackHalfWidth` either side while too few errors were seen. */
export function intervalAround(s: HorizonErrorState, value: number, fallbackHalfWidth: number): { lower: number; upper: number } {
  if (s.n < MIN_ERRORS) {
    const w = Math.max(fallbackHalfWidth, 1.6 * s.mae);
    return { lower: value - w, upper: value + w };
  }
  return { lower: value + Math.min(0, s.qLo), upper: value + Math.max(0, s.qHi) };
}
