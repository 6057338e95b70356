/**
 * Risk map scoring (SPEC R4), pure. Every active alarm, high anomaly score and
 * forecast warning becomes a contribution (a weight in 0..1 with its reason)
 * located by org path; an area's risk is the noisy-OR of the contributions in
 * its subtree, 1 − Π(1 − wᵢ): any single strong reason makes the area risky,
 * several weak ones add up, and the value never leaves 0..1.
 */
import type { Alarm, AreaRisk, RiskReason, Severity } from '../types.js';

export type RiskLevel = AreaRisk['level'];
export const RISK_LEVELS: readonly RiskLevel[] = ['district', 'street', 'grid'];

/** What an active alarm of each severity weighs (an acknowledged one still stands). */
export const ALARM_WEIGHT: Record<Severity, number> = { critical: 0.9, major: 0.6, minor: 0.35, warning: 0.15 };
/** A predicted crossing weighs less than one that happened. */
export const FORECAST_FACTOR = 0.6;
/** Anomaly scores below this are everyday noise; above it they weigh up to ANOMALY_MAX. */
export const ANOMALY_MIN = 0.6;
export const ANOMALY_MAX = 0.5;
/** Anomaly scores older than this no longer describe the present. */
export const ANOMALY_MAX_AGE_MS = 15 * 60_000;
/** Reasons kept per area, strongest first. */
export const MAX_REASONS = 5;

export interface Contribution extends RiskReason {
  orgPath: string;
}

export interface SensorPlace {
  orgPath: string | null;
}

export interface ScoreInputs {
  now: number;
  alarms: Alarm[];
  anomalies: Map<string, { score: number; at: number }>;
  warnings: Map<string, { severity: Severity; expectedAt: number; value: number }>;
  /** Where a sensor is (the directory); unknown sensors contribute nothing. */
  sensor(id: string): SensorPlace | undefined;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Turn the current inputs into located, weighted reasons. */
export function contributions(i: ScoreInputs): Contribution[] {
  const out: Contribution[] = [];
  for (const a of i.alarms) {
    const orgPath = a.orgPath ?? i.sensor(a.sourceId)?.orgPath ?? null;
    if (!orgPath) continue;
    out.push({
      kind: 'alarm', orgPath, weight: ALARM_WEIGHT[a.severity], ref: a.id,
      messageZh: `${severityZh[a.severity]}告警：${a.messageZh}`, messageEn: `${a.severity} alarm: ${a.messageEn}`,
    });
  }
  for (const [id, s] of i.anomalies) {
    if (!(s.score >= ANOMALY_MIN) || s.at < i.now - ANOMALY_MAX_AGE_MS) continue;
    const orgPath = i.sensor(id)?.orgPath;
    if (!orgPath) continue;
    const weight = ANOMALY_MAX * Math.min(1, (s.score - ANOMALY_MIN) / (1 - ANOMALY_MIN) * 0.5 + 0.5);
    out.push({ kind: 'anomaly', orgPath, weight, ref: id, messageZh: `传感器 ${id} 读数异常（异常分 ${s.score.toFixed(2)}）`, messageEn: `Unusual readings at sensor ${id} (anomaly score ${s.score.toFixed(2)})` });
  }
  for (const [id, w] of i.warnings) {
    const orgPath = i.sensor(id)?.orgPath;
    if (!orgPath) continue;
    const inMin = Math.max(0, Math.round((w.expectedAt - i.now) / 60_000));
    out.push({
      kind: 'forecast', orgPath, weight: ALARM_WEIGHT[w.severity] * FORECAST_FACTOR, ref: id,
      messageZh: `预测 ${inMin} 分钟后传感器 ${id} 达到${severityZh[w.severity]}阈值（${w.value}）`,
      messageEn: `Sensor ${id} forecast to reach its ${w.severity} threshold (${w.value}) in ${inMin} min`,
    });
  }
  return out;
}

const severityZh: Record<Severity, string> = { critical: '严重', major: '重要', minor: '次要', warning: '提示' };

/** The unit ids on an org path, root first ("/c/d/s/g/" → [c, d, s, g]). */
export const pathIds = (orgPath: string): string[] => orgPath.split('/').filter(Boolean);

/**
 * Risk of every area of one level that has any contribution in its subtree
 * (areas not listed have risk 0). `levelOf` says which unit ids are of which level.
 */
export function scoreAreas(cs: Contribution[], level: RiskLevel, levelOf: (unitId: string) => RiskLevel | 'city' | undefined): AreaRisk[] {
  const acc = new Map<string, { keep: number; reasons: RiskReason[] }>();
  for (const c of cs) {
    if (!(c.weight > 0)) continue;
    for (const id of pathIds(c.orgPath)) {
      if (levelOf(id) !== level) continue;
      const a = acc.get(id) ?? { keep: 1, reasons: [] };
      a.keep *= 1 - Math.min(1, c.weight);
      a.reasons.push({ kind: c.kind, weight: round(c.weight), messageZh: c.messageZh, messageEn: c.messageEn, ref: c.ref });
      acc.set(id, a);
    }
  }
  const out: AreaRisk[] = [];
  for (const [orgUnitId, a] of acc) {
    const reasons = a.reasons.sort((x, y) => y.weight - x.weight || x.ref.localeCompare(y.ref)).slice(0, MAX_REASONS);
    out.push({ orgUnitId, level, value: round(1 - a.keep), reasons });
  }
  return out.sort((x, y) => y.value - x.value || x.orgUnitId.localeCompare(y.orgUnitId));
}
