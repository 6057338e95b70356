/**
 * Types of the learned streaming anomaly detectors (SPEC R2) and of the NAB
 * scoring method used to measure them.
 */

/** One reading of a series: epoch milliseconds and the value. */
export interface Reading {
  ts: number;
  value: number;
}

/** A streaming detector: one call per reading, in time order, score in [0, 1]. */
export interface StreamingDetector {
  update(ts: number, value: number): number;
}

/** NAB cost profile: the weight of a true positive, a false positive and a false negative. */
export interface NabProfile {
  name: string;
  tp: number;
  fp: number;
  fn: number;
}

/** A labelled series as the NAB scorer needs it: row timestamps and anomaly windows as [start, end] ms. */
export interface NabFile {
  name: string;
  timestamps: number[];
  windows: Array<[number, number]>;
}

/** Per-file result at a fixed threshold. */
export interface NabFileScore {
  name: string;
  score: number;
  tp: number;
  fn: number;
  fp: number;
  windows: number;
}
