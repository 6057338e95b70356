/** City events (SPEC E1–E5): the event record, its timeline, the classifier seam and the domain events. */
import type { Point } from '../../platform/geo/index.js';

/** 受理 → 派单 → 处置 → 反馈 → 评价 → 结案 */
export const EVENT_STATES = ['received', 'dispatched', 'in_progress', 'result_reported', 'rated', 'closed'] as const;
export type EventState = (typeof EVENT_STATES)[number];

export const EVENT_CHANNELS = ['hotline', 'app', 'patrol', 'alarm', 'api'] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

export const EVENT_ACTIONS = [
  'dispatch', 'accept', 'return', 'transfer', 'add_cohandler', 'complete_cotask', 'report_result', 'verify',
  'rate', 'close', 'reopen', 'suspend', 'resume', 'escalate', 'merge',
] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];
/** What a timeline entry records: a lifecycle action, the intake, or a category correction (recategorise.ts; no state change). */
export type TimelineAction = EventAction | 'receive' | 'recategorise';

/** A co-handling department (协办) and its own task. */
export interface Cohandler {
  department: string;
  status: 'open' | 'done';
  note: string | null;
}

/** The part of an event the lifecycle state machine reads and writes. */
export interface LifecycleEvent {
  state: EventState;
  leadDepartment: string | null;
  cohandlers: Cohandler[];
  reporterId: string | null;
  orgPath: string | null;
  /** Epoch ms the current suspension began, or null. */
  suspendedAt: number | null;
  suspendReason: string | null;
  /** When the time-limit clock (re)started: intake, or a reopen/rework. */
  clockStartAt: number;
  /** Total ms spent suspended (the time-limit clock does not run then). */
  pausedMs: number;
  /** 0 none, 1 street station, 2 city centre. */
  escalationLevel: number;
  rating: number | null;
  ratingComment: string | null;
  /** Times a poor rating sent the event back for rework (at most once). */
  reworkCount: number;
  verifiedAt: number | null;
  resultAt: number | null;
  closedAt: number | null;
  updatedAt: number;
  version: number;
}

export interface CityEvent extends LifecycleEvent {
  id: string;
  trackingCode: string;
  channel: EventChannel;
  category: string;
  urgent: boolean;
  text: string;
  location: Point | null;
  address: string | null;
  orgUnitId: string | null;
  /** Time limit in ms from the taxonomy (or overrides) for this category and urgency. */
  limitMs: number;
  /** Deadline of the current clock (moves when a suspension ends); null once the result is reported. */
  deadlineAt: number | null;
  classifierConfidence: number | null;
  /** Version of the classifier model that categorised the event (null when the reporter chose the category). */
  classifierVersion: string | null;
  createdAt: number;
}

/** Personal details a reporter gave (Open311 POST): stored privately, shown to dispatchers and admins only. */
export interface ReporterContact {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  deviceId: string | null;
  accountId: string | null;
}

export interface TimelineEntry {
  id: string;
  eventId: string;
  at: number;
  action: TimelineAction;
  fromState: EventState | null;
  toState: EventState;
  actorId: string;
  actorName: string;
  note: string | null;
  /** Public entries are shown to the citizen and on the tracking page; internal ones are not. */
  public: boolean;
}

/** What a classifier answers for one report (the classifier module fills it in). */
export interface Classification {
  category: string;
  urgent: boolean;
  confidence: number;
  /** The words that weighed most. */
  explanation: unknown;
}

export interface Classifier {
  classify(text: string): Classification;
}

export interface EventChangedPayload {
  eventId: string;
  trackingCode: string;
  action: TimelineAction;
  fromState: EventState | null;
  state: EventState;
  category: string;
  leadDepartment: string | null;
  orgUnitId: string | null;
  escalationLevel: number;
  version: number;
}

declare module '../../platform/bus/types.js' {
  interface DomainEventMap {
    EventReceived: EventChangedPayload;
    EventDispatched: EventChangedPayload;
    EventAccepted: EventChangedPayload;
    EventReturned: EventChangedPayload;
    EventTransferred: EventChangedPayload;
    EventCohandlerAdded: EventChangedPayload;
    EventCotaskCompleted: EventChangedPayload;
    EventResultReported: EventChangedPayload;
    EventVerified: EventChangedPayload;
    EventRated: EventChangedPayload;
    EventClosed: EventChangedPayload;
    EventReopened: EventChangedPayload;
    EventSuspended: EventChangedPayload;
    EventResumed: EventChangedPayload;
    EventEscalated: EventChangedPayload;
    /** A duplicate report was merged into an earlier event and closed (duplicates/). */
    EventMerged: EventChangedPayload;
    /** A dispatcher corrected only the category (recategorise.ts). */
    EventRecategorised: EventChangedPayload;
  }
}
