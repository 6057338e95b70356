/**
 * When does a forecast cross a rule's threshold? Walks the forecast path (the
 * value now, then points ahead), finds the first crossing and interpolates
 * its time. A new warning needs the value now on the safe side (otherwise the
 * rule itself is already alarming: nothing left to forewarn); an active one
 * clears only when the whole path stays a margin clear of the threshold, so a
 * forecast hovering at the line does not flap.
 */

export interface PathPoint {
  at: number;
  value: number;
}

export interface Crossing {
  /** Epoch ms of the predicted crossing. */
  expectedAt: number;
  /** The most extreme forecast value on the path (highest for '>', lowest for '<'). */
  peak: number;
}

export interface ThresholdLine {
  op: '>' | '<';
  value: number;
}

/** Margin an active warning must clear by: 2 % of the threshold, or of 1 for thresholds near zero. */
export const clearMargin = (t: ThresholdLine): number => 0.02 * Math.max(1, Math.abs(t.value));

/**
 * The crossing the path predicts for this threshold, or null. `now` is the
 * current (smoothed) value at the path's origin; `active` says a warning is
 * already standing (hysteresis: it holds while the path comes within the margin).
 */
export function predictCrossing(now: PathPoint, path: readonly PathPoint[], t: ThresholdLine, active: boolean): Crossing | null {
  const sign = t.op === '>' ? 1 : -1;
  const line = active ? t.value - sign * clearMargin(t) : t.value;
  const over = (v: number) => sign * (v - line) > 0;
  if (!Number.isFinite(now.value)) return null;
  if (!active && over(now.value)) return null;
  let peak = now.value;
  let expectedAt: number | null = over(now.value) ? now.at : null;
  let prev = now;
  for (const p of path) {
    if (!Number.isFinite(p.value)) continue;
    if (sign * (p.value - peak) > 0) peak = p.value;
    if (expectedAt === null && over(p.value)) {
      // Linear between the last point on the safe side and the first beyond the line.
      const f = (line - prev.value) / (p.value - prev.value);
      expectedAt = Math.round(prev.at + Math.max(0, Math.min(1, f)) * (p.at - prev.at));
    }
    prev = p;
  }
  return expectedAt === null ? null : { expectedAt, peak };
}
