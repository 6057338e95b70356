/** Outgoing webhooks of city events: registrations, outbox deliveries and the event types a webhook may ask for. */
import type { DomainEventMap, EventType } from '../../../platform/bus/types.js';
import type { EventChangedPayload } from '../types.js';

/** Every bus event that reports a change of a city event's state. */
export type EventChangeType = { [K in EventType]: DomainEventMap[K] extends EventChangedPayload ? K : never }[EventType];

// A record, not a list, so the compiler insists on every change type the events module declares.
const CHANGE_TYPES: Record<EventChangeType, true> = {
  EventReceived: true, EventDispatched: true, EventAccepted: true, EventReturned: true, EventTransferred: true,
  EventCohandlerAdded: true, EventCotaskCompleted: true, EventResultReported: true, EventVerified: true,
  EventRated: true, EventClosed: true, EventReopened: true, EventSuspended: true, EventResumed: true, EventEscalated: true, EventMerged: true,
  EventRecategorised: true,
};
export const WEBHOOK_EVENT_TYPES = Object.keys(CHANGE_TYPES) as EventChangeType[];

export interface Webhook {
  id: string;
  url: string;
  /** Empty: every event type. */
  events: string[];
  active: boolean;
  createdAt: number;
}

/** The stored registration, with the signing secret (never sent back after creation). */
export interface WebhookWithSecret extends Webhook {
  secret: string;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  id: string;
  webhookId: string;
  /** The bus envelope id: receivers use it to drop repeats. */
  envelopeId: string;
  type: string;
  /** When the bus event was published (epoch ms). */
  eventAt: number;
  payload: unknown;
  /** Attempts made so far. */
  attempt: number;
  nextAttemptAt: number;
  status: DeliveryStatus;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}
