/** Duplicates, recurrence and hotspots of city events (SPEC E6, E7): the rules and the shapes they answer. */
import type { Position } from '../../../platform/geo/index.js';

/** How near and how recent an open event must be to count as a possible duplicate. */
export interface DuplicateRule {
  radiusM: number;
  windowMs: number;
}

export interface DuplicateOptions {
  /** Default rule for a category without its own. */
  rule: DuplicateRule;
  /** Per category code: area-type problems (noise, smell) spread over larger distances. */
  byCategory: Record<string, DuplicateRule>;
  /** A candidate scoring at or above this is proposed (0–1). */
  threshold: number;
}

export interface RecurrenceRule {
  /** Reports of one category at one place within windowMs that make it recurrent. */
  minCount: number;
  windowMs: number;
  radiusM: number;
}

/** A report as the duplicate finder sees it. */
export interface DupReport {
  id: string;
  category: string;
  point: Position;
  at: number;
  text: string;
}

export interface DuplicateMatch {
  id: string;
  score: number;
  distanceM: number;
  gapMs: number;
  textSimilarity: number;
}

/** A located report for recurrence and hotspots. */
export interface PlacedReport {
  id: string;
  category: string;
  point: Position;
  at: number;
}
