/**
 * The CityOps streaming anomaly detector (SPEC R2): per sensor, O(1) work and
 * bounded memory per reading, only the past, score in [0, 1].
 *
 * Raw evidence is the largest of: a robust z of the value against slow EW
 * statistics, or — once a learned time-of-day profile explains the series
 * better — the z of the residual against that profile; and a robust z of the
 * first difference. The raw evidence is then calibrated like Numenta's anomaly
 * likelihood: its short-term average is compared with its own long-run
 * distribution, so one threshold means the same rarity on every series.
 * After a confident detection the output is damped for a while, because only
 * the earliest detection of an anomaly counts and repeats are false alarms.
 */
import { RobustEw, normalTail } from './stats.logic.js';
import type { StreamingDetector } from './types.js';

const DAY = 86_400_000;
const DAY_BUCKETS = 48;

export interface DetectorOptions {
  /** Readings averaged for the short-term evidence. */
  shortWindow: number;
  /** EW rate of the long-run distribution of the evidence. */
  longAlpha: number;
  /** Readings damped after a detection. */
  refractory: number;
  /** Calibrated score that counts as a detection for damping. */
  fireLevel: number;
  /** Divides the instant evidence's z, so only far stronger single readings than usual fire alone. */
  instantScale: number;
}

export const DEFAULT_OPTIONS: DetectorOptions = { shortWindow: 24, longAlpha: 0.002, refractory: 100, fireLevel: 0.999, instantScale: 2 };

export class CityDetector implements StreamingDetector {
  private readonly level = new RobustEw(0.005);
  private readonly diff = new RobustEw(0.01);
  private readonly resid = new RobustEw(0.01);
  private readonly prof = new Float64Array(DAY_BUCKETS);
  private readonly profN = new Uint16Array(DAY_BUCKETS);
  private prev = NaN;
  private readonly ring: Float64Array;
  private ringPos = 0;
  private ringSum = 0;
  private evMean = 0;
  private evVar = 0;
  private evN = 0;
  private inMean = 0;
  private inVar = 0;
  private quiet = 0;
  private n = 0;

  constructor(private readonly opt: DetectorOptions = DEFAULT_OPTIONS) {
    this.ring = new Float64Array(opt.shortWindow);
  }

  update(ts: number, value: number): number {
    if (!Number.isFinite(value)) return 0;
    const floor = 1e-9 + 1e-6 * Math.abs(this.level.mean);
    const b = Math.floor((((ts % DAY) + DAY) % DAY) / (DAY / DAY_BUCKETS));
    // Evidence from the value level and from the seasonal profile.
    let zLevel = this.level.z(value, floor);
    const seasonalReady = this.profN[b]! >= 3 && this.resid.n > 50;
    if (seasonalReady && this.resid.dev < 0.5 * this.level.dev) {
      zLevel = this.resid.z(value - this.prof[b]!, floor);
    }
    const d = Number.isNaN(this.prev) ? 0 : value - this.prev;
    const zDiff = this.diff.z(d, floor);
    const z = Math.max(zLevel, zDiff);
    const evidence = 1 - Math.exp(-z / 4);
    // Learn (after scoring: only the past informs a score).
    this.level.update(value);
    if (!Number.isNaN(this.prev)) this.diff.update(d);
    if (this.profN[b]! > 0) this.resid.update(value - this.prof[b]!);
    const pa = Math.max(0.1, 1 / (this.profN[b]! + 1));
    this.prof[b] = this.profN[b] === 0 ? value : this.prof[b]! + pa * (value - this.prof[b]!);
    if (this.profN[b]! < 65535) this.profN[b]!++;
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
    if (this.evN > 100) {
      const sd = Math.max(Math.sqrt(this.evVar), 1e-3);
      score = 1 - normalTail((short - this.evMean) / sd);
      // A lone spike is diluted by the average; judge it on its own against the instant evidence's spread.
      const sdI = Math.max(Math.sqrt(this.inVar), 1e-3);
      score = Math.max(score, 1 - normalTail((ev - this.inMean) / sdI / this.opt.instantScale));
    }
    const a = Math.max(this.opt.longAlpha, 1 / (this.evN + 1));
    const dm = short - this.evMean;
    this.evMean += a * dm;
    this.evVar = (1 - a) * (this.evVar + a * dm * dm);
    const di = ev - this.inMean;
    this.inMean += a * di;
    this.inVar = (1 - a) * (this.inVar + a * di * di);
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
