/**
 * The learning loop's rules: how dispatcher corrections join the corpus's
 * train split, and when a retrained model replaces the current one.
 */
import type { Evaluation } from './evaluate.logic.js';
import type { LabelledReport } from './types.js';

/**
 * The training set: the corpus's train split plus extra labelled examples
 * (dispatcher corrections). A correction overrides a corpus report with the
 * same text (the dispatcher saw the real case); reports that are in the
 * held-out split are dropped, so retraining never trains on what it is
 * judged by.
 */
export function mergeTrainingSets(
  corpus: readonly LabelledReport[],
  extra: readonly LabelledReport[],
  heldout: readonly LabelledReport[],
): LabelledReport[] {
  const key = (r: LabelledReport) => r.text.trim().toLowerCase();
  const judged = new Set(heldout.map(key));
  const byText = new Map<string, LabelledReport>();
  for (const r of corpus) byText.set(key(r), r);
  for (const r of extra) if (!judged.has(key(r))) byText.set(key(r), r);
  return [...byText.values()].filter((r) => !judged.has(key(r)));
}

export interface ModelScore {
  version: string;
  accuracy: number;
  top3: number;
  urgentF1: number;
}

export function scoreOf(version: string, ev: Evaluation): ModelScore {
  return { version, accuracy: ev.accuracy, top3: ev.top3, urgentF1: ev.urgent.f1 };
}

/**
 * A candidate replaces the current model when it is no worse on held-out
 * top-1 accuracy; ties go to the candidate, which has seen more labels.
 * With no current model (first training, or an unreadable file) it is adopted.
 */
export function shouldAdopt(candidate: ModelScore, current: ModelScore | undefined): boolean {
  if (!current) return true;
  return candidate.accuracy >= current.accuracy;
}
