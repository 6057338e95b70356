/**
 * Typed domain-event bus. Each module declares its events by augmenting
 * DomainEventMap in its own types.ts:
 *
 *   declare module '../../platform/bus/types.js' {
 *     interface DomainEventMap { ReadingsIngested: ReadingsIngestedPayload }
 *   }
 *
 * Delivery is at-least-once; every envelope has an id so consumers can be
 * idempotent (the bus drops redeliveries of an id a group has already handled).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by module augmentation
export interface DomainEventMap {}

export type EventType = keyof DomainEventMap & string;

export interface Envelope<K extends EventType = EventType> {
  id: string;
  type: K;
  /** Epoch ms when published. */
  at: number;
  payload: DomainEventMap[K];
}

export interface SubscribeOptions {
  /**
   * A durable consumer group: each event goes to one member of the group
   * (work sharing across processes) and survives restarts. Without a group,
   * every process receives every event published while it listens (broadcast).
   */
  group?: string;
}

export type Handler<K extends EventType> = (event: Envelope<K>) => void | Promise<void>;

export interface Bus {
  readonly kind: 'memory' | 'nats';
  /** Resolves once the event is accepted (durably, for NATS JetStream). */
  publish<K extends EventType>(type: K, payload: DomainEventMap[K], opts?: { id?: string }): Promise<Envelope<K>>;
  subscribe<K extends EventType>(type: K, handler: Handler<K>, opts?: SubscribeOptions): Promise<() => Promise<void>>;
  /** True while the bus can publish (used by /ready). */
  healthy(): boolean;
  close(): Promise<void>;
}
