/**
 * Short-term forecast of a series with daily and weekly rhythm (traffic flow
 * and speed, and any NAB-like series): a seasonal profile learned online plus
 * the current deviation from it, decaying toward the profile at a rate learned
 * per horizon — a Holt-Winters-like model with damped level. Predict
 *
 *   ŷ(t+h) = S(t+h) + β_h · (ȳ(t) − S(t))
 *
 * where S is a time-of-day profile (30-min bins, interpolated) corrected by a
 * time-of-week offset (hourly bins, shrunk until seen several times), ȳ is a
 * short exponential smooth of the readings, and β_h is the least-squares
 * coefficient of the deviation h minutes later on the deviation now (with
 * forgetting). Intervals come from the errors of its own past forecasts
 * (interval.logic.ts). Constant memory (~650 numbers); the state is plain JSON.
 * Bins are on UTC: the profile is learned, so a city's offset from UTC does not matter.
 */
import { intervalAround, newHorizonErrors, queueForecast, resolveDue, type HorizonErrorState } from './interval.logic.js';

const MIN = 60_000;
const DAY = 86_400_000;
const DAY_BINS = 48;
const WEEK_BINS = 168;
/** 1970-01-01 was a Thursday: shift so week bin 0 starts on Monday 00:00 UTC. */
const WEEK_SHIFT = 3 * DAY;

export interface SeasonalOptions {
  horizonsMin: number[];
  /** Time constant of the readings' smooth ȳ, minutes. */
  smoothMin: number;
  /** Lowest learning rate of a profile bin per pass (the profile keeps adapting). */
  dayAlpha: number;
  weekAlpha: number;
  /** Forgetting factor of the β regressions, per resolved forecast. */
  betaForget: number;
}

export const SEASONAL_DEFAULTS: SeasonalOptions = { horizonsMin: [15, 30, 45], smoothMin: 3, dayAlpha: 0.15, weekAlpha: 0.3, betaForget: 0.995 };

export interface SeasonalState {
  kind: 'seasonal';
  day: number[];
  dayN: number[];
  week: number[];
  weekN: number[];
  /** The pass through the current half-hour of the week: its slot (−1 before any reading), sum and count. */
  passBin: number;
  passSum: number;
  passN: number;
  /** Mean of everything seen (the profile before any bin has data). */
  mean: number;
  seen: number;
  smooth: number;
  /** EW mean |reading − smooth|: measurement noise, for the fallback interval. */
  noise: number;
  lastTs: number;
  /** Per horizon: Σx², Σxy of deviation now (x) against deviation h later (y), with forgetting. */
  sxx: number[];
  sxy: number[];
  errors: HorizonErrorState[];
}

export interface ForecastValue {
  horizonMin: number;
  at: number;
  value: number;
  lower: number;
  upper: number;
}

/** Prior on β_h: a deviation halves in about half an hour, worth this many pseudo-observations. */
const BETA_PRIOR_N = 4;
const betaPrior = (h: number) => Math.exp(-h / 40);

export function newSeasonal(opts: SeasonalOptions = SEASONAL_DEFAULTS): SeasonalState {
  return {
    kind: 'seasonal',
    day: new Array<number>(DAY_BINS).fill(0), dayN: new Array<number>(DAY_BINS).fill(0),
    week: new Array<number>(WEEK_BINS).fill(0), weekN: new Array<number>(WEEK_BINS).fill(0),
    passBin: -1, passSum: 0, passN: 0, mean: 0, seen: 0, smooth: 0, noise: 0, lastTs: -Infinity,
    sxx: opts.horizonsMin.map(() => BETA_PRIOR_N), sxy: opts.horizonsMin.map((h) => BETA_PRIOR_N * betaPrior(h)),
    errors: opts.horizonsMin.map(newHorizonErrors),
  };
}

const WEEK = 7 * DAY;
/** Half-hour slot of the week, 0..335 (Monday 00:00 UTC first). */
const slotOf = (t: number) => Math.floor(((((t + WEEK_SHIFT) % WEEK) + WEEK) % WEEK) / 1_800_000);
const weekBin = (t: number) => slotOf(t) >> 1;

/** The learned profile at time t (the series mean where nothing is known yet). */
export function profileAt(s: SeasonalState, t: number): number {
  if (s.seen === 0) return 0;
  const pos = ((((t % DAY) + DAY) % DAY) / DAY) * DAY_BINS - 0.5;
  const i0 = (Math.floor(pos) + DAY_BINS) % DAY_BINS;
  const i1 = (i0 + 1) % DAY_BINS;
  const f = pos - Math.floor(pos);
  const v0 = s.dayN[i0]! > 0 ? s.day[i0]! : s.dayN[i1]! > 0 ? s.day[i1]! : s.mean;
  const v1 = s.dayN[i1]! > 0 ? s.day[i1]! : v0;
  const w = weekBin(t);
  // A week bin seen once is mostly that day's noise: trust it as it repeats.
  const shrink = s.weekN[w]! / (s.weekN[w]! + 1);
  return v0 + f * (v1 - v0) + shrink * s.week[w]!;
}

function foldPass(s: SeasonalState, o: SeasonalOptions): void {
  if (s.passBin < 0 || s.passN === 0) return;
  const m = s.passSum / s.passN;
  const d = s.passBin % DAY_BINS;
  const w = s.passBin >> 1;
  // The hour's offset from the daily profile as it stood (learned from both its half-hours);
  // a half-hour never seen before has no profile to differ from.
  if (s.dayN[d]! > 0) {
    s.weekN[w]! += 0.5;
    s.week[w]! += Math.max(1 / (2 * s.weekN[w]!), o.weekAlpha / 2) * (m - s.day[d]! - s.week[w]!);
  }
  s.dayN[d]!++;
  s.day[d]! += Math.max(1 / s.dayN[d]!, o.dayAlpha) * (m - s.day[d]!);
}

/** Learn from one reading (readings older than the last are ignored). */
export function observeSeasonal(s: SeasonalState, ts: number, value: number, o: SeasonalOptions = SEASONAL_DEFAULTS): void {
  if (!Number.isFinite(value) || ts < s.lastTs) return;
  // Forecasts due by now learn first, against the profile as it was when they were made.
  o.horizonsMin.forEach((_, i) => {
    for (const r of resolveDue(s.errors[i]!, ts, value)) {
      const y = value - profileAt(s, r.due);
      s.sxx[i] = o.betaForget * s.sxx[i]! + r.x * r.x;
      s.sxy[i] = o.betaForget * s.sxy[i]! + r.x * y;
    }
  });
  const b = slotOf(ts);
  if (b !== s.passBin) {
    foldPass(s, o);
    s.passBin = b;
    s.passSum = 0;
    s.passN = 0;
  }
  s.passSum += value;
  s.passN++;
  s.seen++;
  s.mean += (value - s.mean) / Math.min(s.seen, 5000);
  if (s.seen === 1) s.smooth = value;
  else {
    const a = 1 - Math.exp(-Math.max(0, ts - s.lastTs) / (o.smoothMin * MIN));
    s.noise += 0.02 * (Math.abs(value - s.smooth) - s.noise);
    s.smooth += a * (value - s.smooth);
  }
  s.lastTs = ts;
}

/** β for any horizon: learned at the configured horizons, 1 at h = 0, interpolated between. */
function betaAt(s: SeasonalState, o: SeasonalOptions, h: number): number {
  const beta = (i: number) => Math.max(-0.5, Math.min(1.2, s.sxy[i]! / s.sxx[i]!));
  let ph = 0;
  let pb = 1;
  for (let i = 0; i < o.horizonsMin.length; i++) {
    const hi = o.horizonsMin[i]!;
    const bi = beta(i);
    if (h <= hi) return pb + ((h - ph) / (hi - ph)) * (bi - pb);
    [ph, pb] = [hi, bi];
  }
  return pb;
}

/** The central forecast h minutes after the last reading. */
export function seasonalValueAt(s: SeasonalState, hMin: number, o: SeasonalOptions = SEASONAL_DEFAULTS): number {
  const t = s.lastTs;
  const dev = s.smooth - profileAt(s, t);
  return profileAt(s, t + hMin * MIN) + betaAt(s, o, hMin) * dev;
}

/**
 * Forecast every configured horizon from the last reading, with intervals,
 * and queue them so their errors are learned when their time comes.
 */
export function forecastSeasonal(s: SeasonalState, o: SeasonalOptions = SEASONAL_DEFAULTS): ForecastValue[] {
  if (s.seen === 0) return [];
  const t = s.lastTs;
  const dev = s.smooth - profileAt(s, t);
  return o.horizonsMin.map((h, i) => {
    const value = seasonalValueAt(s, h, o);
    queueForecast(s.errors[i]!, t, value, dev);
    // Before errors are known: the noise plus a deviation that may persist.
    const fallback = 1.6 * (1.25 * s.noise) + Math.abs(dev) * 0.5;
    return { horizonMin: h, at: t + h * MIN, value, ...intervalAround(s.errors[i]!, value, fallback) };
  });
}
