/**
 * The duplicate finder (SPEC E6): scores a new report against open events
 * of the same category near it by distance, time gap and text similarity
 * (character bigrams for Chinese, stemmed words for English, via the
 * classifier's tokenizer) and proposes those above a threshold. Pure.
 */
import { distanceM } from '../../../platform/geo/index.js';
import { DEFAULT_FEATURES, tokenize } from '../classifier/tokenize.logic.js';
import type { DupReport, DuplicateMatch, DuplicateOptions, DuplicateRule } from './types.js';

const H = 3_600_000;

export const DEFAULT_DUPLICATE_OPTIONS: DuplicateOptions = {
  rule: { radiusM: 150, windowMs: 72 * H },
  byCategory: {
    // Area-type problems: one noisy site or smell is heard or smelt from far away, and it lasts.
    NOISE: { radiusM: 500, windowMs: 7 * 24 * H },
    AIR_POLLUTION: { radiusM: 800, windowMs: 7 * 24 * H },
    WATER_POLLUTION: { radiusM: 500, windowMs: 7 * 24 * H },
    CONSTRUCTION_NUISANCE: { radiusM: 400, windowMs: 7 * 24 * H },
    CONGESTION: { radiusM: 400, windowMs: 6 * H },
    WATERLOGGING: { radiusM: 300, windowMs: 48 * H },
  },
  threshold: 0.45,
};

export function ruleFor(opts: DuplicateOptions, category: string): DuplicateRule {
  return opts.byCategory[category] ?? opts.rule;
}

// Bigrams and words only: single characters and cues make unrelated Chinese texts look alike.
const SIM_FEATURES = { ...DEFAULT_FEATURES, zhWords: false, zhChars: false, enBigrams: false, dropProperNouns: false, conceptWeight: 0, conceptPairs: false };

/** The set of tokens two reports are compared on. */
export function textTokens(text: string): Set<string> {
  return new Set(tokenize(text, SIM_FEATURES).filter((t) => t.startsWith('b:') || t.startsWith('e:')));
}

/** Overlap of two token sets, 0–1: the share of the smaller set found in the larger (short reports stay comparable). */
export function textSimilarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const jaccard = shared / (a.size + b.size - shared);
  const overlap = shared / Math.min(a.size, b.size);
  return (jaccard + overlap) / 2;
}

/**
 * Score of one candidate, 0–1, or null when it is outside the rule (other
 * category, too far, too old, later than the report). Place and time weigh
 * half: the same category at the same spot within hours is usually the same
 * problem; the text decides the rest.
 */
export function scorePair(report: DupReport, cand: DupReport, rule: DuplicateRule): DuplicateMatch | null {
  if (report.id === cand.id || report.category !== cand.category) return null;
  const d = distanceM(report.point, cand.point);
  const gap = report.at - cand.at;
  if (d > rule.radiusM || gap < 0 || gap > rule.windowMs) return null;
  const near = 1 - d / rule.radiusM;
  const recent = 1 - gap / rule.windowMs;
  const sim = textSimilarity(textTokens(report.text), textTokens(cand.text));
  const score = 0.3 * near + 0.2 * recent + 0.5 * Math.min(1, sim * 1.6);
  return { id: cand.id, score: Math.round(score * 1000) / 1000, distanceM: Math.round(d), gapMs: gap, textSimilarity: Math.round(sim * 1000) / 1000 };
}

/** Candidates at or above the threshold, best first. */
export function findDuplicates(report: DupReport, candidates: readonly DupReport[], opts: DuplicateOptions = DEFAULT_DUPLICATE_OPTIONS): DuplicateMatch[] {
  const rule = ruleFor(opts, report.category);
  const out: DuplicateMatch[] = [];
  for (const c of candidates) {
    const m = scorePair(report, c, rule);
    if (m && m.score >= opts.threshold) out.push(m);
  }
  return out.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
