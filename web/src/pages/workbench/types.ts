/** Wire shapes of the events, photos, departments and alarms APIs as the workbench and grid views read them. */
export const EVENT_STATES = ['received', 'dispatched', 'in_progress', 'result_reported', 'rated', 'closed'] as const;
export type EventState = (typeof EVENT_STATES)[number];

export type EventAction =
  | 'dispatch' | 'accept' | 'return' | 'transfer' | 'add_cohandler' | 'complete_cotask' | 'report_result' | 'verify'
  | 'rate' | 'close' | 'reopen' | 'suspend' | 'resume' | 'escalate' | 'merge';

export interface Cohandler {
  department: string;
  status: 'open' | 'done';
  note: string | null;
}

export interface EventWire {
  id: string;
  trackingCode: string;
  channel: 'hotline' | 'app' | 'patrol' | 'alarm' | 'api';
  category: string;
  urgent: boolean;
  text: string;
  location: { type: 'Point'; coordinates: [number, number] } | null;
  address: string | null;
  orgUnitId: string | null;
  orgPath: string | null;
  state: EventState;
  version: number;
  leadDepartment: string | null;
  cohandlers: Cohandler[];
  reporterId: string | null;
  suspended: boolean;
  suspendedAt: string | null;
  suspendReason: string | null;
  escalationLevel: number;
  escalatedTo: 'street_station' | 'city_centre' | null;
  time: { limitHours: number; deadlineAt: string | null; warnAt: string | null; status: 'ok' | 'warning' | 'breached' | 'stopped'; paused: boolean; elapsedMs: number };
  rating: number | null;
  ratingComment: string | null;
  reworkCount: number;
  classifierConfidence: number | null;
  classifierVersion: string | null;
  verifiedAt: string | null;
  resultAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TimelineWire {
  id?: string;
  at: string;
  action: EventAction | 'receive' | 'recategorise';
  fromState: EventState | null;
  toState: EventState;
  note: string | null;
  actorId?: string;
  actorName?: string;
  public?: boolean;
}

export interface EventDetailWire extends EventWire {
  timeline: TimelineWire[];
}

export interface EventPage {
  items: EventWire[];
  total: number;
  limit: number;
  offset: number;
}

export interface PhotoWire {
  id: string;
  stage: 'report' | 'result';
  contentType: string;
  url: string;
  createdAt: string;
  originalUrl?: string;
}

export interface Department {
  code: string;
  nameZh: string;
  nameEn: string;
}

export type AlarmState = 'active_unack' | 'active_ack' | 'cleared_unack' | 'cleared';
export type Severity = 'critical' | 'major' | 'minor' | 'warning';

export interface AlarmWire {
  id: string;
  state: AlarmState;
  severity: Severity;
  sourceId: string;
  messageZh: string;
  messageEn: string;
  raisedAt: string;
  lastAt: string;
  count: number;
  department: string | null;
  eventId: string | null;
  version: number;
}
