/**
 * Faulty-sensor detection: a value outside the metric's physical range (or not
 * a number), an impossible jump for the class, or a value stuck for many
 * readings from a sensor that normally varies. A faulty sensor's readings stop
 * feeding rules and detectors until it recovers, so garbage raises one 'fault'
 * instead of a flood of alarms.
 */
import type { SensorClass } from '../../sensing/types.js';

export type FaultKind = 'stuck' | 'jump' | 'range';

export interface FaultProfile {
  /** Identical readings in a row that mean "stuck"; null: the class may legitimately stay flat (rain 0, SOS 0). */
  stuckAfter: number | null;
  /** Largest plausible change between two readings, as a share of the metric's range; null: any. */
  jumpShare: number | null;
}

/** Why these numbers: flat is normal for a dry rain gauge, a quiet smoke detector and an idle SOS button; the jump shares leave room for incidents (a burst main loses 75 % of its pressure at once). */
export const FAULT_PROFILES: Record<SensorClass, FaultProfile> = {
  traffic: { stuckAfter: 30, jumpShare: 0.6 },
  air_quality: { stuckAfter: 30, jumpShare: 0.5 },
  noise: { stuckAfter: 30, jumpShare: 0.6 },
  water_level: { stuckAfter: 30, jumpShare: 0.2 },
  rainfall: { stuckAfter: null, jumpShare: 0.6 },
  pipe: { stuckAfter: 30, jumpShare: 0.6 },
  energy: { stuckAfter: 30, jumpShare: 0.5 },
  crowd: { stuckAfter: 30, jumpShare: 0.6 },
  parking: { stuckAfter: 30, jumpShare: 0.8 },
  tilt: { stuckAfter: 30, jumpShare: 0.2 },
  smoke: { stuckAfter: null, jumpShare: null },
  sos: { stuckAfter: null, jumpShare: null },
};

/** Plausible readings in a row after a jump or range fault before the sensor counts as recovered. */
export const RECOVER_AFTER = 10;
/** EW rate of the share of readings that change (how "varying" the sensor normally is). */
const CHANGE_ALPHA = 0.02;
/** A sensor counts as normally varying when at least this share of its readings changed. */
const VARYING = 0.5;

export interface FaultState {
  faulty: FaultKind | null;
  n: number;
  last: number;
  /** Identical readings in a row (including the first of the run). */
  run: number;
  /** Share of changing readings (EW), and its value when the current run began. */
  changeEw: number;
  changeAtRun: number;
  /** Plausible readings since the last jump / range fault. */
  okRun: number;
}

export const newFaultState = (): FaultState => ({ faulty: null, n: 0, last: 0, run: 0, changeEw: 0, changeAtRun: 0, okRun: 0 });

export type FaultChange = { kind: 'fault'; fault: FaultKind } | { kind: 'recovered'; fault: FaultKind } | null;

/** One reading through the fault check; the caller skips the reading for rules while `s.faulty` is set. */
export function stepFault(s: FaultState, p: FaultProfile, min: number, max: number, v: number): FaultChange {
  const was = s.faulty;
  if (!Number.isFinite(v) || v < min || v > max) {
    s.okRun = 0;
    if (was) return null;
    s.faulty = 'range';
    return { kind: 'fault', fault: 'range' };
  }
  const first = s.n === 0;
  const changed = !first && v !== s.last;
  const jump = !first && p.jumpShare !== null && Math.abs(v - s.last) > p.jumpShare * (max - min);
  s.n++;
  s.last = v;
  if (jump) {
    s.okRun = 0;
    s.run = 1;
    if (was) return null;
    s.faulty = 'jump';
    return { kind: 'fault', fault: 'jump' };
  }
  if (changed || first) {
    s.run = 1;
    s.changeAtRun = s.changeEw;
  } else s.run++;
  if (!first) s.changeEw += CHANGE_ALPHA * ((changed ? 1 : 0) - s.changeEw);
  if (was === 'stuck') {
    if (!changed) return null;
    s.faulty = null;
    return { kind: 'recovered', fault: 'stuck' };
  }
  if (was) {
    if (++s.okRun < RECOVER_AFTER) return null;
    s.faulty = null;
    s.okRun = 0;
    return { kind: 'recovered', fault: was };
  }
  // A flat run at the bottom of the range is a legitimately empty road or square at night.
  if (p.stuckAfter !== null && s.run >= p.stuckAfter && s.n >= 2 * p.stuckAfter && s.changeAtRun >= VARYING && v > min) {
    s.faulty = 'stuck';
    return { kind: 'fault', fault: 'stuck' };
  }
  return null;
}
