/**
 * The CityOps streaming anomaly detector (SPEC R2): per sensor, O(1) work and
 * bounded memory (~250 numbers, a few KB as JSON) per reading, only the past,
 * score in [0, 1].
 *
 * Two kinds of evidence, the score being the stronger:
 *  - surprise: a robust z of the value against slow EW statistics — replaced
 *    by the z of the residual against a learned time-of-day or time-of-week
 *    profile once that profile explains the series clearly better — mixed with
 *    a robust z of the first difference, then calibrated like Numenta's anomaly
 *    likelihood (its short-term average against its own long-run
 *    distribution), so one threshold means the same rarity on every series;
 *  - new range: a reading beyond the RECENT range (a sliding history of at
 *    least 4 weeks and 4000 readings), widened by a tolerance (the "spatial
 *    anomaly" of Numenta's NAB detector); old extremes such as an early glitch
 *    age out instead of blinding the rule for ever.
 * The output is quantised into a few levels, like the log-likelihood NAB's
 * own detectors pass on: weak evidence 0.9, a confident detection 0.999, a
 * new range 1, anything less below 0.5. Any threshold in (0.9, 0.999] thus
 * gives the same detections (a broad plateau, not a knife edge that moves
 * between corpora); the rarity at which a detection happens is fixed here, by
 * the likelihood z cut points, chosen on half of the NAB files.
 * After an output at a level, outputs up to that level are damped for a while
 * (only the earliest detection of an anomaly counts; repeats are false alarms).
 * The whole state exports to JSON (toJSON / CityDetector.fromJSON) so a live
 * per-sensor detector can be checkpointed and resumed exactly.
 */
import { Likelihood, RecentRange, RobustEw, SeasonalProfile, type LikelihoodState, type RangeState, type RobustEwState, type SeasonalState } from './stats.logic.js';
import type { StreamingDetector } from './types.js';

const DAY = 86_400_000;

export interface DetectorOptions {
  /** Readings averaged for the short-term evidence. */
  shortWindow: number;
  /** EW rate of the long-run distribution of the evidence. */
  longAlpha: number;
  /** Readings damped after an output at a level. */
  refractory: number;
  /** Lowest output that starts a damped period (outputs below it are never damped). */
  fireLevel: number;
  /** Factor applied to the score while damped. */
  damp: number;
  /** EW rate of the value's location and spread. */
  levelAlpha: number;
  /** EW rate of the first difference's and the seasonal residuals' spread. */
  diffAlpha: number;
  /** Weight of the first-difference z in the evidence (the value z gets the rest). */
  diffWeight: number;
  /** z at which the evidence reaches 1 − 1/e. */
  zScale: number;
  /** A seasonal profile replaces the plain level only if its residual spread is below this share of the level's. */
  seasonalGain: number;
  /** Readings learned before any score above 0 (the statistics are unreliable before). */
  warmup: number;
  /** A reading beyond the recent range, widened by this share of it, scores 1 (0 turns this off). */
  rangeTol: number;
  /** The recent range covers at least this long (ms) and at least rangeReadings readings, in rangeBlocks blocks. */
  rangeMs: number;
  rangeReadings: number;
  rangeBlocks: number;
  /** Likelihood z cut points (ascending) of the output levels; a z at or above zLevels[k] outputs outLevels[k]. */
  zLevels: number[];
  outLevels: number[];
  /** Below the first level the output is this share of the likelihood (kept under every level). */
  belowScale: number;
  /** While damped, only an output at or above this level (and above the damped period's peak) passes undamped. */
  escalateLevel: number;
}

/**
 * Defaults: the surprise part as before and the z cut points (chosen on half A
 * of the NAB files only, see bench/nab.ts: confident z 2.9 sits mid-plateau of
 * 2.8–2.95; a likelihood of 0.998), the 5 % range tolerance of Numenta's
 * published detector, and a recent range long enough to hold weekly cycles.
 */
export const DEFAULT_OPTIONS: DetectorOptions = {
  shortWindow: 24,
  longAlpha: 0.001,
  refractory: 100,
  fireLevel: 0.9,
  damp: 0.5,
  levelAlpha: 0.005,
  diffAlpha: 0.01,
  diffWeight: 0.5,
  zScale: 4,
  seasonalGain: 0.5,
  warmup: 100,
  rangeTol: 0.05,
  rangeMs: 28 * DAY,
  rangeReadings: 4000,
  rangeBlocks: 8,
  zLevels: [2.5, 2.9],
  outLevels: [0.9, 0.999],
  belowScale: 0.5,
  escalateLevel: 0,
};

/** Serialisable state of one detector (JSON-safe plain data). */
export interface DetectorState {
  version: 2;
  options: DetectorOptions;
  n: number;
  prev: number | null;
  quiet: number;
  /** Highest output level emitted in the current damped period. */
  peak: number;
  range: RangeState;
  level: RobustEwState;
  diff: RobustEwState;
  seasons: SeasonalState[];
  likelihood: LikelihoodState;
}

/** The version-1 state (unbounded range): still restorable, its range becomes one block of the recent range. */
interface DetectorStateV1 extends Omit<DetectorState, 'version' | 'peak' | 'range'> {
  version: 1;
  lo: number | null;
  hi: number | null;
}

export class CityDetector implements StreamingDetector {
  private readonly level: RobustEw;
  private readonly diff: RobustEw;
  private readonly seasons: SeasonalProfile[];
  private readonly lik: Likelihood;
  private readonly range: RecentRange;
  private prev = NaN;
  private quiet = 0;
  private peak = 0;
  private n = 0;

  constructor(private readonly opt: DetectorOptions = DEFAULT_OPTIONS) {
    const up = (a: number[]) => a.every((x, i) => i === 0 || x > a[i - 1]!);
    if (opt.zLevels.length !== opt.outLevels.length || !up(opt.zLevels) || !up(opt.outLevels)) {
      throw new Error('detector options: zLevels and outLevels must be ascending and of the same length');
    }
    this.level = new RobustEw(opt.levelAlpha);
    this.diff = new RobustEw(opt.diffAlpha);
    this.seasons = [new SeasonalProfile(48, DAY, opt.diffAlpha), new SeasonalProfile(168, 7 * DAY, opt.diffAlpha)];
    this.lik = new Likelihood(opt.shortWindow, opt.longAlpha, opt.warmup);
    this.range = new RecentRange(opt.rangeBlocks, opt.rangeMs / opt.rangeBlocks, Math.ceil(opt.rangeReadings / opt.rangeBlocks));
  }

  /** Scores one reading (before learning from it). Non-finite values score 0 and are not learned. */
  update(ts: number, value: number): number {
    if (!Number.isFinite(value) || !Number.isFinite(ts)) return 0;
    const o = this.opt;
    const floor = 1e-9 + 1e-6 * Math.abs(this.level.mean);
    let zLevel = this.level.z(value, floor);
    let bestDev = o.seasonalGain * this.level.dev;
    for (const p of this.seasons) {
      const r = p.residual(ts, value);
      if (!Number.isNaN(r) && p.resid.n > 50 && p.resid.dev < bestDev) {
        bestDev = p.resid.dev;
        zLevel = p.resid.z(r, floor);
      }
    }
    const d = Number.isNaN(this.prev) ? 0 : value - this.prev;
    const zDiff = this.diff.z(d, floor);
    const z = o.diffWeight * zDiff + (1 - o.diffWeight) * zLevel;
    const lik = this.lik.update(1 - Math.exp(-z / o.zScale));
    let score = o.belowScale * lik;
    for (let k = 0; k < o.zLevels.length; k++) if (this.lik.z >= o.zLevels[k]!) score = o.outLevels[k]!;
    if (o.rangeTol > 0 && this.n >= o.warmup && this.range.outside(value, o.rangeTol)) score = 1;
    // Learn only after scoring, so a score depends on the past alone.
    this.range.update(ts, value);
    this.level.update(value);
    if (!Number.isNaN(this.prev)) this.diff.update(d);
    for (const p of this.seasons) p.update(ts, value);
    this.prev = value;
    this.n++;
    return this.damped(score);
  }

  /**
   * Only the earliest detection of an anomaly counts, so after an output at a
   * level, outputs up to that level are damped for `refractory` readings, and
   * only stronger evidence passes. Because outputs are a few discrete levels,
   * this holds for any threshold: a damped period gives at most one detection
   * per level at or above the threshold (one at 0.999 < t ≤ 1, two at 0.9 < t ≤ 0.999).
   */
  private damped(score: number): number {
    const o = this.opt;
    if (this.quiet > 0) {
      this.quiet--;
      if (this.quiet === 0) this.peak = 0;
    }
    if (score < o.fireLevel) return score;
    if (this.quiet > 0 && (score <= this.peak || score < o.escalateLevel)) return score * o.damp;
    this.peak = score;
    this.quiet = o.refractory;
    return score;
  }

  /** The whole learned state as JSON-safe data, for checkpointing a live sensor's detector. */
  toJSON(): DetectorState {
    return {
      version: 2,
      options: { ...this.opt, zLevels: [...this.opt.zLevels], outLevels: [...this.opt.outLevels] },
      n: this.n,
      prev: Number.isFinite(this.prev) ? this.prev : null,
      quiet: this.quiet,
      peak: this.peak,
      range: this.range.toJSON(),
      level: this.level.toJSON(),
      diff: this.diff.toJSON(),
      seasons: this.seasons.map((s) => s.toJSON()),
      likelihood: this.lik.toJSON(),
    };
  }

  /** Rebuilds a detector from toJSON() output (also after a JSON round trip); it then scores exactly as the original would. */
  static fromJSON(s: DetectorState | DetectorStateV1): CityDetector {
    if (s?.version !== 1 && s?.version !== 2) throw new Error('unsupported detector state: expected version 1 or 2');
    // A version-1 state's fireLevel (0.998) was a score on the old continuous scale; the levels replace it.
    const d = new CityDetector({ ...DEFAULT_OPTIONS, ...s.options, ...(s.version === 1 ? { fireLevel: DEFAULT_OPTIONS.fireLevel } : {}) });
    d.n = s.n;
    d.prev = s.prev ?? NaN;
    d.quiet = s.quiet;
    if (s.version === 2) {
      d.peak = s.peak;
      d.range.load(s.range);
    } else {
      d.peak = s.quiet > 0 ? 1 : 0;
      if (s.lo !== null && s.hi !== null) d.range.load({ lo: [s.lo], hi: [s.hi], curLo: null, curHi: null, start: null, count: 0 });
    }
    d.level.load(s.level);
    d.diff.load(s.diff);
    s.seasons.forEach((x, i) => d.seasons[i]!.load(x));
    d.lik.load(s.likelihood);
    return d;
  }
}

export function createDetector(opt?: Partial<DetectorOptions>): CityDetector {
  return new CityDetector({ ...DEFAULT_OPTIONS, ...opt });
}
