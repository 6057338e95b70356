/**
 * The 12 indicator classes of SPEC S2: each class's metrics with units,
 * plausible ranges (readings outside are implausible), zh/en names, default
 * reporting intervals, and how long raw data and rollups are kept.
 */
import { SENSOR_CLASSES, type MetricDefinition, type SensorClass } from './types.js';

/** Days of data kept per resolution; telemetry deletes older rows. */
export interface RetentionPolicy {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
  dayDays: number;
}

export interface SensorClassInfo {
  class: SensorClass;
  nameZh: string;
  nameEn: string;
  /** The metric a sensor of this class measures when none is given. */
  defaultMetric: string;
  metrics: MetricDefinition[];
  retention: RetentionPolicy;
}

const STANDARD_RETENTION: RetentionPolicy = { rawDays: 30, minuteDays: 90, hourDays: 730, dayDays: 3650 };
// SOS calls are evidence in after-action reviews (SPEC X4): keep every raw reading a year.
const SOS_RETENTION: RetentionPolicy = { rawDays: 365, minuteDays: 365, hourDays: 3650, dayDays: 3650 };

type M = Omit<MetricDefinition, 'class'>;
const m = (metric: string, unit: string, min: number, max: number, nameZh: string, nameEn: string, intervalS: number): M => ({ metric, unit, min, max, nameZh, nameEn, intervalS });

const TABLE: Record<SensorClass, { nameZh: string; nameEn: string; metrics: M[]; retention?: RetentionPolicy }> = {
  traffic: {
    nameZh: '交通流量/车速', nameEn: 'Traffic',
    metrics: [m('flow', 'veh/h', 0, 10_000, '交通流量', 'Traffic flow', 60), m('speed', 'km/h', 0, 200, '平均车速', 'Average speed', 60)],
  },
  air_quality: {
    nameZh: '空气质量', nameEn: 'Air quality',
    metrics: [
      m('pm25', 'µg/m³', 0, 1_000, 'PM2.5 浓度', 'PM2.5 concentration', 300),
      m('pm10', 'µg/m³', 0, 2_000, 'PM10 浓度', 'PM10 concentration', 300),
      m('no2', 'µg/m³', 0, 2_000, '二氧化氮浓度', 'NO₂ concentration', 300),
      m('o3', 'µg/m³', 0, 1_000, '臭氧浓度', 'O₃ concentration', 300),
    ],
  },
  noise: { nameZh: '噪声', nameEn: 'Noise', metrics: [m('laeq', 'dB(A)', 20, 140, '等效声级', 'Equivalent sound level (LAeq)', 60)] },
  water_level: { nameZh: '水位', nameEn: 'Water level', metrics: [m('level', 'm', -10, 50, '水位', 'Water level', 60)] },
  rainfall: { nameZh: '降雨', nameEn: 'Rainfall', metrics: [m('intensity', 'mm/h', 0, 300, '雨强', 'Rain intensity', 60)] },
  pipe: {
    nameZh: '管网压力/流量', nameEn: 'Pipe network',
    metrics: [m('pressure', 'kPa', 0, 2_000, '管网压力', 'Pipe pressure', 60), m('flow', 'm³/h', 0, 20_000, '管网流量', 'Pipe flow', 60)],
  },
  energy: { nameZh: '能源负荷', nameEn: 'Energy', metrics: [m('load', 'kW', 0, 500_000, '用电负荷', 'Electrical load', 60)] },
  crowd: { nameZh: '人群密度', nameEn: 'Crowd', metrics: [m('density', 'persons/m²', 0, 10, '人群密度', 'Crowd density', 60)] },
  parking: { nameZh: '停车', nameEn: 'Parking', metrics: [m('occupancy', '%', 0, 100, '车位占用率', 'Parking occupancy', 120)] },
  tilt: { nameZh: '井盖/结构倾斜', nameEn: 'Manhole / structure tilt', metrics: [m('angle', '°', -90, 90, '倾斜角', 'Tilt angle', 300)] },
  smoke: { nameZh: '烟感', nameEn: 'Fire / smoke', metrics: [m('obscuration', '%/m', 0, 100, '烟雾遮光率', 'Smoke obscuration', 60)] },
  sos: { nameZh: '一键呼救', nameEn: 'Wearable SOS', metrics: [m('alert', '0/1', 0, 1, '呼救信号', 'SOS alert', 300)], retention: SOS_RETENTION },
};

/** Every class in SENSOR_CLASSES order, with its metrics (first metric is the default). */
export const SENSOR_CLASS_INFO: readonly SensorClassInfo[] = SENSOR_CLASSES.map((c) => {
  const t = TABLE[c];
  return {
    class: c,
    nameZh: t.nameZh,
    nameEn: t.nameEn,
    defaultMetric: t.metrics[0]!.metric,
    metrics: t.metrics.map((d) => ({ class: c, ...d })),
    retention: t.retention ?? STANDARD_RETENTION,
  };
});

/** All metric definitions of all classes. */
export const METRIC_DEFINITIONS: readonly MetricDefinition[] = SENSOR_CLASS_INFO.flatMap((i) => i.metrics);

const INFO = new Map<string, SensorClassInfo>(SENSOR_CLASS_INFO.map((i) => [i.class, i]));
const DEFS = new Map<string, MetricDefinition>(METRIC_DEFINITIONS.map((d) => [`${d.class}\u0000${d.metric}`, d]));

export function isSensorClass(v: unknown): v is SensorClass {
  return typeof v === 'string' && INFO.has(v);
}

export function classInfo(c: SensorClass): SensorClassInfo {
  return INFO.get(c)!;
}

/** The definition of one metric of a class; undefined when the class does not measure it. */
export function definitionFor(c: SensorClass, metric: string): MetricDefinition | undefined {
  return DEFS.get(`${c}\u0000${metric}`);
}

export function defaultMetric(c: SensorClass): MetricDefinition {
  return INFO.get(c)!.metrics[0]!;
}

export function metricsOf(c: SensorClass): readonly MetricDefinition[] {
  return INFO.get(c)!.metrics;
}

export function retentionFor(c: SensorClass): RetentionPolicy {
  return INFO.get(c)!.retention;
}
