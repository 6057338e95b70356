/**
 * Baseline detectors for the NAB bench: NAB's windowed Gaussian (mean and
 * standard deviation of the last 6400 values, refreshed every 100 readings;
 * score = the Gaussian CDF of the value, as NAB's implementation does) — published at 39.6 standard.
 */
import { normalTail } from './stats.logic.js';
import type { StreamingDetector } from './types.js';

export class WindowedGaussian implements StreamingDetector {
  private readonly buf: number[] = [];
  private mean = 0;
  private sd = 0;
  private sinceRefresh = 0;
  constructor(private readonly window = 6400, private readonly step = 100) {}

  update(_ts: number, value: number): number {
    this.buf.push(value);
    if (this.buf.length > this.window) this.buf.shift();
    if (++this.sinceRefresh >= this.step || this.buf.length < this.step) {
      this.sinceRefresh = 0;
      let s = 0;
      for (const v of this.buf) s += v;
      this.mean = s / this.buf.length;
      let q = 0;
      for (const v of this.buf) q += (v - this.mean) ** 2;
      this.sd = Math.sqrt(q / this.buf.length);
    }
    if (this.buf.length < 2 || this.sd === 0) return 0;
    return 1 - normalTail((value - this.mean) / this.sd);
  }
}
