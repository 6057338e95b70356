/** NATS JetStream bus (placeholder until implemented). */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Bus } from './types.js';

export interface NatsBusOptions {
  url: string;
  clock: Clock;
  log: Logger;
  /** JetStream stream name; tests use a fresh one. */
  stream?: string;
}

export async function createNatsBus(_o: NatsBusOptions): Promise<Bus> {
  throw new Error('NATS bus not implemented yet');
}
