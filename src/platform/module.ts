/** What every capability module hands to the composition root (src/main.ts). */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Bus } from './bus/types.js';
import type { Clock } from './clock.js';
import type { Database, Migration } from './db/index.js';
import type { App } from './http/app.js';

export interface CityModule {
  name: string;
  migrations: Migration[];
  /** Mount HTTP routes; every route declares config.access. */
  registerRoutes?(app: App): void | Promise<void>;
  /** Start workers and bus subscriptions (after migrations, before listening). */
  start?(): Promise<void>;
  /** After every module has started: work that needs the other modules' subscriptions in place. */
  ready?(): Promise<void>;
  /** Stop workers; flush what was acknowledged. */
  stop?(): Promise<void>;
}

/** The kernel every module may be given. */
export interface Kernel {
  config: Config;
  database: Database;
  bus: Bus;
  clock: Clock;
  log: Logger;
}
