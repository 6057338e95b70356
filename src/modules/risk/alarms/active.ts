/**
 * The in-memory side of alarms: the index of active alarms (one per source
 * and rule), the open flood-control incidents by area, and the changes of the
 * current batch not yet written. apply() turns one signal into those changes
 * with the pure lifecycle and flood logic; it does no I/O, so the service can
 * apply a whole batch synchronously and write it in one transaction.
 */
import { newId } from '../../../platform/ids.js';
import type { Alarm, AlarmIncident, AlarmSignal, Severity } from '../types.js';
import { floodArea, joinIncident, memberEscalated, memberInactive, onRaise, openIncident, type AreaWindow, type FloodOptions } from './flood.logic.js';
import { alarmKey, applySignal, isActive, moreSevere, wantsEvent } from './lifecycle.logic.js';

export type Change = 'raised' | 'updated' | 'acknowledged' | 'cleared';

/** Note on an alarm whose city event is another incident member's: it waits for no event of its own. */
export const COVERED_NOTE = 'Covered by the city event of alarm ';
/** The request for a city event of this alarm, as the alarm itself holds it (category: the rule's). */
export const eventRequest = (a: Alarm, category: string) => ({
  alarmId: a.id, category, urgent: true, location: a.location,
  text: `[${a.severity}] ${a.messageZh} / ${a.messageEn} (${a.sourceId})`,
});

export interface Pending {
  alarms: Map<string, Alarm>;
  incidents: Map<string, AlarmIncident>;
  changes: Array<[Change, string]>;
  /** Alarms that now ask for a city event, with the rule's category. */
  requests: Array<{ alarm: Alarm; category: string }>;
}

export function createActiveIndex(flood: FloodOptions, departmentOf?: (sensorId: string) => string | null | undefined) {
  const active = new Map<string, Alarm>(); // by alarmKey(sourceId, ruleId)
  const activeById = new Map<string, Alarm>();
  const openByArea = new Map<string, AlarmIncident>();
  const windows = new Map<string, AreaWindow>();
  /** Open incidents whose city event one member already asked for (the rest do not ask again). */
  const incidentEvent = new Map<string, string>();
  /** Changes not written yet: written (and published) with the next batch that succeeds. */
  const pending: Pending = { alarms: new Map(), incidents: new Map(), changes: [], requests: [] };

  const remember = (a: Alarm) => {
    const key = alarmKey(a.sourceId, a.ruleId);
    if (isActive(a.state)) {
      active.set(key, a);
      activeById.set(a.id, a);
    } else if (activeById.get(a.id)) {
      active.delete(key);
      activeById.delete(a.id);
    }
  };

  /** An incident lost an active member: update it, and forget it once closed. */
  function incidentMemberGone(a: Alarm, at: number): AlarmIncident | undefined {
    if (!a.incidentId) return undefined;
    const area = floodArea(a.orgPath);
    const inc = area ? openByArea.get(area) : undefined;
    if (!inc || inc.id !== a.incidentId || !area) return undefined;
    const next = memberInactive(inc, at);
    if (next.closedAt === null) openByArea.set(area, next);
    else {
      openByArea.delete(area);
      incidentEvent.delete(next.id);
    }
    return next;
  }

  /** Apply one queued signal to the index; record what changed. */
  function applyOne(sig: AlarmSignal) {
    const key = alarmKey(sig.sourceId, sig.ruleId);
    // Only a new alarm needs the department: look it up then, not on every repeat.
    const s = sig.kind === 'raise' && sig.department === undefined && departmentOf && !active.has(key) ? { ...sig, department: departmentOf(sig.sourceId) ?? null } : sig;
    const out = applySignal(active.get(key), s, () => newId('alm'));
    if (out.kind === 'ignored') return;
    let a = out.alarm;
    if (out.kind === 'raised') {
      const area = floodArea(a.orgPath);
      if (area) {
        const dec = onRaise(windows.get(area) ?? { recent: [] }, openByArea.get(area) ?? null, { id: a.id, at: a.raisedAt }, flood);
        windows.set(area, dec.window);
        if (dec.kind === 'attach') {
          const inc = joinIncident(openByArea.get(area)!, a.raisedAt, a.severity);
          openByArea.set(area, inc);
          pending.incidents.set(inc.id, inc);
          a = { ...a, incidentId: inc.id };
        } else if (dec.kind === 'open') {
          // The earlier members that are still active move into the incident with the new alarm.
          const members = dec.members.map((id) => (id === a.id ? a : activeById.get(id))).filter((m): m is Alarm => m !== undefined);
          const severity = members.reduce<Severity>((s2, m) => moreSevere(s2, m.severity), a.severity);
          const inc = openIncident(newId('ainc'), area, a.raisedAt, members.length, severity);
          openByArea.set(area, inc);
          pending.incidents.set(inc.id, inc);
          for (const m of members) {
            if (m.id === a.id) continue;
            const moved = { ...m, incidentId: inc.id, version: m.version + 1 };
            remember(moved);
            pending.alarms.set(moved.id, moved);
            pending.changes.push(['updated', moved.id]);
            if (moved.eventRequestedAt !== null && !incidentEvent.has(inc.id)) incidentEvent.set(inc.id, moved.id);
          }
          a = { ...a, incidentId: inc.id };
        }
      }
      pending.changes.push(['raised', a.id]);
    } else if (out.kind === 'updated') {
      if (out.escalated && a.incidentId) {
        const area = floodArea(a.orgPath);
        const inc = area ? openByArea.get(area) : undefined;
        if (area && inc && inc.id === a.incidentId) {
          const next = memberEscalated(inc, a.severity);
          openByArea.set(area, next);
          pending.incidents.set(next.id, next);
        }
      }
      pending.changes.push(['updated', a.id]);
    } else {
      const inc = incidentMemberGone(a, s.at);
      if (inc) pending.incidents.set(inc.id, inc);
      pending.changes.push(['cleared', a.id]);
    }
    if (s.kind === 'raise' && s.openEvent && wantsEvent(a, s.openEvent)) {
      const covering = a.incidentId ? incidentEvent.get(a.incidentId) : undefined;
      if (covering) {
        a = { ...a, eventRequestedAt: s.at, notes: [...a.notes, { at: s.at, by: 'system:alarms', text: `${COVERED_NOTE}${covering} (same incident)` }] };
      } else {
        a = { ...a, eventRequestedAt: s.at };
        if (a.incidentId) incidentEvent.set(a.incidentId, a.id);
        pending.requests.push({ alarm: a, category: s.openEvent.category });
      }
    }
    remember(a);
    pending.alarms.set(a.id, a);
  }

  return {
    pending,
    remember,
    incidentMemberGone,
    apply: applyOne,
    byId: (id: string): Alarm | undefined => activeById.get(id),
    all: (): Alarm[] => [...activeById.values()],
    size: () => activeById.size,
    openIncidents: (): AlarmIncident[] => [...openByArea.values()],

    /** Start-up: the active alarms and open incidents from the store. */
    load(alarms: Alarm[], incidents: AlarmIncident[], now: number) {
      for (const a of alarms) {
        const prior = active.get(alarmKey(a.sourceId, a.ruleId));
        if (!prior || prior.raisedAt < a.raisedAt) remember(a);
      }
      for (const inc of incidents) openByArea.set(inc.orgPath, inc);
      for (const a of activeById.values()) {
        const area = floodArea(a.orgPath);
        if (a.incidentId && a.eventRequestedAt !== null && !incidentEvent.has(a.incidentId)) incidentEvent.set(a.incidentId, a.id);
        if (!area || a.incidentId || a.raisedAt <= now - flood.windowMs) continue;
        const w = windows.get(area) ?? { recent: [] };
        w.recent.push({ alarmId: a.id, at: a.raisedAt });
        windows.set(area, w);
      }
      for (const w of windows.values()) w.recent.sort((x, y) => x.at - y.at);
    },
  };
}

export type ActiveIndex = ReturnType<typeof createActiveIndex>;
