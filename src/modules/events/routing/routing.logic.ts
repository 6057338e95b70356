/**
 * Routing (SPEC E2): which department leads an event, from its category and
 * where it is. Configurable rules are tried in priority order; the first that
 * matches wins. A rule's org unit matches every unit below it (a district rule
 * covers its streets and grids). Without a match the taxonomy's department
 * leads; with no clear owner at all the local street office (JD) does (兜底).
 * Pure: the caller supplies the rules and the event's org path.
 */

/** The local street office: the owner of last resort. */
export const FALLBACK_DEPARTMENT = 'JD';

export interface RoutingRule {
  id: string;
  /** Lower runs first; ties keep the order given (oldest first). */
  priority: number;
  /** null: any category. */
  category: string | null;
  /** null: anywhere. Otherwise this unit and everything below it. */
  orgUnitId: string | null;
  department: string;
}

export interface RouteInput {
  category: string;
  /** Org path of the unit that contains the place, "/city/district/street/grid/", or null when unknown. */
  orgPath: string | null;
  /** The taxonomy's department for the category, if it names one. */
  taxonomyDepartment: string | null;
}

export interface RouteDecision {
  department: string;
  /** The rule that decided, or null for the taxonomy default / fallback. */
  ruleId: string | null;
  reason: 'rule' | 'taxonomy' | 'fallback';
}

/** True when the org path lies in (or is) the unit with this id. */
export function inUnit(orgPath: string | null, orgUnitId: string): boolean {
  return orgPath !== null && orgPath.split('/').includes(orgUnitId);
}

export function sortRules<R extends RoutingRule>(rules: readonly R[]): R[] {
  return rules.map((r, i) => ({ r, i })).sort((a, b) => a.r.priority - b.r.priority || a.i - b.i).map((x) => x.r);
}

export function route(rules: readonly RoutingRule[], input: RouteInput): RouteDecision {
  for (const r of sortRules(rules)) {
    if (r.category !== null && r.category !== input.category) continue;
    if (r.orgUnitId !== null && !inUnit(input.orgPath, r.orgUnitId)) continue;
    return { department: r.department, ruleId: r.id, reason: 'rule' };
  }
  if (input.taxonomyDepartment) return { department: input.taxonomyDepartment, ruleId: null, reason: 'taxonomy' };
  return { department: FALLBACK_DEPARTMENT, ruleId: null, reason: 'fallback' };
}

/** A stored correction, as the learning loop reads it. */
export interface CorrectionLike { id: string; eventId: string; text: string; category: string; urgent: boolean }

/** Training examples from dispatchers' corrections: the latest correction of an event wins. */
export function labelsToExamples(labels: readonly CorrectionLike[]): { id: string; text: string; category: string; urgent: boolean }[] {
  const byEvent = new Map(labels.map((l) => [l.eventId, l]));
  return [...byEvent.values()].map((l) => ({ id: l.id, text: l.text, category: l.category, urgent: l.urgent }));
}
