/** The domain-event bus: in-process by default, NATS JetStream when configured. */
export * from './types.js';
export { createMemoryBus } from './memory.js';
