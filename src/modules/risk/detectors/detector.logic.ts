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
 *  - new range: a reading beyond the range seen so far, widened by a tolerance
 *    (the "spatial anomaly" of Numenta's NAB detector), scores 1.
 * After a confident detection the output is damped for a while, because only
 * the earliest detection of an anomaly counts and repeats are false alarms.
 * The whole state exports to JSON (toJSON / CityDetector.fromJSON) so a live
 * per-sensor detector can be checkpointed and resumed exactly.
 */
import { Likelihood, RobustEw, SeasonalProfile, type LikelihoodState, type RobustEwState, type SeasonalState } from './stats.logic.js';
import type { StreamingDetector } from './types.js';

const DAY = 86_400_000;

export interface DetectorOptions {
  /** Readings averaged for the short-term evidence. */
  shortWindow: number;
  /** EW rate of the long-run distribution of the evidence. */
  longAlpha: number;
  /** Readings damped after a detection. */
  refractory: number;
  /** Score that counts as a detection for damping. */
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
  /** A reading beyond the range seen so far, widened by this share of it, scores 1 (0 turns this off). */
  rangeTol: number;
}

/**
 * Defaults: the surprise part as before (chosen on half of the NAB files, see
 * bench/nab.ts), and the 5 % range tolerance of Numenta's published detector.
 */
export const DEFAULT_OPTIONS: DetectorOptions = {
  shortWindow: 24,
  longAlpha: 0.001,
  refractory: 100,
  fireLevel: 0.998,
  damp: 0.5,
  levelAlpha: 0.005,
  diffAlpha: 0.01,
  diffWeight: 0.5,
  zScale: 4,
  seasonalGain: 0.5,
  warmup: 100,
  rangeTol: 0.05,
};

/** Serialisable state of one detector (JSON-safe plain data). */
export interface DetectorState {
  version: 1;
  options: DetectorOptions;
  n: number;
  prev: number | null;
  quiet: number;
  lo: number | null;
  hi: number | null;
  level: RobustEwState;
  diff: RobustEwState;
  seasons: SeasonalState[];
  likelihood: LikelihoodState;
}

export class CityDetector implements StreamingDetector {
  private readonly level: RobustEw;
  private readonly diff: RobustEw;
  private readonly seasons: SeasonalProfile[];
  private readonly lik: Likelihood;
  private prev = NaN;
  private quiet = 0;
  private n = 0;
  private lo = Infinity;
  private hi = -Infinity;

  constructor(private readonly opt: DetectorOptions = DEFAULT_OPTIONS) {
    this.level = new RobustEw(opt.levelAlpha);
    this.diff = new RobustEw(opt.diffAlpha);
    this.seasons = [new SeasonalProfile(48, DAY, opt.diffAlpha), new SeasonalProfile(168, 7 * DAY, opt.diffAlpha)];
    this.lik = new Likelihood(opt.shortWindow, opt.longAlpha, opt.warmup);
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
    let score = this.lik.update(1 - Math.exp(-z / o.zScale));
    if (o.rangeTol > 0 && this.n >= o.warmup) {
      const tol = (this.hi - this.lo) * o.rangeTol;
      if (value > this.hi + tol || value < this.lo - tol) score = 1;
    }
    // Learn only after scoring, so a score depends on the past alone.
    if (value > this.hi) this.hi = value;
    if (value < this.lo) this.lo = value;
    this.level.update(value);
    if (!Number.isNaN(this.prev)) this.diff.update(d);
    for (const p of this.seasons) p.update(ts, value);
    this.prev = value;
    this.n++;
    if (this.quiet > 0) {
      this.quiet--;
      return score * o.damp;
    }
    if (score >= o.fireLevel) this.quiet = o.refractory;
    return score;
  }

  /** The whole learned state as JSON-safe data, for checkpointing a live sensor's detector. */
  toJSON(): DetectorState {
    const fin = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      version: 1,
      options: { ...this.opt },
      n: this.n,
      prev: fin(this.prev),
      quiet: this.quiet,
      lo: fin(this.lo),
      hi: fin(this.hi),
      level: this.level.toJSON(),
      diff: this.diff.toJSON(),
      seasons: this.seasons.map((s) => s.toJSON()),
      likelihood: this.lik.toJSON(),
    };
  }

  /** Rebuilds a detector from toJSON() output (also after a JSON round trip); it then scores exactly as the original would. */
  static fromJSON(s: DetectorState): CityDetector {
    if (s?.version !== 1) throw new Error('unsupported detector state: expected version 1');
    const d = new CityDetector({ ...DEFAULT_OPTIONS, ...s.options });
    d.n = s.n;
    d.prev = s.prev ?? NaN;
    d.quiet = s.quiet;
    d.lo = s.lo ?? Infinity;
    d.hi = s.hi ?? -Infinity;
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
