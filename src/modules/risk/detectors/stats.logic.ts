/**
 * Small online statistics with O(1) state used by the detectors: an outlier-
 * clipped exponentially weighted location/scale (a cheap robust stand-in for a
 * windowed median/MAD), a learned time-of-period profile, a Numenta-style
 * likelihood calibrator and the Gaussian tail probability. Every class can
 * export its state as plain JSON data and be rebuilt from it (checkpointing of
 * live per-sensor detectors).
 */

/** Plain-data state of a RobustEw. */
export interface RobustEwState {
  mean: number;
  dev: number;
  n: number;
}

/** Exponentially weighted mean and mean absolute deviation, updated with clipped values. */
export class RobustEw {
  mean = 0;
  dev = 0;
  n = 0;
  constructor(private readonly alpha: number, private readonly clip = 4) {}

  /** Robust z of x against the state before x is learned; 0 until warmed up. */
  z(x: number, floor: number): number {
    if (this.n < 2) return 0;
    return Math.abs(x - this.mean) / Math.max(this.dev * 1.25, floor);
  }

  update(x: number): void {
    if (this.n === 0) {
      this.mean = x;
      this.n = 1;
      return;
    }
    const a = Math.max(this.alpha, 1 / (this.n + 1));
    const lim = this.clip * Math.max(this.dev, 1e-12);
    const d = x - this.mean;
    const dc = this.n > 10 ? Math.max(-lim, Math.min(lim, d)) : d;
    this.mean += a * dc;
    this.dev += a * (Math.abs(dc) - this.dev);
    this.n++;
  }

  toJSON(): RobustEwState {
    return { mean: this.mean, dev: this.dev, n: this.n };
  }

  load(s: RobustEwState): void {
    this.mean = s.mean;
    this.dev = s.dev;
    this.n = s.n;
  }
}

/** Upper tail of the standard normal, Q(z) = P(Z > z) (Abramowitz–Stegun 7.1.26 via erfc). */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** Plain-data state of a SeasonalProfile. */
export interface SeasonalState {
  prof: number[];
  seen: number[];
  resid: RobustEwState;
}

/** A time-of-period profile learned online (EW per bucket) and the robust spread of its residuals. */
export class SeasonalProfile {
  private readonly prof: Float64Array;
  private readonly seen: Uint16Array;
  readonly resid: RobustEw;
  constructor(private readonly buckets: number, private readonly period: number, residAlpha: number, private readonly rate = 0.1) {
    this.prof = new Float64Array(buckets);
    this.seen = new Uint16Array(buckets);
    this.resid = new RobustEw(residAlpha);
  }

  bucket(ts: number): number {
    return Math.floor((((ts % this.period) + this.period) % this.period) / (this.period / this.buckets));
  }

  /** Residual of x against the profile at ts, or NaN while that bucket is not yet learned. */
  residual(ts: number, x: number): number {
    const b = this.bucket(ts);
    return this.seen[b]! >= 3 ? x - this.prof[b]! : NaN;
  }

  update(ts: number, x: number): void {
    const b = this.bucket(ts);
    const n = this.seen[b]!;
    if (n > 0) this.resid.update(x - this.prof[b]!);
    this.prof[b] = n === 0 ? x : this.prof[b]! + Math.max(this.rate, 1 / (n + 1)) * (x - this.prof[b]!);
    if (n < 65535) this.seen[b] = n + 1;
  }

  toJSON(): SeasonalState {
    return { prof: Array.from(this.prof), seen: Array.from(this.seen), resid: this.resid.toJSON() };
  }

  load(s: SeasonalState): void {
    if (s.prof.length !== this.buckets || s.seen.length !== this.buckets) throw new Error('seasonal state has the wrong number of buckets');
    this.prof.set(s.prof);
    this.seen.set(s.seen);
    this.resid.load(s.resid);
  }
}

/** Plain-data state of a Likelihood calibrator. */
export interface LikelihoodState {
  ring: number[];
  pos: number;
  sum: number;
  n: number;
  mean: number;
  var: number;
}

/**
 * Numenta-style anomaly likelihood: the mean of the last `window` evidence
 * values is compared with the long-run (EW, rate `alpha`) mean and variance of
 * those short means, giving 1 − Q(z): the same rarity means the same score
 * on every series, whatever its evidence level. 0 until `warmup` values.
 */
export class Likelihood {
  private readonly ring: Float64Array;
  private pos = 0;
  private sum = 0;
  private n = 0;
  private mean = 0;
  private var = 0;
  /** z of the last scored short-term mean against the long-run distribution (0 while warming up). */
  z = 0;
  constructor(window: number, private readonly alpha: number, private readonly warmup: number, private readonly minSd = 1e-3) {
    this.ring = new Float64Array(window);
  }

  /** Scores evidence ev (using the past only), then learns it. */
  update(ev: number): number {
    const w = this.ring.length;
    this.sum += ev - this.ring[this.pos]!;
    this.ring[this.pos] = ev;
    this.pos = (this.pos + 1) % w;
    const short = this.sum / Math.min(this.n + 1, w);
    let score = 0;
    this.z = 0;
    if (this.n >= this.warmup) {
      const sd = Math.max(Math.sqrt(this.var), this.minSd);
      this.z = (short - this.mean) / sd;
      score = 1 - normalTail(this.z);
    }
    const a = Math.max(this.alpha, 1 / (this.n + 1));
    const d = short - this.mean;
    this.mean += a * d;
    this.var = (1 - a) * (this.var + a * d * d);
    this.n++;
    return score;
  }

  toJSON(): LikelihoodState {
    return { ring: Array.from(this.ring), pos: this.pos, sum: this.sum, n: this.n, mean: this.mean, var: this.var };
  }

  load(s: LikelihoodState): void {
    if (s.ring.length !== this.ring.length) throw new Error('likelihood state has the wrong window');
    this.ring.set(s.ring);
    this.pos = s.pos;
    this.sum = s.sum;
    this.n = s.n;
    this.mean = s.mean;
    this.var = s.var;
  }
}

/** Plain-data state of a RecentRange (completed blocks oldest first, then the open block). */
export interface RangeState {
  lo: number[];
  hi: number[];
  curLo: number | null;
  curHi: number | null;
  start: number | null;
  count: number;
}

/**
 * The min and max over a sliding recent history, kept as the extremes of up to
 * `blocks` completed blocks plus the open one. A block closes once it spans
 * `blockMs` AND holds `blockReadings` readings, so the history covers at least
 * blocks·blockMs of time and blocks·blockReadings readings whatever the
 * sampling rate. Old extremes (a glitch, the low end of a trend) thus age out.
 */
export class RecentRange {
  private lo: number[] = [];
  private hi: number[] = [];
  private curLo = Infinity;
  private curHi = -Infinity;
  private start = NaN;
  private count = 0;
  constructor(private readonly blocks: number, private readonly blockMs: number, private readonly blockReadings: number) {}

  /** True when x lies beyond the recent range widened by tol × its width (false while nothing is known). */
  outside(x: number, tol: number): boolean {
    const [lo, hi] = this.bounds();
    if (!(hi >= lo)) return false;
    const t = (hi - lo) * tol;
    return x > hi + t || x < lo - t;
  }

  /** [lo, hi] of the recent history ([Infinity, -Infinity] while empty). */
  bounds(): [number, number] {
    let lo = this.curLo;
    let hi = this.curHi;
    for (let i = 0; i < this.lo.length; i++) {
      if (this.lo[i]! < lo) lo = this.lo[i]!;
      if (this.hi[i]! > hi) hi = this.hi[i]!;
    }
    return [lo, hi];
  }

  update(ts: number, x: number): void {
    if (Number.isNaN(this.start)) this.start = ts;
    if (x < this.curLo) this.curLo = x;
    if (x > this.curHi) this.curHi = x;
    this.count++;
    if (this.count >= this.blockReadings && ts - this.start >= this.blockMs) {
      this.lo.push(this.curLo);
      this.hi.push(this.curHi);
      if (this.lo.length > this.blocks) {
        this.lo.shift();
        this.hi.shift();
      }
      this.curLo = Infinity;
      this.curHi = -Infinity;
      this.start = NaN;
      this.count = 0;
    }
  }

  toJSON(): RangeState {
    const fin = (v: number) => (Number.isFinite(v) ? v : null);
    return { lo: [...this.lo], hi: [...this.hi], curLo: fin(this.curLo), curHi: fin(this.curHi), start: fin(this.start), count: this.count };
  }

  load(s: RangeState): void {
    this.lo = [...s.lo];
    this.hi = [...s.hi];
    this.curLo = s.curLo ?? Infinity;
    this.curHi = s.curHi ?? -Infinity;
    this.start = s.start ?? NaN;
    this.count = s.count;
  }
}

