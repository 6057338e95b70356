/**
 * The value model: what a sensor of each class reads at a given local time,
 * with daily and weekly rhythm (rush hours, night-time inversions, evening
 * peaks), slow drift, measurement noise and the effects of incidents.
 */
import type { SensorClass } from '../modules/sensing/types.js';
import type { SensorProfile } from './types.js';

export interface TimeContext {
  /** Epoch ms. */
  t: number;
  /** Local time of day in hours, 0 ≤ hour < 24. */
  hour: number;
  /** Local day of week, 0 = Sunday. */
  dow: number;
}

export const isWeekend = (ctx: TimeContext): boolean => ctx.dow === 0 || ctx.dow === 6;

/** What incidents do to one sensor right now (absent = nothing). */
export interface Effects {
  /** 0..1 how jammed the road is. */
  congestion?: number;
  /** Rain from a storm, mm/h. */
  rainMmH?: number;
  /** Water level rise from a storm, metres. */
  waterRiseM?: number;
  /** 0..1 loss of pressure from a burst main. */
  burst?: number;
  /** Added smoke obscuration, %/m. */
  smoke?: number;
  /** Added crowd density, persons/m². */
  crowd?: number;
  /** Added fine particles, µg/m³. */
  pm25?: number;
  /** 1 while a wearer calls for help. */
  sos?: number;
}

export interface SensorSpec {
  class: SensorClass;
  metric: string;
  min: number;
  max: number;
  profile: SensorProfile;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Local time of day and weekday of an instant in an IANA time zone. */
export function timeContext(t: number, timeZone: string): TimeContext {
  let fmt = formats.get(timeZone);
  if (!fmt) formats.set(timeZone, (fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', hour: 'numeric', minute: 'numeric', second: 'numeric' })));
  const parts = fmt.formatToParts(new Date(t));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  const dow = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { t, hour: Number(get('hour')) + Number(get('minute')) / 60 + Number(get('second')) / 3600, dow: Math.max(0, dow) };
}

const bell = (h: number, mu: number, sigma: number) => Math.exp(-0.5 * ((h - mu) / sigma) ** 2);
/** 0 before `on`, ramps to 1 over an hour or two, back to 0 around `off`. */
const daytime = (h: number, on: number, full: number, fading: number, off: number) =>
  h < on || h >= off ? 0 : h < full ? (h - on) / (full - on) : h < fading ? 1 : (off - h) / (off - fading);

/** Road traffic demand, 0..1 of capacity: weekday rush hours 7–9 and 17–19, a flatter, later weekend. */
export function trafficDemand(ctx: TimeContext): number {
  const h = ctx.hour;
  const d = isWeekend(ctx)
    ? 0.05 + 0.4 * daytime(h, 8, 11, 20, 23.5) + 0.12 * bell(h, 13, 2) + 0.1 * bell(h, 18.5, 1.5)
    : 0.05 + 0.35 * daytime(h, 5.5, 9, 20, 23.5) + 0.55 * bell(h, 8, 0.8) + 0.5 * bell(h, 18, 1);
  return Math.min(1, d);
}

/** People out and about, 0..1: lunch and evening peaks, busier weekends. */
export function activity(ctx: TimeContext): number {
  const h = ctx.hour;
  const a = isWeekend(ctx)
    ? 0.04 + 0.3 * daytime(h, 9, 11, 21, 24) + 0.55 * bell(h, 13, 1.6) + 0.5 * bell(h, 19.5, 1.6)
    : 0.03 + 0.25 * daytime(h, 7, 9, 20, 23) + 0.5 * bell(h, 12.5, 1) + 0.55 * bell(h, 19, 1.4);
  return Math.min(1, a);
}

/** Electrical load, share of the feeder's peak: night trough, morning ramp, evening peak. */
export function energyCurve(ctx: TimeContext): number {
  const h = ctx.hour;
  const c = 0.45 + 0.2 * daytime(h, 6, 9, 22, 24) + 0.1 * bell(h, 12.5, 2) + 0.25 * bell(h, 19.5, 1.6);
  return isWeekend(ctx) ? 0.92 * c + 0.03 : c;
}

/** Water demand, share of the main's peak flow. */
export function waterDemand(ctx: TimeContext): number {
  const h = ctx.hour;
  const morning = isWeekend(ctx) ? bell(h, 9, 1.5) : bell(h, 7.3, 0.9);
  return 0.2 + 0.25 * daytime(h, 6, 8, 21, 24) + 0.5 * morning + 0.4 * bell(h, 19.5, 1.4);
}

/** Parking occupancy share: fills through the working day. */
export function parkingFill(ctx: TimeContext): number {
  const h = ctx.hour;
  return isWeekend(ctx) ? 0.25 + 0.5 * daytime(h, 9, 12, 19, 23) : 0.25 + 0.65 * daytime(h, 7, 9.5, 17.5, 20.5);
}

const sunlight = (h: number) => (h > 6 && h < 20 ? Math.sin((Math.PI * (h - 6)) / 14) : 0);
/** Night-time temperature inversion traps pollution, strongest before dawn. */
const inversion = (h: number) => Math.max(0, Math.cos((2 * Math.PI * (h - 4)) / 24));

/** A smooth wander in [-1, 1] over hours to days, different per seed. */
export function drift(seed: number, t: number): number {
  const hours = t / 3_600_000;
  const ph = 2 * Math.PI * seed;
  return 0.5 * Math.sin((2 * Math.PI * hours) / 29 + ph) + 0.3 * Math.sin((2 * Math.PI * hours) / 7.3 + 3 * ph) + 0.2 * Math.sin((2 * Math.PI * hours) / 2.1 + 7 * ph);
}

/** Background showers: the same weather over the whole city, mostly dry, a light shower now and then. */
export function backgroundRain(t: number, seed: number): number {
  const w = drift(0.37, t) * 0.8 + drift(0.71, t * 3.1) * 0.2 + 0.05 * (seed - 0.5);
  return w > 0.72 ? (w - 0.72) * 8 : 0;
}

/**
 * When a sensor reporting `rate` times a second on its own phase (0..1 of a
 * period) reports within (now - spanMs, now]: consecutive spans never repeat
 * or miss an instant, so readings neither duplicate nor gap.
 */
export function readingTimes(now: number, spanMs: number, rate: number, phase: number): number[] {
  if (rate <= 0 || spanMs <= 0) return [];
  const period = 1000 / rate;
  const offset = phase * period;
  const out: number[] = [];
  for (let k = Math.floor((now - spanMs - offset) / period) + 1; k * period + offset <= now; k++) out.push(Math.round(k * period + offset));
  return out;
}

/**
 * The reading of one sensor. `noise` is a standard normal deviate drawn by the
 * caller (so the model stays pure); the result is clamped to the metric's range.
 */
export function sensorValue(s: SensorSpec, ctx: TimeContext, noise: number, fx: Effects = {}): number {
  const p = s.profile;
  const dr = drift(p.seed, ctx.t);
  const jam = fx.congestion ?? 0;
  let v: number;
  switch (`${s.class}/${s.metric}`) {
    case 'traffic/flow': {
      const free = p.scale * trafficDemand(ctx) * (1 + 0.05 * dr);
      v = (free + (0.95 * p.scale - free) * jam) * (1 + 0.06 * noise);
      break;
    }
    case 'traffic/speed': {
      const d = trafficDemand(ctx);
      v = (p.speedKph ?? 50) * (1 - 0.45 * d * d) * (1 - 0.8 * jam) * (1 + 0.05 * noise);
      break;
    }
    case 'air_quality/pm25': v = (8 + 25 * trafficDemand(ctx) * (0.4 + 0.6 * p.centrality) + 18 * inversion(ctx.hour) * (0.7 + 0.3 * dr) + 10 * jam) * (1 + 0.08 * noise) + (fx.pm25 ?? 0); break;
    case 'air_quality/pm10': v = (14 + 40 * trafficDemand(ctx) * (0.4 + 0.6 * p.centrality) + 25 * inversion(ctx.hour) * (0.7 + 0.3 * dr) + 15 * jam) * (1 + 0.08 * noise) + 1.3 * (fx.pm25 ?? 0); break;
    case 'air_quality/no2': v = (12 + 55 * trafficDemand(ctx) * (0.4 + 0.6 * p.centrality) + 15 * inversion(ctx.hour) + 30 * jam) * (1 + 0.08 * noise); break;
    case 'air_quality/o3': v = Math.max(5, 35 + 85 * sunlight(ctx.hour) - 20 * trafficDemand(ctx) + 8 * dr) * (1 + 0.06 * noise); break;
    case 'noise/laeq': {
      const road = 40 + 28 * Math.sqrt(trafficDemand(ctx)) * (1 - 0.5 * p.centrality) + 3 * jam;
      const people = 38 + 22 * activity(ctx) * p.centrality;
      v = 10 * Math.log10(10 ** (road / 10) + 10 ** (people / 10)) + 1.5 * noise;
      break;
    }
    case 'water_level/level': v = p.scale + 0.05 * dr + 0.003 * noise + 0.02 * backgroundRain(ctx.t, p.seed) + (fx.waterRiseM ?? 0); break;
    case 'rainfall/intensity': v = Math.max(0, backgroundRain(ctx.t, p.seed) * (1 + 0.2 * noise)) + Math.max(0, (fx.rainMmH ?? 0) * (1 + 0.1 * noise)); break;
    case 'pipe/pressure': v = p.scale * (1 - 0.12 * waterDemand(ctx)) * (1 - 0.75 * (fx.burst ?? 0)) * (1 + 0.01 * noise); break;
    case 'pipe/flow': v = p.scale * waterDemand(ctx) * (1 + 0.05 * dr) * (1 + 3 * (fx.burst ?? 0)) * (1 + 0.04 * noise); break;
    case 'energy/load': v = p.scale * energyCurve(ctx) * (1 + 0.05 * dr) * (1 + 0.02 * noise); break;
    case 'crowd/density': v = p.scale * activity(ctx) * (1 + 0.15 * dr) * (1 + 0.1 * noise) + (fx.crowd ?? 0); break;
    case 'parking/occupancy': v = 100 * Math.min(0.99, p.scale * parkingFill(ctx) + 0.04 * dr) + 1.5 * noise; break;
    case 'tilt/angle': v = p.scale + 0.02 * dr + 0.005 * noise; break;
    case 'smoke/obscuration': v = Math.max(0, 0.02 + 0.01 * noise) + (fx.smoke ?? 0); break;
    case 'sos/alert': v = fx.sos && fx.sos >= 0.5 ? 1 : 0; break;
    default: v = (s.min + s.max) / 2;
  }
  return roundFor(s.metric, Math.min(s.max, Math.max(s.min, v)));
}

function roundFor(metric: string, v: number): number {
  switch (metric) {
    case 'flow': case 'load': case 'pressure': return Math.round(v);
    case 'level': case 'angle': return Math.round(v * 1000) / 1000;
    default: return Math.round(v * 100) / 100;
  }
}
