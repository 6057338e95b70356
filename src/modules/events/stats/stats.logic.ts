/** Pure helpers of event statistics: rates from counts, districts from org paths, the wire shape. */

/** A share in [0, 1], or null when there is nothing to divide by (no data is not 0%). */
export function rate(part: number, whole: number): number | null {
  if (!(whole > 0)) return null;
  return Math.round((part / whole) * 10_000) / 10_000;
}

/** A mean rounded to a tenth, or null without samples. */
export function mean(sum: number, n: number): number | null {
  if (!(n > 0)) return null;
  return Math.round((sum / n) * 10) / 10;
}

/** The district of an org path "/city/district/street/grid/": its second segment, or "none" for events off the map or at city level. */
export function districtOf(path: string | null): string {
  if (!path) return 'none';
  const seg = path.split('/').filter((s) => s.length > 0);
  return seg[1] ?? 'none';
}

/** Fold counts per org path into counts per district (paths are few: one per grid at most). */
export function foldDistricts(rows: Array<{ key: string | null; n: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const d = districtOf(r.key);
    out[d] = (out[d] ?? 0) + r.n;
  }
  return out;
}

export function countsOf(rows: Array<{ key: string | null; n: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.key ?? 'none'] = (out[r.key ?? 'none'] ?? 0) + r.n;
  return out;
}

/** The aggregate sums the store computes in SQL. */
export interface StatsSums {
  total: number;
  /** Finished (result reported or closed) or past the deadline while running. */
  timed: number;
  onTime: number;
  handled: number;
  handlingMsSum: number;
  rated: number;
  ratingSum: number;
  satisfied: number;
  repeats: number;
  everClosed: number;
  reopened: number;
}

export interface StatsRates {
  onTimeRate: number | null;
  avgHandlingHours: number | null;
  satisfaction: { meanRating: number | null; satisfiedShare: number | null; rated: number };
  repeatRate: number | null;
  reopenRate: number | null;
}

export function ratesOf(s: StatsSums): StatsRates {
  return {
    onTimeRate: rate(s.onTime, s.timed),
    avgHandlingHours: s.handled > 0 ? Math.round((s.handlingMsSum / s.handled / 3_600_000) * 100) / 100 : null,
    satisfaction: { meanRating: mean(s.ratingSum, s.rated), satisfiedShare: rate(s.satisfied, s.rated), rated: s.rated },
    repeatRate: rate(s.repeats, s.total),
    reopenRate: rate(s.reopened, s.everClosed),
  };
}
