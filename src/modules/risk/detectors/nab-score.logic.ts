/**
 * The NAB scoring method (as described in ../shared/data/README.md): probation
 * period, scaled sigmoid, earliest detection per window, false positives
 * weighted by their distance after the preceding window, three cost profiles,
 * null/perfect normalisation and one corpus-wide threshold per profile.
 */
import type { NabFile, NabFileScore, NabProfile } from './types.js';

export const PROFILES: Record<'standard' | 'reward_low_FP' | 'reward_low_FN', NabProfile> = {
  standard: { name: 'standard', tp: 1, fp: 0.11, fn: 1 },
  reward_low_FP: { name: 'reward_low_FP', tp: 1, fp: 0.22, fn: 1 },
  reward_low_FN: { name: 'reward_low_FN', tp: 1, fp: 0.11, fn: 2 },
};

/** f(y) = 2·sigmoid(−5y) − 1, and −1 beyond y = 3. */
export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

const F_START = scaledSigmoid(-1);

/** Rows before this index are the probation period and are not scored. */
export function probationLength(n: number): number {
  return Math.min(Math.floor(0.15 * n), 750);
}

/**
 * A row's role once labelled: inside window `win` (with its relative position
 * y), or outside every window (with y after the preceding window, or none).
 */
export interface RowLabel {
  /** Window index, or −1 when the row is outside every window. */
  win: number;
  /** y of the scaled sigmoid; NaN outside windows with no preceding window. */
  y: number;
}

/** Labels every row of a file (window index and y). Windows are given in ms, inclusive. */
export function labelRows(file: NabFile): RowLabel[] {
  const ts = file.timestamps;
  const spans: Array<[number, number]> = [];
  for (const [s, e] of file.windows) {
    let a = -1;
    let b = -1;
    for (let i = 0; i < ts.length; i++) {
      if (ts[i]! >= s && ts[i]! <= e) {
        if (a < 0) a = i;
        b = i;
      }
    }
    if (a >= 0) spans.push([a, b]);
  }
  spans.sort((p, q) => p[0] - q[0]);
  const out: RowLabel[] = new Array<RowLabel>(ts.length);
  let prev = -1;
  let k = 0;
  for (let i = 0; i < ts.length; i++) {
    while (k < spans.length && spans[k]![1] < i) {
      prev = k;
      k++;
    }
    const cur = spans[k];
    if (cur && i >= cur[0] && i <= cur[1]) {
      const w = cur[1] - cur[0] + 1;
      out[i] = { win: k, y: -(cur[1] - i + 1) / w };
    } else if (prev >= 0) {
      const [pa, pb] = spans[prev]!;
      const w = pb - pa + 1;
      out[i] = { win: -1, y: w > 1 ? (i - pb) / (w - 1) : Infinity };
    } else {
      out[i] = { win: -1, y: NaN };
    }
  }
  return out;
}

/** Number of windows that cover at least one row. */
export function windowCount(labels: RowLabel[]): number {
  let m = -1;
  for (const l of labels) if (l.win > m) m = l.win;
  return m + 1;
}

/** Contribution of a false positive at a row outside every window. */
function fpValue(p: NabProfile, y: number): number {
  return Number.isNaN(y) ? -p.fp : p.fp * scaledSigmoid(y);
}

/** Scores one file at a threshold: detections are rows (after probation) with score ≥ threshold. */
export function scoreFile(file: NabFile, scores: ArrayLike<number>, threshold: number, p: NabProfile): NabFileScore {
  const labels = labelRows(file);
  const nWin = windowCount(labels);
  const best = new Array<number>(nWin).fill(NaN);
  const start = probationLength(labels.length);
  let fpSum = 0;
  let fpCount = 0;
  for (let i = start; i < labels.length; i++) {
    if (!(scores[i]! >= threshold)) continue;
    const l = labels[i]!;
    if (l.win >= 0) {
      if (Number.isNaN(best[l.win]!)) best[l.win] = (p.tp * scaledSigmoid(l.y)) / F_START;
    } else {
      fpSum += fpValue(p, l.y);
      fpCount++;
    }
  }
  let tp = 0;
  let total = fpSum;
  for (const b of best) {
    if (Number.isNaN(b)) total -= p.fn;
    else {
      total += b;
      tp++;
    }
  }
  return { name: file.name, score: total, tp, fn: nWin - tp, fp: fpCount, windows: nWin };
}

/** Corpus totals of the null detector (never detects) and the perfect one (detects at every window's start). */
export function nullAndPerfect(totalWindows: number, p: NabProfile): { nullScore: number; perfect: number } {
  return { nullScore: -p.fn * totalWindows, perfect: p.tp * totalWindows };
}

export function normalise(score: number, nullScore: number, perfect: number): number {
  return perfect === nullScore ? 0 : (100 * (score - nullScore)) / (perfect - nullScore);
}

/** One scored row of the corpus, for the threshold sweep. */
interface SweepPoint {
  score: number;
  /** Global window id, or −1 for a false positive. */
  win: number;
  /** TP value if in a window, else the (negative) FP value. */
  value: number;
}

/**
 * Finds the single corpus-wide threshold that maximises the total score for
 * a profile, sweeping every distinct score value from high to low. Because f
 * decreases along a window, a window's earliest detection is also its best,
 * so each window scores the max over its detected rows.
 */
export function optimiseThreshold(
  files: Array<{ file: NabFile; scores: ArrayLike<number> }>,
  p: NabProfile,
): { threshold: number; score: number; normalised: number; nullScore: number; perfect: number } {
  const points: SweepPoint[] = [];
  let winBase = 0;
  for (const { file, scores } of files) {
    const labels = labelRows(file);
    const start = probationLength(labels.length);
    for (let i = start; i < labels.length; i++) {
      const l = labels[i]!;
      const s = scores[i]!;
      if (l.win >= 0) points.push({ score: s, win: winBase + l.win, value: (p.tp * scaledSigmoid(l.y)) / F_START });
      else points.push({ score: s, win: -1, value: fpValue(p, l.y) });
    }
    winBase += windowCount(labels);
  }
  const { nullScore, perfect } = nullAndPerfect(winBase, p);
  points.sort((a, b) => b.score - a.score);
  const best = new Array<number>(winBase).fill(NaN);
  let total = nullScore;
  let bestTotal = nullScore;
  let bestThreshold = 1.0000001;
  for (let i = 0; i < points.length; ) {
    const s = points[i]!.score;
    for (; i < points.length && points[i]!.score === s; i++) {
      const pt = points[i]!;
      if (pt.win < 0) total += pt.value;
      else {
        const old = best[pt.win]!;
        if (Number.isNaN(old)) {
          best[pt.win] = pt.value;
          total += pt.value + p.fn;
        } else if (pt.value > old) {
          best[pt.win] = pt.value;
          total += pt.value - old;
        }
      }
    }
    if (total > bestTotal + 1e-12) {
      bestTotal = total;
      bestThreshold = s;
    }
  }
  return { threshold: bestThreshold, score: bestTotal, normalised: normalise(bestTotal, nullScore, perfect), nullScore, perfect };
}
