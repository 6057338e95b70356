/**
 * Time limits of city events (SPEC E4): the limit per category and urgency
 * from the taxonomy (with configurable overrides), a warning at 80% of it,
 * and the escalation level a breach calls for (1 street station at the
 * limit, 2 city centre at 1.5× by default). A suspension pauses the clock;
 * the clock stops once the result is reported. Pure: the caller passes now.
 */
import { badRequest } from '../../platform/errors.js';
import type { EventState } from './types.js';

const HOUR = 3_600_000;

export interface TaxonomyCategory {
  code: string;
  zh: string;
  en: string;
  department: string;
  hours: number;
  urgentHours: number;
}

export interface Taxonomy {
  departments: Array<{ code: string; zh: string; en: string }>;
  categories: TaxonomyCategory[];
}

export type LimitOverrides = Record<string, { hours?: number; urgentHours?: number }>;

export interface TimeLimitOptions {
  /** Fraction of the limit after which the event is flagged (default 0.8). */
  warnFraction: number;
  /** Fraction of the limit at which the city centre takes over (default 1.5). */
  cityCentreFraction: number;
}

export const DEFAULT_TIME_OPTIONS: TimeLimitOptions = { warnFraction: 0.8, cityCentreFraction: 1.5 };

/** The category's entry, or a 400 naming the known codes. */
export function categoryOf(tax: Taxonomy, code: string): TaxonomyCategory {
  const c = tax.categories.find((x) => x.code === code);
  if (!c) throw badRequest('UNKNOWN_CATEGORY', `Unknown category "${code}"; use one of ${tax.categories.map((x) => x.code).join(', ')}`);
  return c;
}

/** Time limit in ms for a category and urgency; overrides win over the taxonomy. */
export function limitMs(cat: TaxonomyCategory, urgent: boolean, overrides: LimitOverrides = {}): number {
  const o = overrides[cat.code] ?? {};
  const hours = urgent ? (o.urgentHours ?? cat.urgentHours) : (o.hours ?? cat.hours);
  return hours * HOUR;
}

export interface ClockInput {
  state: EventState;
  clockStartAt: number;
  limitMs: number;
  pausedMs: number;
  suspendedAt: number | null;
}

export type TimeStatus = 'ok' | 'warning' | 'breached' | 'stopped';

export interface TimeView {
  /** Null when the clock is stopped (result reported, rated, closed). */
  deadlineAt: number | null;
  warnAt: number | null;
  elapsedMs: number;
  status: TimeStatus;
  paused: boolean;
  /** Escalation level the elapsed time calls for: 0, 1 street station, 2 city centre. */
  dueLevel: number;
}

const RUNNING: readonly EventState[] = ['received', 'dispatched', 'in_progress'];

export function timeView(e: ClockInput, now: number, opts: TimeLimitOptions = DEFAULT_TIME_OPTIONS): TimeView {
  if (!RUNNING.includes(e.state)) return { deadlineAt: null, warnAt: null, elapsedMs: 0, status: 'stopped', paused: false, dueLevel: 0 };
  const pausedNow = e.suspendedAt !== null ? Math.max(0, now - e.suspendedAt) : 0;
  const paused = e.pausedMs + pausedNow;
  const elapsedMs = Math.max(0, now - e.clockStartAt - paused);
  const deadlineAt = e.clockStartAt + paused + e.limitMs;
  const warnAt = e.clockStartAt + paused + Math.round(e.limitMs * opts.warnFraction);
  const fraction = e.limitMs > 0 ? elapsedMs / e.limitMs : Infinity;
  const status: TimeStatus = fraction >= 1 ? 'breached' : fraction >= opts.warnFraction ? 'warning' : 'ok';
  const dueLevel = fraction >= opts.cityCentreFraction ? 2 : fraction >= 1 ? 1 : 0;
  return { deadlineAt, warnAt, elapsedMs, status, paused: e.suspendedAt !== null, dueLevel };
}
