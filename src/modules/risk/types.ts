/**
 * Risk warning (SPEC R1–R4): rules, the signals the stream engines send to
 * the alarm service, alarms and their lifecycle, forecasts, the risk map, and
 * the module's domain events. The seams between the parts of the module are
 * the small interfaces at the bottom (AlarmSink, RuleThresholds, RiskInputs).
 */
import type { Point } from '../../platform/geo/index.js';
import type { SensorClass } from '../sensing/types.js';

/** Most severe first. */
export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

// ───────────────────────────── Rules (R1) ─────────────────────────────

/** What a rule watches: every sensor of a class (optionally one metric of it, e.g. traffic speed), one sensor, or a class within an org unit's subtree. */
export type RuleScope =
  | { kind: 'class'; class: SensorClass; metric?: string }
  | { kind: 'sensor'; sensorId: string }
  | { kind: 'area'; orgUnitId: string; class: SensorClass; metric?: string };

/** A number, or the watched sensor's own registry threshold. */
export type ThresholdValue = number | 'sensor.warn' | 'sensor.alarm';

export type RuleCondition =
  /** Raise when value op `value` holds for `forS` seconds; clear when it falls back past `clear` (hysteresis). */
  | { type: 'threshold'; op: '>' | '<'; value: ThresholdValue; clear?: number; forS?: number }
  /** Raise when the value changes faster than `perMinute` (absolute units/min) over `windowS`. */
  | { type: 'rate'; op: 'rise' | 'fall' | 'any'; perMinute: number; windowS: number }
  /** Raise when a sensor sends nothing for `factor` × its expected interval. */
  | { type: 'missing'; factor: number }
  /**
   * Raise when the value stays below `percent` % of the sensor's own usual level for `forS`
   * seconds; clear once it is back above `clearPercent` % (default percent + 20, at most 100).
   * Usual = a slow average of the sensor's readings with time constant `learnS` (default 1800),
   * kept per sensor by the engine; so one rule fits fast and slow roads alike.
   */
  | { type: 'belowUsual'; percent: number; clearPercent?: number; forS?: number; learnS?: number }
  /**
   * All parts must hold at once, each on a sensor within `withinM` metres of the
   * watched sensor (the scope's sensor is the anchor), e.g. rainfall in the last
   * hour over X AND water level rising at a nearby underpass.
   */
  | { type: 'compound'; withinM: number; all: CompoundPart[] };

export interface CompoundPart {
  class: SensorClass;
  /** Only sensors of this metric of the class (e.g. pipe 'pressure'); all when absent. */
  metric?: string;
  /**
   * 'sum' over windowS = the time integral, value × hours (a mm/h rain gauge gives the
   * millimetres fallen in the window), 'last' value, or 'rise' = change over windowS.
   */
  measure: 'last' | 'sum' | 'rise';
  windowS?: number;
  op: '>' | '<';
  value: number;
}

export interface RuleInput {
  name: string;
  /** zh-CN / en-US texts shown on the alarm; {value} {sensor} are filled in. */
  messageZh?: string;
  messageEn?: string;
  scope: RuleScope;
  condition: RuleCondition;
  severity: Severity;
  /** Open a city event when this rule's alarm is at least this severe (null: never). */
  openEvent: { minSeverity: Severity; category: string } | null;
  enabled: boolean;
}

export interface Rule extends RuleInput {
  id: string;
  /** Bumped on every edit; alarms record the version that raised them. */
  version: number;
  createdAt: number;
  updatedAt: number;
  updatedBy: string;
}

// ───────────────────────────── Signals ─────────────────────────────

export type SignalSource = 'rule' | 'detector' | 'forecast' | 'fault';

/** What the stream engines (rules, detectors, forecasts) tell the alarm service. */
export interface AlarmSignal {
  kind: 'raise' | 'clear';
  source: SignalSource;
  /** The rule (or 'detector:anomaly', 'fault:stuck' …) that spoke. */
  ruleId: string;
  ruleVersion: number;
  /** Sensor id (or area id for area-wide signals). */
  sourceId: string;
  severity: Severity;
  at: number;
  value: number | null;
  /** i18n-ready: the zh-CN and en-US texts. */
  messageZh: string;
  messageEn: string;
  location: Point | null;
  orgPath: string | null;
  sensorClass: SensorClass | null;
  openEvent: { minSeverity: Severity; category: string } | null;
  /** For forecast warnings: when the crossing is predicted. */
  expectedAt?: number;
  /** The watched sensor's owner department (handlers may act on their department's alarms only). */
  department?: string | null;
}

export interface AlarmSink {
  signal(s: AlarmSignal): void;
}

// ───────────────────────────── Alarms (R3) ─────────────────────────────

/** active-unacknowledged → acknowledged → cleared (cleared-unacknowledged when it clears first). */
export const ALARM_STATES = ['active_unack', 'active_ack', 'cleared_unack', 'cleared'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export interface AlarmNote {
  at: number;
  by: string;
  text: string;
}

export interface Alarm {
  id: string;
  state: AlarmState;
  severity: Severity;
  source: SignalSource;
  ruleId: string;
  ruleVersion: number;
  sourceId: string;
  sensorClass: SensorClass | null;
  messageZh: string;
  messageEn: string;
  location: Point | null;
  orgPath: string | null;
  raisedAt: number;
  lastAt: number;
  /** Repeats of the same source + rule while active. */
  count: number;
  lastValue: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  clearedAt: number | null;
  clearedBy: string | null;
  /** Flood control: the incident (alarm storm in one area) this alarm was collapsed into. */
  incidentId: string | null;
  /** The city event opened for this alarm, if any. */
  eventId: string | null;
  /** When a city event was requested for it (once per alarm). */
  eventRequestedAt: number | null;
  /** Owner department of the source sensor (from the signal), for handlers' scope. */
  department: string | null;
  notes: AlarmNote[];
  version: number;
}

/** A storm of alarms in one area collapsed into one (flood control). */
export interface AlarmIncident {
  id: string;
  orgPath: string;
  openedAt: number;
  lastAt: number;
  members: number;
  severity: Severity;
  closedAt: number | null;
  /** Members still active; the incident closes when none is. */
  activeMembers: number;
}

// ───────────────────────────── Forecasts (R2) ─────────────────────────────

export interface ForecastPoint {
  /** Minutes ahead. */
  horizonMin: number;
  at: number;
  value: number;
  /** Prediction interval (e.g. 80 %). */
  lower: number;
  upper: number;
}

export interface SensorForecast {
  sensorId: string;
  sensorClass: SensorClass;
  metric: string;
  madeAt: number;
  points: ForecastPoint[];
}

// ───────────────────────────── Risk map (R4) ─────────────────────────────

export interface RiskReason {
  kind: 'alarm' | 'anomaly' | 'forecast';
  /** Contribution to the value, 0..1. */
  weight: number;
  messageZh: string;
  messageEn: string;
  ref: string;
}

export interface AreaRisk {
  orgUnitId: string;
  level: 'district' | 'street' | 'grid';
  /** 0..1 */
  value: number;
  reasons: RiskReason[];
}

// ───────────────────────────── Seams ─────────────────────────────

/** Thresholds the rules apply to a sensor (the forecaster warns when a forecast crosses one). */
export interface RuleThreshold {
  ruleId: string;
  ruleVersion: number;
  op: '>' | '<';
  value: number;
  severity: Severity;
  messageZh: string;
  messageEn: string;
  openEvent: RuleInput['openEvent'];
}
export interface RuleThresholds {
  forSensor(sensorId: string): RuleThreshold[];
}

/** What the risk map reads from the other parts (all in memory). */
export interface RiskInputs {
  activeAlarms(): Alarm[];
  /** Latest anomaly score per sensor id (0..1). */
  anomalyScores(): Map<string, { score: number; at: number }>;
  /** Latest forecasts that cross a threshold, per sensor id. */
  forecastWarnings(): Map<string, { severity: Severity; expectedAt: number; value: number }>;
}

// ───────────────────────────── Domain events ─────────────────────────────

export interface AlarmChangedPayload {
  alarmId: string;
  state: AlarmState;
  severity: Severity;
  ruleId: string;
  sourceId: string;
  orgPath: string | null;
  count: number;
  /** Set when flood control collapsed the alarm into an incident (notify the incident, not each member). */
  incidentId?: string | null;
  /**
   * On AlarmCleared: an operator (or the closure of its city event) ended an alarm that its source
   * still held raised. The stream engines re-arm that (rule, sensor): a condition that still holds
   * raises a new alarm on the next reading.
   */
  manual?: boolean;
}

/** Asks the events module to open a city event for an alarm (it owns events). */
export interface AlarmEventRequestedPayload {
  alarmId: string;
  category: string;
  urgent: boolean;
  text: string;
  location: Point | null;
}

/** The events module tells which event it opened for an alarm. */
export interface AlarmEventOpenedPayload {
  alarmId: string;
  eventId: string;
  trackingCode: string;
}

declare module '../../platform/bus/types.js' {
  interface DomainEventMap {
    AlarmRaised: AlarmChangedPayload;
    AlarmUpdated: AlarmChangedPayload;
    AlarmAcknowledged: AlarmChangedPayload;
    AlarmCleared: AlarmChangedPayload;
    AlarmEventRequested: AlarmEventRequestedPayload;
    AlarmEventOpened: AlarmEventOpenedPayload;
  }
}
