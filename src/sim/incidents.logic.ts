/**
 * Incidents the simulator can inject (rainstorm, congestion, pipe burst, fire,
 * wearable SOS): validating a request, choosing the sensors an incident acts
 * on, and how strongly it acts on them as simulated time passes. A rainstorm
 * first raises rainfall; water levels follow with a lag (a gamma-shaped unit
 * hydrograph) and recede after the rain stops.
 */
import { badRequest } from '../platform/errors.js';
import { isValidLonLat, type Position } from '../platform/geo/index.js';
import type { Projection } from './geometry.logic.js';
import type { Effects } from './model.logic.js';
import { unitHash } from '../platform/random.js';
import { INCIDENT_KINDS, type AffectedSensor, type Incident, type IncidentKind, type SensorProfile } from './types.js';
import type { SensorClass } from '../modules/sensing/types.js';

export interface FleetSensor {
  id: string;
  class: SensorClass;
  metric: string;
  p: Position;
  profile: SensorProfile;
  orgPath: string | null;
}

export interface IncidentRequest {
  kind: IncidentKind;
  at: Position | null;
  area: string | null;
  durationMin: number;
  intensity: number;
}

interface KindRule {
  durationMin: number;
  /** Simulated minutes the effects outlast the cause (water recedes, traffic clears). */
  recoverMin: number;
  radiusM: number;
}

export const KIND_RULES: Record<IncidentKind, KindRule> = {
  rainstorm: { durationMin: 60, recoverMin: 160, radiusM: 3000 },
  congestion: { durationMin: 45, recoverMin: 10, radiusM: 2500 },
  pipe_burst: { durationMin: 90, recoverMin: 5, radiusM: 600 },
  fire: { durationMin: 30, recoverMin: 15, radiusM: 300 },
  sos: { durationMin: 20, recoverMin: 0, radiusM: 0 },
};

/** Storm peak rain at intensity 1 (mm/h, a heavy downpour) and the water rise it can cause. */
const STORM_MM_H = 40;
const STORM_RISE_M = 2.0;
/** How far a jam spills onto other roads around its centre, metres. */
const SPILL_M = 1200;
/** Minutes from rain to the peak of the water's response. */
export const WATER_LAG_MIN = 20;

/** Check an untrusted request; throws a 400 AppError saying what to fix. */
export function parseIncidentRequest(raw: Record<string, unknown>): IncidentRequest {
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(INCIDENT_KINDS as readonly string[]).includes(kind)) {
    throw badRequest('SIM_UNKNOWN_KIND', `kind: must be one of ${INCIDENT_KINDS.join(', ')}; got ${JSON.stringify(kind ?? null)}`, { validKinds: INCIDENT_KINDS });
  }
  let at: Position | null = null;
  if (raw.at !== undefined && raw.at !== null) {
    const a = raw.at as unknown[];
    if (!Array.isArray(a) || a.length !== 2 || !isValidLonLat(a[0], a[1])) {
      throw badRequest('BAD_COORDINATES', `at: expected [longitude, latitude] (GeoJSON order) with longitude -180..180 and latitude -90..90; got ${JSON.stringify(raw.at)}`);
    }
    at = [a[0] as number, a[1] as number];
  }
  const area = raw.area === undefined || raw.area === null ? null : raw.area;
  if (area !== null && (typeof area !== 'string' || area.length === 0)) throw badRequest('SIM_BAD_AREA', 'area: expected an org unit id (see GET /api/v1/org/units)');
  const rule = KIND_RULES[kind as IncidentKind];
  const num = (name: string, v: unknown, dflt: number, min: number, max: number): number => {
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw badRequest('SIM_BAD_PARAMETER', `${name}: must be a number from ${min} to ${max}; got ${JSON.stringify(v)}`);
    return v;
  };
  return {
    kind: kind as IncidentKind,
    at,
    area: area as string | null,
    durationMin: num('durationMin', raw.durationMin, rule.durationMin, 1, 1440),
    intensity: num('intensity', raw.intensity, 1, 0.1, 5),
  };
}

export interface PlanContext {
  id: string;
  now: number;
  timeScale: number;
  /** Where incidents happen when neither `at` nor an area gives a place. */
  centre: Position;
  bbox: [number, number, number, number];
  proj: Projection;
  /** Centre of the requested area (when `area` was given). */
  areaCentre?: Position | null;
}

/** Decide where an incident happens and which sensors it acts on. */
export function planIncident(req: IncidentRequest, fleet: readonly FleetSensor[], ctx: PlanContext): Incident {
  const { proj } = ctx;
  if (req.at) {
    const m = 0.05; // ~5 km of slack around the map
    const [w, s, e, n] = ctx.bbox;
    if (req.at[0] < w - m || req.at[0] > e + m || req.at[1] < s - m || req.at[1] > n + m) {
      throw badRequest('SIM_OUTSIDE_CITY', `at: [${req.at.join(', ')}] is outside the demo city (bbox ${ctx.bbox.map((v) => v.toFixed(4)).join(', ')})`);
    }
  }
  const inArea = (f: FleetSensor) => req.area === null || (f.orgPath ?? '').includes(`/${req.area}/`);
  const of = (c: SensorClass, metric?: string) => fleet.map((f, index) => ({ f, index })).filter((x) => x.f.class === c && (!metric || x.f.metric === metric) && inArea(x.f));
  const pick = <T>(xs: T[]): T | undefined => (xs.length ? xs[Math.floor(unitHash(ctx.id) * xs.length)] : undefined);
  const nearestOf = (c: SensorClass, metric: string | undefined, maxM: number): { f: FleetSensor; index: number } => {
    const xs = of(c, metric);
    let best: { f: FleetSensor; index: number } | undefined;
    if (req.at) {
      let bestD = maxM;
      for (const x of xs) {
        const d = proj.dist(req.at, x.f.p);
        if (d <= bestD) [best, bestD] = [x, d];
      }
    } else {
      const central = xs.filter((x) => x.f.profile.centrality > 0.2);
      best = pick(central.length ? central : xs);
    }
    if (!best) throw badRequest('SIM_NO_SENSOR_NEAR', `No ${c} sensor ${req.at ? `within ${maxM} m of [${req.at.join(', ')}]` : req.area ? `in area ${req.area}` : 'in the demo city'}; pick another place`);
    return best;
  };
  const within = (centre: Position, radiusM: number, classes: SensorClass[], weight: (d: number) => number): AffectedSensor[] => {
    const out: AffectedSensor[] = [];
    fleet.forEach((f, index) => {
      if (!classes.includes(f.class)) return;
      const d = proj.dist(centre, f.p);
      if (d <= radiusM) out.push({ index, weight: round3(Math.max(0, Math.min(1, weight(d)))) });
    });
    return out;
  };

  const rule = KIND_RULES[req.kind];
  let at: Position = req.at ?? ctx.areaCentre ?? ctx.centre;
  let radiusM = rule.radiusM;
  let affected: AffectedSensor[] = [];
  switch (req.kind) {
    case 'rainstorm': {
      radiusM = Math.round(rule.radiusM * Math.sqrt(req.intensity));
      if (req.area !== null) {
        affected = fleet.flatMap((f, index) => ((f.class === 'rainfall' || f.class === 'water_level') && inArea(f) ? [{ index, weight: 1 }] : []));
      } else {
        // Water gauges a little beyond the rain see the run-off from upstream.
        const fall = (r: number) => (d: number) => (d <= r / 2 ? 1 : 1 - (0.7 * (d - r / 2)) / (r / 2));
        affected = [...within(at, radiusM, ['rainfall'], fall(radiusM)), ...within(at, radiusM * 1.3, ['water_level'], fall(radiusM * 1.3))];
      }
      break;
    }
    case 'congestion': {
      const station = nearestOf('traffic', 'flow', 1500);
      at = station.f.p;
      const corridor = station.f.profile.corridor;
      // The jam spreads along its road and onto the roads feeding it nearby.
      affected = fleet.flatMap((f, index) => {
        const d = proj.dist(at, f.p);
        if (f.class === 'traffic') {
          if (corridor !== undefined && f.profile.corridor === corridor && d <= radiusM) return [{ index, weight: round3(1 - (0.5 * d) / radiusM) }];
          if (d <= SPILL_M) return [{ index, weight: round3(0.9 - (0.5 * d) / SPILL_M) }];
          return [];
        }
        return (f.class === 'noise' || f.class === 'air_quality') && d <= 400 ? [{ index, weight: 0.5 }] : [];
      });
      break;
    }
    case 'pipe_burst': {
      at = nearestOf('pipe', 'pressure', 1500).f.p;
      affected = within(at, radiusM, ['pipe'], (d) => (d < 5 ? 1 : 0.6 * (1 - d / radiusM)));
      break;
    }
    case 'fire': {
      at = nearestOf('smoke', undefined, 1500).f.p;
      affected = [
        ...within(at, radiusM, ['smoke'], (d) => 1 - d / (radiusM * 1.2)),
        ...within(at, 600, ['crowd'], (d) => 1 - d / 600),
        ...fleet.flatMap((f, index) => (f.class === 'air_quality' && (f.metric === 'pm25' || f.metric === 'pm10') && proj.dist(at, f.p) <= 1200 ? [{ index, weight: round3(1 - proj.dist(at, f.p) / 1200) }] : [])),
      ];
      break;
    }
    case 'sos': {
      const s = nearestOf('sos', undefined, 2000);
      at = s.f.p;
      affected = [{ index: s.index, weight: 1 }];
      break;
    }
  }
  return {
    id: ctx.id, kind: req.kind, at, area: req.area, radiusM, startedAt: ctx.now, durationMin: req.durationMin,
    intensity: req.intensity, affected, timeScale: ctx.timeScale,
  };
}

/** Simulated minutes since the incident started. */
export function elapsedMin(inc: Incident, now: number): number {
  return ((now - inc.startedAt) / 60_000) * inc.timeScale;
}

/** True once every effect of the incident has faded. */
export function isFinished(inc: Incident, tau: number): boolean {
  return tau > inc.durationMin + KIND_RULES[inc.kind].recoverMin;
}

/** Ramp up over `up` minutes, hold until `d`, ramp down over `down` minutes. */
export function envelope(tau: number, d: number, up: number, down: number): number {
  if (tau <= 0) return 0;
  if (tau < up) return Math.min(1, tau / up);
  if (tau < d) return 1;
  if (down <= 0) return 0;
  return Math.max(0, 1 - (tau - d) / down);
}

const rainShape = (inc: Incident, tau: number) => envelope(tau, inc.durationMin, Math.min(10, inc.durationMin / 3), 10);

/** Share (0..1) of the full water rise a storm causes `tau` minutes after it starts: rain convolved with a gamma(3) unit hydrograph. */
export function waterResponse(inc: Incident, tau: number): number {
  const theta = WATER_LAG_MIN / 2;
  const norm = 2 * theta ** 3;
  let sum = 0;
  for (let s = 0.5; s < tau; s += 1) {
    const x = tau - s;
    sum += rainShape(inc, s) * x * x * Math.exp(-x / theta);
  }
  return Math.min(1, sum / norm);
}

/** Sum what every active incident does to each affected sensor at elapsed time tau (per incident). */
export function incidentEffects(active: ReadonlyArray<{ inc: Incident; tau: number }>, fleet: readonly FleetSensor[]): Map<number, Effects> {
  const out = new Map<number, Effects>();
  const add = (index: number, key: keyof Effects, v: number, mode: 'sum' | 'max' = 'sum') => {
    let fx = out.get(index);
    if (!fx) out.set(index, (fx = {}));
    fx[key] = mode === 'max' ? Math.max(fx[key] ?? 0, v) : (fx[key] ?? 0) + v;
  };
  for (const { inc, tau } of active) {
    const k = inc.intensity;
    switch (inc.kind) {
      case 'rainstorm': {
        const rain = rainShape(inc, tau);
        const water = waterResponse(inc, tau);
        for (const a of inc.affected) {
          if (fleet[a.index]?.class === 'rainfall') add(a.index, 'rainMmH', STORM_MM_H * k * rain * a.weight);
          else add(a.index, 'waterRiseM', STORM_RISE_M * k * water * a.weight);
        }
        break;
      }
      case 'congestion': {
        const level = envelope(tau, inc.durationMin, 5, 10) * Math.min(1, 0.6 + 0.4 * k);
        for (const a of inc.affected) add(a.index, 'congestion', level * a.weight, 'max');
        break;
      }
      case 'pipe_burst': {
        const level = envelope(tau, inc.durationMin, 1, 5);
        for (const a of inc.affected) add(a.index, 'burst', Math.min(1, level * a.weight * Math.min(1, k)), 'max');
        break;
      }
      case 'fire': {
        const level = envelope(tau, inc.durationMin, 3, 15);
        for (const a of inc.affected) {
          const c = fleet[a.index]?.class;
          if (c === 'smoke') add(a.index, 'smoke', 25 * k * level * a.weight);
          else if (c === 'crowd') add(a.index, 'crowd', 1.5 * k * level * a.weight);
          else add(a.index, 'pm25', 120 * k * level * a.weight);
        }
        break;
      }
      case 'sos': {
        const on = tau >= 0 && tau <= inc.durationMin ? 1 : 0;
        for (const a of inc.affected) add(a.index, 'sos', on, 'max');
        break;
      }
    }
  }
  return out;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
