/**
 * Places the demo city's sensors: about 2,500 sensors of all 12 classes, each
 * where it belongs, with a stable id, a zh-first name, an owner department,
 * alarm thresholds and a profile the simulator draws values from. Pure and
 * deterministic: the same map and seed always give the same sensors.
 */
import type { SensorClass } from '../modules/sensing/types.js';
import { metricsOf } from '../modules/sensing/classes.js';
import { buildCityMap, siteName, type CityMap, type CityMapInput, type Site } from './citymap.logic.js';
import { createRng, hashString, unitHash } from '../platform/random.js';
import * as S from './sites.logic.js';
import type { PlannedSensor, SensorProfile } from './types.js';

/** Stations per class (a traffic station has two sensors, flow and speed; air quality four). */
export const DEFAULT_STATIONS: Record<SensorClass, number> = {
  traffic: 310, air_quality: 60, noise: 200, water_level: 150, rainfall: 80, pipe: 125,
  energy: 150, crowd: 160, parking: 150, tilt: 120, smoke: 200, sos: 160,
};

const SLUG: Record<SensorClass, string> = {
  traffic: 'traffic', air_quality: 'air', noise: 'noise', water_level: 'water', rainfall: 'rain', pipe: 'pipe',
  energy: 'energy', crowd: 'crowd', parking: 'parking', tilt: 'tilt', smoke: 'smoke', sos: 'sos',
};

const CAPACITY_VPH: Record<string, number> = { motorway: 4000, trunk: 3000, primary: 1800, secondary: 1100, tertiary: 700 };
const FREE_SPEED: Record<string, number> = { motorway: 110, trunk: 80, primary: 60, secondary: 50, tertiary: 40 };

export interface PlacementOptions {
  seed?: number;
  /** Stations per class; defaults to DEFAULT_STATIONS. */
  stations?: Partial<Record<SensorClass, number>>;
}

export interface Placement {
  sensors: PlannedSensor[];
  counts: Record<SensorClass, number>;
  /** The centre of the busiest town: where incidents happen when no place is given. */
  centre: [number, number];
  bbox: [number, number, number, number];
}

export function placeSensors(input: CityMapInput, opts: PlacementOptions = {}): Placement {
  const map = buildCityMap(input);
  const stations = { ...DEFAULT_STATIONS, ...opts.stations };
  const seed = opts.seed ?? 2026;
  const rng = (c: SensorClass) => createRng(seed ^ hashString(SLUG[c]));

  const traffic = S.trafficSites(map, stations.traffic);
  const sites: Record<SensorClass, Site[]> = {
    traffic,
    air_quality: S.airSites(map, rng('air_quality'), stations.air_quality, traffic),
    noise: S.noiseSites(map, rng('noise'), stations.noise, traffic),
    water_level: S.waterSites(map, rng('water_level'), stations.water_level),
    rainfall: S.rainSites(map, rng('rainfall'), stations.rainfall),
    pipe: S.pipeSites(map, rng('pipe'), stations.pipe),
    energy: S.energySites(map, rng('energy'), stations.energy),
    crowd: S.crowdSites(map, rng('crowd'), stations.crowd),
    parking: S.parkingSites(map, rng('parking'), stations.parking),
    tilt: S.tiltSites(map, rng('tilt'), stations.tilt),
    smoke: S.smokeSites(map, rng('smoke'), stations.smoke),
    sos: S.sosSites(map, rng('sos'), stations.sos),
  };

  const sensors: PlannedSensor[] = [];
  const counts = {} as Record<SensorClass, number>;
  for (const c of Object.keys(sites) as SensorClass[]) {
    const before = sensors.length;
    sites[c].forEach((site, i) => sensors.push(...stationSensors(map, c, site, i + 1)));
    counts[c] = sensors.length - before;
  }
  return { sensors, counts, centre: busiestCentre(map), bbox: map.bbox };
}

/** The centre with the most streets around it (the old town, the main market). */
function busiestCentre(map: CityMap): [number, number] {
  let best: [number, number] = [(map.bbox[0] + map.bbox[2]) / 2, (map.bbox[1] + map.bbox[3]) / 2];
  let bestScore = -1;
  for (const c of map.centres) {
    let n = 0;
    for (const s of map.nodes) if (map.proj.dist(c.p, s.p) <= 1000) n++;
    const score = n * c.weight;
    if (score > bestScore) [best, bestScore] = [[c.p[0], c.p[1]], score];
  }
  return best;
}

function stationSensors(map: CityMap, c: SensorClass, site: Site, n: number): PlannedSensor[] {
  const metrics = metricsOf(c);
  const station = `s-${SLUG[c]}-${String(n).padStart(6, '0')}`;
  const centrality = round(map.centrality(site.p), 3);
  const label = siteName(map, site);
  return metrics.map((def) => {
    const id = metrics.length > 1 ? `${station}-${def.metric}` : station;
    const profile = profileFor(c, def.metric, id, site, centrality);
    return {
      id,
      name: `${label} ${def.nameZh} #${n}`,
      class: c,
      metric: def.metric,
      lon: round(site.p[0], 7),
      lat: round(site.p[1], 7),
      department: departmentFor(c, def.metric, n),
      thresholds: thresholdsFor(c, def.metric, profile),
      profile,
    };
  });
}

/** Owner departments, by the taxonomy's codes. */
export function departmentFor(c: SensorClass, metric: string, n: number): string {
  switch (c) {
    case 'traffic': return metric === 'speed' ? 'JJ' : 'JTJ';
    case 'water_level': case 'rainfall': return 'SWJ';
    case 'air_quality': case 'noise': return 'HBJ';
    case 'pipe': return n % 4 === 0 ? 'GYJ' : 'SWJ';
    case 'energy': return 'GYJ';
    case 'crowd': return 'YJJ';
    case 'parking': return 'JTJ';
    case 'tilt': return 'ZJJ';
    case 'smoke': return 'XFJ';
    case 'sos': return n % 3 === 0 ? 'WJW' : 'MZJ';
  }
}

function profileFor(c: SensorClass, metric: string, id: string, site: Site, centrality: number): SensorProfile {
  const seed = unitHash(id);
  const v = unitHash(`${id}#scale`);
  const base = { seed, centrality, ...(site.corridor ? { corridor: site.corridor } : {}) };
  switch (c) {
    case 'traffic': {
      const hw = site.highway ?? 'secondary';
      return { ...base, scale: Math.round((CAPACITY_VPH[hw] ?? 800) * (0.75 + 0.5 * v)), speedKph: site.speedKph && site.speedKph > 0 ? site.speedKph : (FREE_SPEED[hw] ?? 50) };
    }
    case 'water_level': return { ...base, scale: round(0.3 + 1.2 * v, 2) };
    case 'pipe': return { ...base, scale: metric === 'pressure' ? Math.round(250 + 200 * v) : Math.round(20 + 180 * v) };
    case 'energy': return { ...base, scale: Math.round(300 + 1500 * v * (0.4 + centrality)) };
    case 'crowd': return { ...base, scale: round(0.3 + 1.2 * v * (0.3 + centrality), 2) };
    case 'parking': return { ...base, scale: round(0.7 + 0.28 * v, 2) };
    case 'tilt': return { ...base, scale: round((v - 0.5) * 0.6, 2) };
    default: return { ...base, scale: 1 };
  }
}

/** Alarm thresholds where a higher value means trouble (China's ambient standards GB 3095 / GB 3096 guide the air and noise ones). */
function thresholdsFor(c: SensorClass, metric: string, p: SensorProfile): { warn?: number; alarm?: number } | null {
  switch (c) {
    case 'water_level': return { warn: round(p.scale + 1.0, 2), alarm: round(p.scale + 1.8, 2) };
    case 'rainfall': return { warn: 10, alarm: 30 };
    case 'air_quality': return ({ pm25: { warn: 75, alarm: 150 }, pm10: { warn: 150, alarm: 250 }, no2: { warn: 200, alarm: 400 }, o3: { warn: 200, alarm: 300 } } as Record<string, { warn: number; alarm: number }>)[metric] ?? null;
    case 'noise': return { warn: 70, alarm: 85 };
    case 'energy': return { warn: Math.round(p.scale * 1.1), alarm: Math.round(p.scale * 1.3) };
    case 'crowd': return { warn: 2, alarm: 4 };
    case 'tilt': return { warn: 1, alarm: 3 };
    case 'smoke': return { warn: 1, alarm: 4 };
    case 'sos': return { alarm: 1 };
    default: return null;
  }
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
