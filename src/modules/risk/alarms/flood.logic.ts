/**
 * Flood control (SPEC R3): when more than `maxAlarms` new alarms are raised
 * in one area (a street and everything below it) within `windowMs`, they
 * collapse into one AlarmIncident; while that incident has active members,
 * every new alarm of the area joins it instead of asking for attention itself.
 */
import type { AlarmIncident, Severity } from '../types.js';
import { moreSevere } from './lifecycle.logic.js';

export interface FloodOptions {
  /** More than this many alarms in one area within the window make an incident. */
  maxAlarms: number;
  windowMs: number;
}

export const DEFAULT_FLOOD: FloodOptions = { maxAlarms: 5, windowMs: 10 * 60_000 };

/** The street-level prefix of an org path ("/city/district/street/"), or the whole path when it is shallower. */
export function floodArea(orgPath: string | null): string | null {
  if (!orgPath) return null;
  const parts = orgPath.split('/').filter(Boolean);
  if (!parts.length) return null;
  return `/${parts.slice(0, 3).join('/')}/`;
}

export interface AreaWindow {
  /** Alarms raised recently in the area and not (yet) in an incident, oldest first. */
  recent: Array<{ alarmId: string; at: number }>;
}

export type FloodDecision =
  | { kind: 'none'; window: AreaWindow }
  /** Collapse these alarms (the new one included) into a new incident. */
  | { kind: 'open'; members: string[]; window: AreaWindow }
  | { kind: 'attach'; incidentId: string; window: AreaWindow };

/** Decide what a newly raised alarm does in its area. */
export function onRaise(window: AreaWindow, open: AlarmIncident | null, alarm: { id: string; at: number }, o: FloodOptions): FloodDecision {
  const recent = window.recent.filter((r) => r.at > alarm.at - o.windowMs);
  if (open && open.closedAt === null) return { kind: 'attach', incidentId: open.id, window: { recent } };
  recent.push({ alarmId: alarm.id, at: alarm.at });
  if (recent.length > o.maxAlarms) return { kind: 'open', members: recent.map((r) => r.alarmId), window: { recent: [] } };
  return { kind: 'none', window: { recent } };
}

/** A new incident for the area, holding `members` active alarms. */
export function openIncident(id: string, area: string, at: number, members: number, severity: Severity): AlarmIncident {
  return { id, orgPath: area, openedAt: at, lastAt: at, members, activeMembers: members, severity, closedAt: null };
}

/** One more active member. */
export function joinIncident(i: AlarmIncident, at: number, severity: Severity): AlarmIncident {
  return { ...i, lastAt: Math.max(i.lastAt, at), members: i.members + 1, activeMembers: i.activeMembers + 1, severity: moreSevere(i.severity, severity) };
}

/** A member stopped being active; the incident closes with its last active member. */
export function memberInactive(i: AlarmIncident, at: number): AlarmIncident {
  const activeMembers = Math.max(0, i.activeMembers - 1);
  return { ...i, activeMembers, lastAt: Math.max(i.lastAt, at), closedAt: activeMembers === 0 ? at : null };
}

/** A member escalated: the incident is as severe as its worst member. */
export function memberEscalated(i: AlarmIncident, severity: Severity): AlarmIncident {
  return { ...i, severity: moreSevere(i.severity, severity) };
}
