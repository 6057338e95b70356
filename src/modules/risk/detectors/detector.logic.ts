/**
 * The CityOps streaming anomaly detector (SPEC R2): per sensor, O(1) work and
 * bounded memory (a few hundred numbers) per reading, only the past, score in [0, 1].
 *
 * Evidence: a robust z of the value against slow EW statistics — replaced by
 * the z of the residual against a learned time-of-day or time-of-week profile
 * once that profile explains the series clearly better — mixed with a robust z
 * of the first difference. The evidence is then calibrated like Numenta's
 * anomaly likelihood: its short-term average is compared with its own long-run
 * distribution, so one threshold means the same rarity on every series.
 * After a confident detection the output is damped for a while, because only
 * the earliest detection of an anomaly counts and repeats are false alarms.
 */
import { RobustEw, SeasonalProfile, normalTail } from './stats.logic.js';
import type { StreamingDetector } from './types.js';

const DAY = 86_400_000;

export interface DetectorOptions {
  /** Readings averaged for the short-term evidence. */
  shortWindow: number;
  /** EW rate of the long-run distribution of the evidence. */
  longAlpha: number;
  /** Readings damped after a detection. */
  refractory: number;
  /** Calibrated score that counts as a detection for damping. */
  fireLevel: number;
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
}

export const DEFAULT_OPTIONS: DetectorOptions = {
  shortWindow: 24,
  longAlpha: 0.001,
  refractory: 100,
  fireLevel: 0.998,
  levelAlpha: 0.005,
  diffAlpha: 0.01,
  diffWeight: 0.5,
  zScale: 4,
  seasonalGain: 0.5,
  warmup: 100,
};

export class CityDetector implements StreamingDetector {
  private readonly level: RobustEw;
  private readonly diff: RobustEw;
  private readonly seasons: SeasonalProfile[];
  private prev = NaN;
  private readonly ring: Float64Array;
  private ringPos = 0;
  private ringSum = 0;
  private evMean = 0;
  private evVar = 0;
  private evN = 0;
  private quiet = 0;
  private n = 0;

  constructor(private readonly opt: DetectorOptions = DEFAULT_OPTIONS) {
    this.ring = new Float64Array(opt.shortWindow);
    this.level = new RobustEw(opt.levelAlpha);
    this.diff = new RobustEw(opt.diffAlpha);
    this.seasons = [new SeasonalProfile(48, DAY, opt.diffAlpha), new SeasonalProfile(168, 7 * DAY, opt.diffAlpha)];
  }

  /** Scores one reading (before learning from it). Non-finite values score 0 and are not learned. */
  update(ts: number, value: number): number {
    if (!Number.isFinite(value) || !Number.isFinite(ts)) return 0;
    const floor = 1e-9 + 1e-6 * Math.abs(this.level.mean);
    let zLevel = this.level.z(value, floor);
    let bestDev = this.opt.seasonalGain * this.level.dev;
    for (const p of this.seasons) {
      const r = p.residual(ts, value);
      if (!Number.isNaN(r) && p.resid.n > 50 && p.resid.dev < bestDev) {
        bestDev = p.resid.dev;
        zLevel = p.resid.z(r, floor);
      }
    }
    const d = Number.isNaN(this.prev) ? 0 : value - this.prev;
    const zDiff = this.diff.z(d, floor);
    const z = this.opt.diffWeight * zDiff + (1 - this.opt.diffWeight) * zLevel;
    const evidence = 1 - Math.exp(-z / this.opt.zScale);
    // Learn only after scoring, so a score depends on the past alone.
    this.level.update(value);
    if (!Number.isNaN(this.prev)) this.diff.update(d);
    for (const p of this.seasons) p.update(ts, value);
    this.prev = value;
    return this.calibrate(evidence);
  }

  private calibrate(ev: number): number {
    const w = this.ring.length;
    this.ringSum += ev - this.ring[this.ringPos]!;
    this.ring[this.ringPos] = ev;
    this.ringPos = (this.ringPos + 1) % w;
    this.n++;
    const short = this.ringSum / Math.min(this.n, w);
    let score = 0;
    if (this.evN > this.opt.warmup) {
      const sd = Math.max(Math.sqrt(this.evVar), 1e-3);
      score = 1 - normalTail((short - this.evMean) / sd);
    }
    const a = Math.max(this.opt.longAlpha, 1 / (this.evN + 1));
    const dm = short - this.evMean;
    this.evMean += a * dm;
    this.evVar = (1 - a) * (this.evVar + a * dm * dm);
    this.evN++;
    if (this.quiet > 0) {
      this.quiet--;
      return score * 0.5;
    }
    if (score >= this.opt.fireLevel) this.quiet = this.opt.refractory;
    return score;
  }
}

export function createDetector(opt?: Partial<DetectorOptions>): CityDetector {
  return new CityDetector({ ...DEFAULT_OPTIONS, ...opt });
}
