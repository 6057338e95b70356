/**
 * Where problems come back (SPEC E6 主动治理) and where they gather (E7):
 * the recurrence test for a new report and grid-cell hotspots with hour and
 * weekday histograms. Pure: the caller passes reports and times.
 */
import { distanceM, type Position } from '../../../platform/geo/index.js';
import type { PlacedReport, RecurrenceRule } from './types.js';

const DAY = 86_400_000;
export const DEFAULT_RECURRENCE: RecurrenceRule = { minCount: 3, windowMs: 30 * DAY, radiusM: 100 };

/**
 * The earlier reports of the same category within the rule's radius and
 * window of `latest`; the place recurs when they and `latest` reach minCount.
 */
export function recurrence(latest: PlacedReport, earlier: readonly PlacedReport[], rule: RecurrenceRule = DEFAULT_RECURRENCE): { recurring: boolean; related: string[] } {
  const related = earlier
    .filter((e) => e.id !== latest.id && e.category === latest.category && e.at <= latest.at && latest.at - e.at <= rule.windowMs && distanceM(e.point, latest.point) <= rule.radiusM)
    .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id))
    .map((e) => e.id);
  return { recurring: related.length + 1 >= rule.minCount, related };
}

export interface Hotspot {
  centre: Position;
  count: number;
  /** Categories by count, most first (at most five). */
  topCategories: Array<{ category: string; count: number }>;
  /** 24 counts, hour of day in the requested UTC offset. */
  byHour: number[];
  /** 7 counts, Monday first. */
  byWeekday: number[];
}

export interface HotspotOptions {
  /** Edge of a grid cell in metres. */
  cellM: number;
  /** Cells with fewer reports are not hotspots. */
  minCount: number;
  /** Local time for the histograms, minutes east of UTC. */
  utcOffsetMin: number;
  limit: number;
}

export const DEFAULT_HOTSPOTS: HotspotOptions = { cellM: 250, minCount: 2, utcOffsetMin: 0, limit: 50 };
const M_PER_DEG_LAT = 111_320;

/** Grid-cell clustering: reports fall into square cells; busy cells are answered busiest first. */
export function hotspots(reports: readonly PlacedReport[], opts: HotspotOptions = DEFAULT_HOTSPOTS): Hotspot[] {
  if (!reports.length) return [];
  // One longitude scale for the whole set keeps cells square enough inside a city.
  const meanLat = reports.reduce((s, r) => s + r.point[1], 0) / reports.length;
  const dLat = opts.cellM / M_PER_DEG_LAT;
  const dLon = opts.cellM / (M_PER_DEG_LAT * Math.max(0.01, Math.cos((meanLat * Math.PI) / 180)));
  const cells = new Map<string, PlacedReport[]>();
  for (const r of reports) {
    const key = `${Math.floor(r.point[0] / dLon)}:${Math.floor(r.point[1] / dLat)}`;
    const list = cells.get(key);
    if (list) list.push(r);
    else cells.set(key, [r]);
  }
  const out: Hotspot[] = [];
  for (const list of cells.values()) {
    if (list.length < opts.minCount) continue;
    const cats = new Map<string, number>();
    const byHour = new Array<number>(24).fill(0);
    const byWeekday = new Array<number>(7).fill(0);
    for (const r of list) {
      cats.set(r.category, (cats.get(r.category) ?? 0) + 1);
      const local = new Date(r.at + opts.utcOffsetMin * 60_000);
      byHour[local.getUTCHours()]!++;
      byWeekday[(local.getUTCDay() + 6) % 7]!++;
    }
    const round = (x: number) => Math.round(x * 1e6) / 1e6;
    out.push({
      centre: [round(list.reduce((s, r) => s + r.point[0], 0) / list.length), round(list.reduce((s, r) => s + r.point[1], 0) / list.length)],
      count: list.length,
      topCategories: [...cats].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)).slice(0, 5),
      byHour,
      byWeekday,
    });
  }
  return out.sort((a, b) => b.count - a.count || a.centre[0] - b.centre[0]).slice(0, opts.limit);
}
