import { describe, expect, it } from 'vitest';
import { addToWindow, newWindow, windowRatePerMin, windowRise, windowSum } from './window.logic.js';

const T0 = Date.UTC(2026, 0, 1);

describe('sliding window', () => {
  it('integrates value × hours over the window and forgets what slid out', () => {
    const w = newWindow(600_000);
    for (let s = 0; s <= 600; s++) addToWindow(w, T0 + s * 1000, 36, 120_000); // 36 mm/h for 10 min = 6 mm
    expect(windowSum(w)).toBeCloseTo(6, 0);
    for (let s = 601; s <= 1300; s++) addToWindow(w, T0 + s * 1000, 0, 120_000);
    expect(windowSum(w)).toBe(0);
  });

  it('measures the rise and the rate per minute once it spans a quarter of the window', () => {
    const w = newWindow(60_000);
    addToWindow(w, T0, 100, 1e9);
    addToWindow(w, T0 + 5_000, 90, 1e9);
    expect(windowRatePerMin(w)).toBeNull();
    addToWindow(w, T0 + 30_000, 50, 1e9);
    expect(windowRise(w)).toBe(-50);
    expect(windowRatePerMin(w)).toBeCloseTo(-100);
  });

  it('ignores readings older than the last one and caps the time a reading stands for', () => {
    const w = newWindow(3_600_000);
    addToWindow(w, T0, 10, 60_000);
    addToWindow(w, T0 + 600_000, 10, 60_000); // 10 minutes of silence count as one
    addToWindow(w, T0 + 1000, 999, 60_000);
    expect(windowSum(w)).toBeCloseTo(10 / 60);
  });
});
