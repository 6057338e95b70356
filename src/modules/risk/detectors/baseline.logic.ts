/**
 * Baseline detector for the NAB bench: NAB's windowed Gaussian — mean and
 * standard deviation of the last 1000 values (window slid by one reading),
 * score = 1 − the two-sided Gaussian tail probability of the new value. NAB
 * publishes 39.6 standard for it on its full 58-file corpus.
 */
import { normalTail } from './stats.logic.js';
import type { StreamingDetector } from './types.js';

export class WindowedGaussian implements StreamingDetector {
  private readonly buf: Float64Array;
  private len = 0;
  private pos = 0;
  private mean = 0;
  private sd = 1;
  constructor(window = 1000) {
    this.buf = new Float64Array(window);
  }

  update(_ts: number, value: number): number {
    const score = this.len > 0 ? 1 - normalTail(Math.abs(value - this.mean) / this.sd) : 0;
    this.buf[this.pos] = value;
    this.pos = (this.pos + 1) % this.buf.length;
    if (this.len < this.buf.length) this.len++;
    // Exact recomputation (not running sums): large raw values would lose precision in a running sum of squares.
    let s = 0;
    for (let i = 0; i < this.len; i++) s += this.buf[i]!;
    this.mean = s / this.len;
    let q = 0;
    for (let i = 0; i < this.len; i++) q += (this.buf[i]! - this.mean) ** 2;
    this.sd = Math.sqrt(q / this.len) || 1e-6;
    return score;
  }
}
