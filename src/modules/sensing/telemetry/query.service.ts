/**
 * Time-series queries (SPEC S3): one sensor's history at a chosen or
 * automatic resolution, aggregates across the sensors of a class in an area,
 * and the latest value of every matching sensor straight from memory.
 * Rollup answers add the readings stored since the last rollup run, so they
 * are never stale.
 */
import type { Clock } from '../../../platform/clock.js';
import { badRequest, notFound } from '../../../platform/errors.js';
import { inBBox, parseBBox, type BBox } from '../../../platform/geo/index.js';
import { isSensorClass } from '../classes.js';
import { SENSOR_CLASSES, type SensorDirectory, type SensorRef } from '../types.js';
import { IsoFormatter, type LatestStore } from './latest.js';
import { bucketStart, chooseRollup, chooseStep, mergeByStart, toPoints } from './rollup.logic.js';
import type { BucketRow, TelemetryStore } from './store.js';
import { STEP_MS, type AggregateResult, type RollupStep, type SeriesResult, type StepParam, type TelemetryOptions } from './types.js';
import { parseIso } from './validate.logic.js';

const DAY_MS = 86_400_000;
/** `auto` picks the finest resolution giving at most this many points. */
export const AUTO_MAX_POINTS = 1_000;
export const DEFAULT_LIMIT = 10_000;
const MAX_BUCKETS = 100_000;

export interface SeriesQuery { sensor: string; from?: string; to?: string; step?: StepParam; limit?: number }
export interface AggregateQuery { class: string; area?: string; metric?: string; from?: string; to?: string; step?: Exclude<StepParam, 'raw'> }
export interface LatestQuery { class?: string; area?: string; metric?: string; bbox?: string }

export interface QueryDeps {
  store: TelemetryStore;
  directory: SensorDirectory;
  latest: LatestStore;
  clock: Clock;
  options: TelemetryOptions;
}

/** ISO-8601 with a zone, or epoch milliseconds. */
export function parseQueryTime(v: string, field: string): number {
  const t = /^\d{1,16}$/.test(v) ? Number(v) : parseIso(v);
  if (!Number.isFinite(t)) throw badRequest('BAD_TIME', `${field}: expected ISO-8601 with a time zone (e.g. 2026-01-01T08:00:00Z) or epoch milliseconds; got "${v}"`);
  return t;
}

const areaMatch = (ref: SensorRef, area: string) => ref.orgPath !== null && ref.orgPath.includes(`/${area}/`);

export type QueryService = ReturnType<typeof createQueryService>;

export function createQueryService(d: QueryDeps) {
  function range(q: { from?: string; to?: string }): { from: number; to: number } {
    const to = q.to !== undefined ? parseQueryTime(q.to, 'to') : d.clock.now();
    const from = q.from !== undefined ? parseQueryTime(q.from, 'from') : to - DAY_MS;
    if (from >= to) throw badRequest('BAD_RANGE', `"from" (${new Date(from).toISOString()}) must be before "to" (${new Date(to).toISOString()})`);
    return { from, to };
  }

  /** Stored rollups plus not-yet-rolled-up readings, read against one watermark (retried if a rollup commits meanwhile). */
  async function buckets(step: RollupStep, keys: readonly number[], from: number, to: number, stored: () => Promise<BucketRow[]>): Promise<BucketRow[]> {
    for (let attempt = 0; ; attempt++) {
      const w = await d.store.watermark(step);
      const rolled = await stored();
      const fresh = await d.store.pendingSeries(STEP_MS[step], keys, from, to, w);
      if ((await d.store.watermark(step)) === w || attempt >= 3) return mergeByStart(rolled, fresh);
    }
  }

  async function series(q: SeriesQuery): Promise<SeriesResult> {
    const ref = d.directory.byId(q.sensor);
    if (!ref) throw notFound('SENSOR_NOT_FOUND', `No sensor ${q.sensor}; list sensors with GET /api/v1/sensors`);
    const { from, to } = range(q);
    const limit = q.limit ?? DEFAULT_LIMIT;
    let step = q.step ?? 'auto';
    if (step === 'raw' && to - from > d.options.maxRawRangeMs) {
      throw badRequest('RANGE_TOO_LONG_FOR_RAW', `Raw readings can be read ${d.options.maxRawRangeMs / 3_600_000} h at a time; narrow from/to or use step=1m, 1h, 1d or auto`);
    }
    if (step === 'auto') {
      let estimate: number | undefined;
      if (to - from <= d.options.maxRawRangeMs) {
        const m = await buckets('1m', [ref.key], bucketStart(from, STEP_MS['1m']), to, () => d.store.rollupSeries('1m', ref.key, bucketStart(from, STEP_MS['1m']), to, MAX_BUCKETS));
        estimate = m.reduce((s, b) => s + b.count, 0);
      }
      step = chooseStep(to - from, estimate, { maxPoints: AUTO_MAX_POINTS, maxRawRangeMs: d.options.maxRawRangeMs });
    }
    if (step === 'raw') {
      const points = await d.store.rawSeries(ref.key, from, to, limit + 1);
      return { sensor: ref.id, step, from, to, points: points.slice(0, limit), truncated: points.length > limit };
    }
    const rollup = step;
    const start = bucketStart(from, STEP_MS[rollup]);
    const rows = await buckets(rollup, [ref.key], start, to, () => d.store.rollupSeries(rollup, ref.key, start, to, MAX_BUCKETS));
    return { sensor: ref.id, step: rollup, from, to, points: toPoints(rows.slice(0, limit)), truncated: rows.length > limit };
  }

  async function aggregate(q: AggregateQuery): Promise<AggregateResult> {
    if (!isSensorClass(q.class)) throw badRequest('UNKNOWN_CLASS', `class: one of ${SENSOR_CLASSES.join(', ')}; got "${q.class}"`);
    const { from, to } = range(q);
    const step: RollupStep = !q.step || q.step === 'auto' ? chooseRollup(to - from, AUTO_MAX_POINTS) : q.step;
    if (Math.ceil((to - from) / STEP_MS[step]) > MAX_BUCKETS) {
      throw badRequest('TOO_MANY_BUCKETS', `${step} buckets over this range would be more than ${MAX_BUCKETS}; use a coarser step or a shorter range`);
    }
    const keys: number[] = [];
    for (const ref of d.directory.all()) {
      if (ref.class !== q.class || (q.metric && ref.metric !== q.metric) || (q.area && !areaMatch(ref, q.area))) continue;
      keys.push(ref.key);
    }
    const start = bucketStart(from, STEP_MS[step]);
    const rows = keys.length ? await buckets(step, keys, start, to, () => d.store.aggregate(step, keys, start, to)) : [];
    return { class: q.class, area: q.area ?? null, metric: q.metric ?? null, step, from, to, sensors: keys.length, buckets: toPoints(rows) };
  }

  // Sensor entries are replaced, never mutated, so the JSON of a sensor's fixed fields is cached per entry.
  const heads = new WeakMap<SensorRef, string>();
  const head = (ref: SensorRef): string => {
    let h = heads.get(ref);
    if (h === undefined) {
      h = `{"sensor":${JSON.stringify(ref.id)},"class":"${ref.class}","metric":${JSON.stringify(ref.metric)},"lon":${ref.lon},"lat":${ref.lat},`;
      heads.set(ref, h);
    }
    return h;
  };

  const iso = new IsoFormatter();

  /** The latest value of every matching sensor, already serialised: {"items":[…],"count":n}. */
  function latestJson(q: LatestQuery): string {
    if (q.class !== undefined && !isSensorClass(q.class)) throw badRequest('UNKNOWN_CLASS', `class: one of ${SENSOR_CLASSES.join(', ')}; got "${q.class}"`);
    const bbox: BBox | undefined = q.bbox ? parseBBox(q.bbox) : undefined;
    let out = '';
    let count = 0;
    for (const ref of d.directory.all()) {
      if ((q.class && ref.class !== q.class) || (q.metric && ref.metric !== q.metric) || (q.area && !areaMatch(ref, q.area))) continue;
      if (bbox && !inBBox([ref.lon, ref.lat], bbox)) continue;
      const ts = d.latest.tsAt(ref.key);
      out += `${count ? ',' : ''}${head(ref)}${ts === ts ? `"ts":"${iso.format(ts)}","value":${d.latest.valueAt(ref.key)}}` : '"ts":null,"value":null}'}`;
      count++;
    }
    return `{"items":[${out}],"count":${count}}`;
  }

  return { series, aggregate, latestJson };
}
