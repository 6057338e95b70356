/**
 * A sliding time window kept as a fixed ring of buckets: constant memory and
 * constant work per reading, whatever the reading rate. It answers the three
 * windowed measures of the rules: the change over the window (rise, and the
 * rate of change per minute) and the time integral over the window ('sum':
 * value × hours, so a mm/h rain gauge gives the millimetres fallen).
 */

/** Buckets per window: the window's edge is accurate to 1/BUCKETS of its length. */
export const BUCKETS = 12;

/** JSON-safe state of one window. */
export interface WindowState {
  windowMs: number;
  /** Per bucket: its number (floor(ts / bucketMs)), -1 when empty. */
  idx: number[];
  /** First value and its time in each bucket. */
  first: number[];
  firstTs: number[];
  /** Integral (value × hours) accumulated in each bucket. */
  sum: number[];
  lastTs: number;
  lastV: number;
}

export function newWindow(windowMs: number): WindowState {
  return { windowMs, idx: new Array<number>(BUCKETS).fill(-1), first: new Array<number>(BUCKETS).fill(0), firstTs: new Array<number>(BUCKETS).fill(0), sum: new Array<number>(BUCKETS).fill(0), lastTs: -1, lastV: 0 };
}

/**
 * Adds a reading (in time order; older ones are ignored). `gapCapMs` bounds the
 * time one reading stands for in the integral, so a silence is not filled in.
 */
export function addToWindow(w: WindowState, ts: number, v: number, gapCapMs: number): void {
  if (ts < w.lastTs) return;
  const bucketMs = w.windowMs / BUCKETS;
  const b = Math.floor(ts / bucketMs);
  const pos = b % BUCKETS;
  if (w.idx[pos] !== b) {
    w.idx[pos] = b;
    w.first[pos] = v;
    w.firstTs[pos] = ts;
    w.sum[pos] = 0;
  }
  if (w.lastTs >= 0) w.sum[pos]! += (v * Math.min(ts - w.lastTs, gapCapMs)) / 3_600_000;
  w.lastTs = ts;
  w.lastV = v;
}

/** The oldest bucket still inside the window ending at the last reading, or -1. */
function oldest(w: WindowState): number {
  if (w.lastTs < 0) return -1;
  const b = Math.floor(w.lastTs / (w.windowMs / BUCKETS));
  let best = -1;
  for (let i = 0; i < BUCKETS; i++) {
    const x = w.idx[i]!;
    if (x > b - BUCKETS && x <= b && (best < 0 || x < w.idx[best]!)) best = i;
  }
  return best;
}

/** Integral over the window (value × hours). */
export function windowSum(w: WindowState): number {
  if (w.lastTs < 0) return 0;
  const b = Math.floor(w.lastTs / (w.windowMs / BUCKETS));
  let s = 0;
  for (let i = 0; i < BUCKETS; i++) {
    const x = w.idx[i]!;
    if (x > b - BUCKETS && x <= b) s += w.sum[i]!;
  }
  return s;
}

/** Last value minus the first value in the window (0 with no data). */
export function windowRise(w: WindowState): number {
  const o = oldest(w);
  return o < 0 ? 0 : w.lastV - w.first[o]!;
}

/**
 * Change per minute over the window, or null until the data spans at least
 * `minSpanShare` of it (two noisy readings a second apart say nothing about a trend).
 */
export function windowRatePerMin(w: WindowState, minSpanShare = 0.25): number | null {
  const o = oldest(w);
  if (o < 0) return null;
  const span = w.lastTs - w.firstTs[o]!;
  if (span <= 0 || span < w.windowMs * minSpanShare) return null;
  return ((w.lastV - w.first[o]!) * 60_000) / span;
}
