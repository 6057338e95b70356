/**
 * Water level hours ahead from nearby rainfall: a linear transfer model
 * learned online. Rain (mm/h) passes through a few two-reservoir Nash
 * cascades of different time constants — each a gamma-shaped unit
 * hydrograph, computed exactly for rain held constant between readings, so
 * irregular sampling is fine — and the level is fitted as
 *
 *   y(t) = c + Σ_j g_j · f_j(t)
 *
 * by recursive least squares with forgetting (c follows slow drift; the gains
 * g_j are the learned rain→level response; an input whose gains sum to less
 * than zero — more rain, lower water, learned from a rise the gauges missed —
 * is left out of forecasts). The forecast anchors on the
 * level now and adds the change the response still brings:
 *
 *   ŷ(t+h) = ȳ(t) + Σ_j g_j · (f_j(t+h) − f_j(t)),
 *
 * with future rain assumed to fade from its current rate with a time
 * constant (rain rarely stops the minute it is measured, nor lasts for ever).
 * Intervals: learned from past errors (interval.logic.ts), widened by a share
 * of the rain-driven change, which the past errors of dry weather cannot know.
 * Constant memory (~60 numbers); the state is plain JSON.
 */
import { intervalAround, newHorizonErrors, queueForecast, resolveDue, type HorizonErrorState } from './interval.logic.js';
import type { ForecastValue } from './seasonal.logic.js';

const MIN = 60_000;

export interface WaterOptions {
  horizonsMin: number[];
  /** Time constants of the cascades, minutes: from near-instant run-off to slow catchments. */
  tausMin: number[];
  /** Rain inputs (e.g. the gauges nearby and those a little further upstream), each with its own cascades and gains. */
  inputs: number;
  /** E-folding time of the rain assumed to come, minutes. */
  rainFadeMin: number;
  /** Time constant of the level's smooth ȳ, minutes. */
  smoothMin: number;
  /** RLS forgetting factor per update (updates at most once per trainEveryMs). */
  forget: number;
  trainEveryMs: number;
  /** Share of the rain-driven change added to the interval on each side. */
  rainUncertainty: number;
}

export const WATER_DEFAULTS: WaterOptions = {
  horizonsMin: [15, 30, 60, 120, 180],
  tausMin: [1, 5, 15, 45],
  inputs: 2,
  rainFadeMin: 30,
  smoothMin: 1,
  forget: 0.9995,
  trainEveryMs: 60_000,
  rainUncertainty: 0.3,
};

export interface WaterState {
  kind: 'water';
  /** Cascade stores per input and time constant (input-major): first and second reservoir. */
  s1: number[];
  s2: number[];
  /** Rain inputs held since the last update, mm/h. */
  rain: number[];
  /** RLS parameters [c, g_1..g_m] and their (m+1)² covariance, row-major. */
  theta: number[];
  P: number[];
  lastTrain: number;
  smooth: number;
  noise: number;
  seen: number;
  /** Last level reading, and how far the cascades have run (rain may arrive between level readings). */
  lastTs: number;
  filterTs: number;
  errors: HorizonErrorState[];
}

const P0_C = 100;
const P0_G = 1;

export function newWater(o: WaterOptions = WATER_DEFAULTS): WaterState {
  const m = o.tausMin.length * o.inputs;
  const n = m + 1;
  const P = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) P[i * n + i] = i === 0 ? P0_C : P0_G;
  return {
    kind: 'water',
    s1: new Array<number>(m).fill(0), s2: new Array<number>(m).fill(0), rain: new Array<number>(o.inputs).fill(0),
    theta: new Array<number>(n).fill(0), P, lastTrain: -Infinity,
    smooth: 0, noise: 0, seen: 0, lastTs: -Infinity, filterTs: -Infinity,
    errors: o.horizonsMin.map(newHorizonErrors),
  };
}

/** Exact two-reservoir cascade step for input u held over dtMin. */
function cascadeStep(s1: number, s2: number, u: number, dtMin: number, tau: number): [number, number] {
  const a = dtMin / tau;
  const e = Math.exp(-a);
  return [u + (s1 - u) * e, u + ((s2 - u) + (s1 - u) * a) * e];
}

function advance(s: WaterState, o: WaterOptions, ts: number): void {
  if (s.filterTs === -Infinity) s.filterTs = ts;
  if (ts <= s.filterTs) return;
  stepAll(s.s1, s.s2, s.rain, (ts - s.filterTs) / MIN, o);
  s.filterTs = ts;
}

function stepAll(s1: number[], s2: number[], rain: readonly number[], dtMin: number, o: WaterOptions): void {
  const T = o.tausMin.length;
  for (let i = 0; i < o.inputs; i++) {
    for (let k = 0; k < T; k++) {
      const j = i * T + k;
      [s1[j], s2[j]] = cascadeStep(s1[j]!, s2[j]!, rain[i] ?? 0, dtMin, o.tausMin[k]!);
    }
  }
}

/**
 * The rain rates changed (mm/h, one per input; missing inputs count as dry):
 * the cascades catch up to `ts` with the old rates first.
 */
export function observeRain(s: WaterState, ts: number, mmH: number | readonly number[], o: WaterOptions = WATER_DEFAULTS): void {
  const rates = typeof mmH === 'number' ? [mmH] : mmH;
  advance(s, o, ts);
  for (let i = 0; i < o.inputs; i++) {
    const r = rates[i] ?? 0;
    s.rain[i] = Number.isFinite(r) && r > 0 ? r : 0;
  }
}

function rlsUpdate(s: WaterState, o: WaterOptions, y: number): void {
  const n = s.theta.length;
  const phi = [1, ...s.s2];
  const Pphi = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) Pphi[i]! += s.P[i * n + k]! * phi[k]!;
  let denom = o.forget;
  for (let i = 0; i < n; i++) denom += phi[i]! * Pphi[i]!;
  let err = y;
  for (let i = 0; i < n; i++) err -= phi[i]! * s.theta[i]!;
  for (let i = 0; i < n; i++) s.theta[i]! += (Pphi[i]! / denom) * err;
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) s.P[i * n + k] = (s.P[i * n + k]! - (Pphi[i]! * Pphi[k]!) / denom) / o.forget;
  // Forgetting inflates P in directions nothing excites (no rain for weeks): cap it at its start.
  let trace = 0;
  for (let i = 0; i < n; i++) trace += s.P[i * n + i]!;
  const cap = P0_C + (n - 1) * P0_G;
  if (trace > cap) for (let i = 0; i < n * n; i++) s.P[i]! *= cap / trace;
}

/** Learn from one level reading (readings older than the last are ignored). */
export function observeLevel(s: WaterState, ts: number, level: number, o: WaterOptions = WATER_DEFAULTS): void {
  if (!Number.isFinite(level) || ts < s.lastTs) return;
  for (const e of s.errors) resolveDue(e, ts, level);
  advance(s, o, ts);
  if (s.seen === 0) {
    s.smooth = level;
    s.theta[0] = level;
  } else {
    s.noise += 0.02 * (Math.abs(level - s.smooth) - s.noise);
    s.smooth += (1 - Math.exp(-(ts - s.lastTs) / (o.smoothMin * MIN))) * (level - s.smooth);
  }
  s.lastTs = ts;
  s.seen++;
  if (ts - s.lastTrain >= o.trainEveryMs) {
    s.lastTrain = ts;
    rlsUpdate(s, o, level);
  }
}

/** Learned gain from steady rain on one input to level, metres per mm/h (the sum of its cascades' gains). */
export function steadyGain(s: WaterState, input = 0, o: WaterOptions = WATER_DEFAULTS): number {
  const T = o.tausMin.length;
  return s.theta.slice(1 + input * T, 1 + (input + 1) * T).reduce((a, b) => a + b, 0);
}

/** The gains forecasts use: per input as learned, or none when they sum below zero. */
function usableGains(s: WaterState, o: WaterOptions): number[] {
  const T = o.tausMin.length;
  const g = s.theta.slice(1);
  for (let i = 0; i < o.inputs; i++) if (steadyGain(s, i, o) <= 0) g.fill(0, i * T, (i + 1) * T);
  return g;
}

/** The rain-driven change from now to each of `hsMin` (ascending), under fading rain. */
function rainDriven(s: WaterState, o: WaterOptions, hsMin: number[]): number[] {
  const s1 = [...s.s1];
  const s2 = [...s.s2];
  const g = usableGains(s, o);
  const now = s.s2.reduce((a, v, j) => a + g[j]! * v, 0);
  const out: number[] = [];
  let t = 0;
  // Steps short enough that the fading rain is well held piecewise constant.
  const step = Math.max(1, Math.min(5, o.rainFadeMin / 10));
  for (const h of hsMin) {
    while (t < h - 1e-9) {
      const dt = Math.min(step, h - t);
      const fade = Math.exp(-(t + dt / 2) / o.rainFadeMin);
      stepAll(s1, s2, s.rain.map((r) => r * fade), dt, o);
      t += dt;
    }
    out.push(s2.reduce((a, v, j) => a + g[j]! * v, 0) - now);
  }
  return out;
}

/** The central forecast path at `hsMin` minutes (ascending) after the last reading. */
export function waterPath(s: WaterState, hsMin: number[], o: WaterOptions = WATER_DEFAULTS): number[] {
  return rainDriven(s, o, hsMin).map((d) => s.smooth + d);
}

/** Forecast every configured horizon with intervals, and queue them to learn their errors. */
export function forecastWater(s: WaterState, o: WaterOptions = WATER_DEFAULTS): ForecastValue[] {
  if (s.seen === 0) return [];
  const deltas = rainDriven(s, o, o.horizonsMin);
  return o.horizonsMin.map((h, i) => {
    const value = s.smooth + deltas[i]!;
    queueForecast(s.errors[i]!, s.lastTs, value, deltas[i]!);
    // Before errors are known: the noise and a centimetre-scale wander growing with the horizon (levels are in metres).
    const base = intervalAround(s.errors[i]!, value, 1.6 * 1.25 * s.noise + 0.01 * Math.sqrt(h));
    const extra = o.rainUncertainty * Math.abs(deltas[i]!);
    return { horizonMin: h, at: s.lastTs + h * MIN, value, lower: base.lower - extra, upper: base.upper + extra };
  });
}
