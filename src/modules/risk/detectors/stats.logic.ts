/**
 * Small online statistics with O(1) state used by the detectors: an outlier-
 * clipped exponentially weighted location/scale (a cheap robust stand-in for a
 * windowed median/MAD) and the Gaussian tail probability.
 */

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
}

/** Upper tail of the standard normal, Q(z) = P(Z > z) (Abramowitz–Stegun 7.1.26 via erfc). */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
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
}
