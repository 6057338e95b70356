/**
 * The forecasters on the reading stream: every ReadingsIngested batch updates
 * each traffic and water-level sensor's model (water levels with the rain of
 * the nearest rain gauges as input); at most once per cadence per sensor the
 * forecast is remade, kept in memory, and checked against the sensor's rule
 * thresholds — a predicted crossing raises a forecast warning (an AlarmSignal
 * with source 'forecast'), and a forecast that no longer crosses clears it.
 * Model states are checkpointed to the store and restored at start.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../../platform/clock.js';
import { notFound } from '../../../platform/errors.js';
import { toIso } from '../../../platform/clock.js';
import type { ReadingsIngestedPayload, SensorDirectory, SensorRef } from '../../sensing/types.js';
import type { AlarmSink, RuleThreshold, RuleThresholds, SensorForecast, Severity } from '../types.js';
import {
  forecastModel, meanRain, MODEL_DEFAULTS, modelKindFor, modelPath, newModel, rainInputs, restoreModel, serialiseModel, type ModelOptions, type ModelState,
} from './model.logic.js';
import { observeSeasonal } from './seasonal.logic.js';
import { observeLevel, observeRain } from './water.logic.js';
import { predictCrossing, type Crossing } from './warn.logic.js';
import type { ForecastStore } from './store.js';

export interface ForecastOptions {
  /** A sensor's forecast is remade at most this often (clock ms). */
  cadenceMs: number;
  /** Rain gauges within this distance of a water-level gauge feed its model (the nearest few). */
  rainRadiusM: number;
  rainGauges: number;
  /** A rain reading older than this no longer counts as the current rate. */
  rainStaleMs: number;
  models: ModelOptions;
}

export const FORECAST_DEFAULTS: ForecastOptions = { cadenceMs: 60_000, rainRadiusM: 4000, rainGauges: 3, rainStaleMs: 30 * 60_000, models: MODEL_DEFAULTS };

/** A forecast warning standing for one sensor and rule threshold. */
export interface ForecastWarning {
  sensorId: string;
  sensorClass: SensorRef['class'];
  metric: string;
  /** The rule whose threshold the forecast crosses. */
  ruleId: string;
  ruleVersion: number;
  op: '>' | '<';
  threshold: number;
  severity: Severity;
  /** When the crossing is predicted (epoch ms). */
  expectedAt: number;
  /** The most extreme forecast value. */
  value: number;
  madeAt: number;
}

interface Tracked {
  ref: SensorRef;
  state: ModelState;
  /** Water gauges: the rain gauges feeding each input of the model (nearby, upstream ring). */
  rainIds: string[][];
  lastForecastAt: number;
  forecast: SensorForecast | null;
  warnings: Map<string, ForecastWarning>;
  dirty: boolean;
}

export interface ForecastDeps {
  clock: Clock;
  log: Logger;
  directory: SensorDirectory;
  thresholds: RuleThresholds;
  sink: AlarmSink;
  store: ForecastStore;
  options?: Partial<ForecastOptions>;
}

/** A forecast warning is a prediction, not a measurement: the lowest severity, whatever the rule's. */
const WARNING_SEVERITY: Severity = 'warning';

const fmt = (v: number) => String(Number(v.toPrecision(4)));

export function createForecastService(d: ForecastDeps) {
  const opts: ForecastOptions = { ...FORECAST_DEFAULTS, ...d.options };
  const tracked = new Map<string, Tracked>();
  const rainLatest = new Map<string, { ts: number; value: number }>();
  /** Checkpointed states waiting for their sensor's first reading after a restart. */
  const restored = new Map<string, ModelState>();

  function* rainGauges() {
    for (const s of d.directory.all()) if (s.class === 'rainfall') yield s;
  }

  function track(ref: SensorRef): Tracked | null {
    const have = tracked.get(ref.id);
    if (have) return have;
    const kind = modelKindFor(ref.class);
    if (!kind) return null;
    const saved = restored.get(ref.id);
    restored.delete(ref.id);
    const t: Tracked = {
      ref, state: saved?.kind === kind ? saved : newModel(kind, opts.models), rainIds: kind === 'water' ? rainInputs(ref, rainGauges(), opts.rainRadiusM, opts.rainGauges) : [],
      lastForecastAt: -Infinity, forecast: null, warnings: new Map(), dirty: false,
    };
    tracked.set(ref.id, t);
    return t;
  }

  function rainFor(t: Tracked, ts: number): number[] {
    const fresh = (id: string) => {
      const r = rainLatest.get(id);
      return r && ts - r.ts <= opts.rainStaleMs ? r.value : undefined;
    };
    return t.rainIds.map((ids) => meanRain(ids, fresh));
  }

  function signal(t: Tracked, th: RuleThreshold, kind: 'raise' | 'clear', w: ForecastWarning | null, now: number): void {
    const { ref } = t;
    const inMin = w ? Math.max(0, Math.round((w.expectedAt - now) / 60_000)) : 0;
    const dir = th.op === '>' ? { en: 'rise above', zh: '超过' } : { en: 'fall below', zh: '低于' };
    const messageEn = w
      ? `Forecast: ${ref.id} (${ref.class}/${ref.metric}) is predicted to ${dir.en} ${fmt(th.value)} at ${toIso(w.expectedAt)} (in about ${inMin} min; forecast ${fmt(w.value)})`
      : `Forecast: ${ref.id} (${ref.class}/${ref.metric}) is no longer predicted to ${dir.en} ${fmt(th.value)}`;
    const messageZh = w
      ? `预测预警：${ref.id}（${ref.class}/${ref.metric}）预计于 ${toIso(w.expectedAt)}（约 ${inMin} 分钟后）${dir.zh}阈值 ${fmt(th.value)}，预测值 ${fmt(w.value)}`
      : `预测预警解除：${ref.id}（${ref.class}/${ref.metric}）预测不再${dir.zh}阈值 ${fmt(th.value)}`;
    try {
      d.sink.signal({
        kind, source: 'forecast', ruleId: `forecast:${th.ruleId}`, ruleVersion: th.ruleVersion, sourceId: ref.id,
        severity: WARNING_SEVERITY, at: now, value: w ? w.value : t.state.smooth, messageZh, messageEn,
        location: { type: 'Point', coordinates: [ref.lon, ref.lat] }, orgPath: ref.orgPath, sensorClass: ref.class,
        // A prediction never opens a city event by itself; the rule's own alarm does when the reading crosses.
        openEvent: null,
        ...(w ? { expectedAt: w.expectedAt } : {}),
      });
    } catch (err) {
      d.log.error({ err, sensorId: ref.id }, 'forecast: alarm sink refused a signal');
    }
  }

  function checkThresholds(t: Tracked, now: number): void {
    const lines = d.thresholds.forSensor(t.ref.id).filter((th) => Number.isFinite(th.value));
    if (lines.length === 0 && t.warnings.size === 0) return;
    const { now: origin, path } = modelPath(t.state, opts.models);
    const seen = new Set<string>();
    for (const th of lines) {
      seen.add(th.ruleId);
      const active = t.warnings.get(th.ruleId);
      const c: Crossing | null = predictCrossing(origin, path, th, active !== undefined);
      if (c) {
        const w: ForecastWarning = {
          sensorId: t.ref.id, sensorClass: t.ref.class, metric: t.ref.metric, ruleId: th.ruleId, ruleVersion: th.ruleVersion,
          op: th.op, threshold: th.value, severity: WARNING_SEVERITY, expectedAt: c.expectedAt, value: c.peak, madeAt: now,
        };
        t.warnings.set(th.ruleId, w);
        if (!active) signal(t, th, 'raise', w, now);
      } else if (active) {
        t.warnings.delete(th.ruleId);
        signal(t, th, 'clear', null, now);
      }
    }
    // A rule that was deleted or no longer covers this sensor takes its warning with it.
    for (const [ruleId, w] of t.warnings) {
      if (seen.has(ruleId)) continue;
      t.warnings.delete(ruleId);
      signal(t, { ruleId, ruleVersion: w.ruleVersion, op: w.op, value: w.threshold, severity: w.severity, messageZh: '', messageEn: '', openEvent: null }, 'clear', null, now);
    }
  }

  function remake(t: Tracked, now: number): void {
    t.lastForecastAt = now;
    const pts = forecastModel(t.state, t.ref, opts.models);
    if (pts.length === 0) return;
    t.forecast = { sensorId: t.ref.id, sensorClass: t.ref.class, metric: t.ref.metric, madeAt: now, points: pts };
    checkThresholds(t, now);
  }

  return {
    /** Learn from a batch of readings; remake the forecasts that are due. */
    onReadings(p: ReadingsIngestedPayload): void {
      const touched = new Set<Tracked>();
      for (let i = 0; i < p.sensorIds.length; i++) {
        const id = p.sensorIds[i]!;
        const ts = p.ts[i]!;
        const v = p.values[i]!;
        const ref = d.directory.byId(id);
        if (!ref || !Number.isFinite(v)) continue;
        if (ref.class === 'rainfall') {
          const prev = rainLatest.get(id);
          if (!prev || ts >= prev.ts) rainLatest.set(id, { ts, value: v });
          continue;
        }
        const t = track(ref);
        if (!t) continue;
        if (t.state.kind === 'seasonal') observeSeasonal(t.state, ts, v, opts.models.seasonal);
        else {
          observeRain(t.state, ts, rainFor(t, ts), opts.models.water);
          observeLevel(t.state, ts, v, opts.models.water);
        }
        t.dirty = true;
        touched.add(t);
      }
      const now = d.clock.now();
      for (const t of touched) if (now - t.lastForecastAt >= opts.cadenceMs) remake(t, now);
    },

    /** The latest forecast of a sensor (404 with what to do when there is none). */
    forecast(sensorId: string): SensorForecast {
      const ref = d.directory.byId(sensorId);
      if (!ref) throw notFound('SENSOR_NOT_FOUND', `No sensor ${sensorId}; list sensors with GET /api/v1/sensors`);
      if (!modelKindFor(ref.class)) {
        throw notFound('FORECAST_NOT_SUPPORTED', `Sensor ${sensorId} is a ${ref.class} sensor; forecasts are made for traffic and water_level sensors`);
      }
      const f = tracked.get(sensorId)?.forecast;
      if (!f) throw notFound('FORECAST_NOT_READY', `No forecast for ${sensorId} yet: one is made within a minute of its first readings`);
      return f;
    },

    /** Every standing forecast warning, soonest crossing first. */
    warnings(): ForecastWarning[] {
      const out: ForecastWarning[] = [];
      for (const t of tracked.values()) out.push(...t.warnings.values());
      return out.sort((a, b) => a.expectedAt - b.expectedAt || a.sensorId.localeCompare(b.sensorId));
    },

    /** Per sensor, its soonest forecast warning (what the risk map reads). */
    warningsBySensor(): Map<string, { severity: Severity; expectedAt: number; value: number }> {
      const out = new Map<string, { severity: Severity; expectedAt: number; value: number }>();
      for (const t of tracked.values()) {
        for (const w of t.warnings.values()) {
          const have = out.get(w.sensorId);
          if (!have || w.expectedAt < have.expectedAt) out.set(w.sensorId, { severity: w.severity, expectedAt: w.expectedAt, value: w.value });
        }
      }
      return out;
    },

    /**
     * An operator cleared the forecast alarm `forecast:<ruleId>` of a sensor while its warning stood:
     * forget the warning, so the next forecast that still crosses raises a new one (once).
     */
    rearm(alarmRuleId: string, sensorId: string): boolean {
      if (!alarmRuleId.startsWith('forecast:')) return false;
      return tracked.get(sensorId)?.warnings.delete(alarmRuleId.slice('forecast:'.length)) ?? false;
    },

    /** Save every model changed since the last checkpoint; returns how many. */
    async checkpoint(): Promise<number> {
      const dirty = [...tracked.values()].filter((t) => t.dirty);
      await d.store.saveMany(dirty.map((t) => ({ sensorId: t.ref.id, kind: t.state.kind, state: serialiseModel(t.state) })), d.clock.now());
      for (const t of dirty) t.dirty = false;
      return dirty.length;
    },

    /** Take the checkpointed states; each resumes when its sensor next reports. */
    async restore(): Promise<number> {
      let n = 0;
      for (const row of await d.store.loadAll()) {
        const s = restoreModel(row.state, opts.models);
        if (s && !tracked.has(row.sensorId)) {
          restored.set(row.sensorId, s);
          n++;
        } else if (!s) d.log.warn({ sensorId: row.sensorId }, 'forecast: checkpoint not understood; the model starts afresh');
      }
      return n;
    },

    stats() {
      let water = 0;
      for (const t of tracked.values()) if (t.state.kind === 'water') water++;
      return { sensors: tracked.size, water, traffic: tracked.size - water, warnings: [...tracked.values()].reduce((a, t) => a + t.warnings.size, 0), restoredPending: restored.size };
    },
  };
}

export type ForecastEngine = ReturnType<typeof createForecastService>;
