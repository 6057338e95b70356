/**
 * The per-(rule, sensor) state machines of the stream engine, as small pure
 * steps: each takes the state, the reading and the rule's settings, updates the
 * state in place and says whether the alarm rises, clears or stays as it is.
 */

export type Change = 'raise' | 'clear' | null;

/** Threshold with a hold time and hysteresis. */
export interface HoldState {
  active: boolean;
  /** When the condition started holding (waiting out forS), else null. */
  since: number | null;
  /**
   * Re-armed after an operator cleared the alarm while the condition still held:
   * the next reading that still holds raises at once (it has held all along), once.
   */
  rearmed?: boolean;
}

export interface ThresholdSettings {
  op: '>' | '<';
  value: number;
  /** Level at which an active alarm clears (at or inside `value`). */
  clear: number;
  forMs: number;
}

/** Default hysteresis band: 5 % of the threshold's size, at least 1 % of the metric's range. */
export function defaultClear(op: '>' | '<', value: number, min: number, max: number): number {
  const band = Math.max(0.05 * Math.abs(value), 0.01 * (max - min));
  return op === '>' ? value - band : value + band;
}

export function stepThreshold(s: HoldState, c: ThresholdSettings, ts: number, v: number): Change {
  if (s.active) {
    if (c.op === '>' ? v <= c.clear : v >= c.clear) {
      s.active = false;
      s.since = null;
      return 'clear';
    }
    return null;
  }
  const holds = c.op === '>' ? v > c.value : v < c.value;
  if (!holds) {
    s.since = null;
    s.rearmed = false;
    return null;
  }
  if (s.since === null) s.since = ts;
  if (s.rearmed || ts - s.since >= c.forMs) {
    s.active = true;
    s.since = null;
    s.rearmed = false;
    return 'raise';
  }
  return null;
}

/**
 * An operator (or the closure of its city event) cleared the alarm this state
 * still holds raised: forget it, so a condition that still holds raises a new
 * alarm with the next reading — once, since that raise makes the state active again.
 * Answers whether there was anything to re-arm.
 */
export function rearmHold(s: HoldState): boolean {
  if (!s.active) return false;
  s.active = false;
  s.since = null;
  s.rearmed = true;
  return true;
}

export interface ActiveState {
  active: boolean;
}

/** Rate of change: raise past perMinute, clear once back under half of it (hysteresis against noise). */
export function stepRate(s: ActiveState, op: 'rise' | 'fall' | 'any', perMinute: number, rate: number | null): Change {
  if (rate === null) return null;
  const r = op === 'rise' ? rate : op === 'fall' ? -rate : Math.abs(rate);
  if (!s.active && r > perMinute) {
    s.active = true;
    return 'raise';
  }
  if (s.active && r < perMinute / 2) {
    s.active = false;
    return 'clear';
  }
  return null;
}

/** Missing data, checked by the periodic sweep; any reading clears it. */
export function stepMissing(s: ActiveState, silentMs: number, limitMs: number): Change {
  if (!s.active && silentMs > limitMs) {
    s.active = true;
    return 'raise';
  }
  return null;
}

/**
 * Learned-detector alarm: raise when the score stays high for `holdReadings`
 * readings in a row, clear after it has stayed low for a while. One high score
 * is not enough: over thousands of sensors reading every second, the tails of
 * plain noise would raise dozens of alarms a minute.
 */
export interface DetectorAlarmState {
  active: boolean;
  /** High scores in a row while not active. */
  run?: number;
  /** Since when the score has been below the clear level while active. */
  calmSince: number | null;
}

export interface DetectorAlarmSettings {
  raiseLevel: number;
  holdReadings: number;
  clearLevel: number;
  calmMs: number;
}

export function stepDetectorAlarm(s: DetectorAlarmState, c: DetectorAlarmSettings, ts: number, score: number): Change {
  if (!s.active) {
    s.run = score >= c.raiseLevel ? (s.run ?? 0) + 1 : 0;
    if (s.run >= c.holdReadings) {
      s.active = true;
      s.calmSince = null;
      s.run = 0;
      return 'raise';
    }
    return null;
  }
  if (score >= c.clearLevel) {
    s.calmSince = null;
    return null;
  }
  if (s.calmSince === null) s.calmSince = ts;
  if (ts - s.calmSince >= c.calmMs) {
    s.active = false;
    s.calmSince = null;
    return 'clear';
  }
  return null;
}

/** Compare a measure against a part's threshold. */
export const passes = (op: '>' | '<', x: number, value: number): boolean => (op === '>' ? x > value : x < value);
