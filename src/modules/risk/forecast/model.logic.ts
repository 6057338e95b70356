/**
 * One face over the two forecasters: which model a sensor gets, its forecast
 * points and fine path (for threshold crossings), and the JSON round trip of
 * its state for checkpoints (numbers rounded to 7 significant digits, which
 * keeps a checkpoint small and loses nothing a forecast can notice).
 */
import type { SensorClass } from '../../sensing/types.js';
import { forecastSeasonal, newSeasonal, seasonalValueAt, SEASONAL_DEFAULTS, type ForecastValue, type SeasonalOptions, type SeasonalState } from './seasonal.logic.js';
import { forecastWater, newWater, waterPath, WATER_DEFAULTS, type WaterOptions, type WaterState } from './water.logic.js';
import type { PathPoint } from './warn.logic.js';

export type ModelState = SeasonalState | WaterState;
export type ModelKind = ModelState['kind'];

export interface ModelOptions {
  seasonal: SeasonalOptions;
  water: WaterOptions;
}

export const MODEL_DEFAULTS: ModelOptions = { seasonal: SEASONAL_DEFAULTS, water: WATER_DEFAULTS };

/** Traffic follows the clock; water levels follow the rain; other classes get no forecast. */
export function modelKindFor(cls: SensorClass): ModelKind | null {
  if (cls === 'traffic') return 'seasonal';
  if (cls === 'water_level') return 'water';
  return null;
}

export function newModel(kind: ModelKind, o: ModelOptions = MODEL_DEFAULTS): ModelState {
  return kind === 'seasonal' ? newSeasonal(o.seasonal) : newWater(o.water);
}

/** Forecast points clamped to the metric's plausible range. */
export function forecastModel(s: ModelState, range: { min: number; max: number }, o: ModelOptions = MODEL_DEFAULTS): ForecastValue[] {
  const pts = s.kind === 'seasonal' ? forecastSeasonal(s, o.seasonal) : forecastWater(s, o.water);
  const c = (v: number) => Math.min(range.max, Math.max(range.min, v));
  return pts.map((p) => ({ ...p, value: c(p.value), lower: c(p.lower), upper: c(p.upper) }));
}

/** The value now (smoothed) and the central forecast every `stepMin` minutes up to the longest horizon. */
export function modelPath(s: ModelState, o: ModelOptions = MODEL_DEFAULTS): { now: PathPoint; path: PathPoint[] } {
  const horizons = s.kind === 'seasonal' ? o.seasonal.horizonsMin : o.water.horizonsMin;
  const maxH = Math.max(...horizons);
  const step = Math.max(1, maxH / 45);
  const hs: number[] = [];
  for (let h = step; h <= maxH + 1e-9; h += step) hs.push(h);
  const values = s.kind === 'seasonal' ? hs.map((h) => seasonalValueAt(s, h, o.seasonal)) : waterPath(s, hs, o.water);
  return { now: { at: s.lastTs, value: s.smooth }, path: hs.map((h, i) => ({ at: s.lastTs + h * 60_000, value: values[i]! })) };
}

const round = (_k: string, v: unknown) => (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(7)) : v);

export function serialiseModel(s: ModelState): string {
  // -Infinity (nothing seen yet) has no JSON form: it travels as null.
  return JSON.stringify(s, (k, v: unknown) => (v === -Infinity ? null : round(k, v)));
}

/** Restore a checkpoint; null when it is not a state this version understands (the model then starts afresh). */
export function restoreModel(json: string, o: ModelOptions = MODEL_DEFAULTS): ModelState | null {
  try {
    const raw = JSON.parse(json, (_k, v: unknown) => (v === null ? -Infinity : v)) as Partial<ModelState> & Record<string, unknown>;
    if (raw.kind !== 'seasonal' && raw.kind !== 'water') return null;
    const fresh = newModel(raw.kind, o) as unknown as Record<string, unknown>;
    for (const k of Object.keys(fresh)) {
      const a = fresh[k];
      const b = raw[k];
      if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b)) return null;
      // A model built for other horizons or time constants cannot be resumed.
      if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) return null;
    }
    return raw as ModelState;
  } catch {
    return null;
  }
}

export interface Located {
  id: string;
  lon: number;
  lat: number;
}

/** Metres between two WGS84 points (equirectangular: exact enough within a city). */
export function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const k = Math.PI / 180;
  const x = (b.lon - a.lon) * k * Math.cos(((a.lat + b.lat) / 2) * k);
  return 6_371_000 * Math.hypot(x, (b.lat - a.lat) * k);
}

/**
 * The rain gauges feeding a water-level gauge's model, one list per input:
 * the nearest `count` within `radiusM`, and the nearest `count` in the ring
 * beyond it out to twice the radius (run-off from upstream reaches a gauge
 * whose own rain gauge stayed dry).
 */
export function rainInputs(at: { lon: number; lat: number }, gauges: Iterable<Located>, radiusM: number, count: number): string[][] {
  const near: Array<{ id: string; d: number }> = [];
  const far: Array<{ id: string; d: number }> = [];
  for (const g of gauges) {
    const d = distanceM(at, g);
    if (d <= radiusM) near.push({ id: g.id, d });
    else if (d <= 2 * radiusM) far.push({ id: g.id, d });
  }
  const pick = (xs: Array<{ id: string; d: number }>) => xs.sort((a, b) => a.d - b.d || a.id.localeCompare(b.id)).slice(0, count).map((x) => x.id);
  return [pick(near), pick(far)];
}

/** Mean of the values present (missing or stale gauges are skipped), 0 when none. */
export function meanRain(ids: readonly string[], valueOf: (id: string) => number | undefined): number {
  let sum = 0;
  let n = 0;
  for (const id of ids) {
    const v = valueOf(id);
    if (v !== undefined && Number.isFinite(v)) [sum, n] = [sum + v, n + 1];
  }
  return n ? sum / n : 0;
}
