/** Build a whole CityOps in-process for integration tests: temp SQLite (or a fresh PostgreSQL schema), silent logs, injectable clock. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { createCityOps, type CityOps } from '../../src/main.js';
import { ManualClock, type Clock } from '../../src/platform/clock.js';
import { TEST_NATS_URL, TEST_PG_URL, uniqueName } from '../../src/platform/testing/services.js';
import { deleteNatsStream } from '../../src/platform/bus/nats.js';

export interface TestCityOptions {
  postgres?: boolean;
  nats?: boolean;
  clock?: Clock;
  config?: Partial<Config>;
  /** Share a PostgreSQL schema / JetStream stream with another test city (scale-out tests). */
  pgSchema?: string;
  natsStream?: string;
}

export interface TestCity extends CityOps {
  clock: Clock;
  dataDir: string;
  destroy(): Promise<void>;
}

export async function startTestCity(opts: TestCityOptions = {}): Promise<TestCity> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-test-'));
  const base = loadConfig({}, { dataDir, port: 0, logLevel: 'silent' });
  const config: Config = {
    ...base,
    databaseUrl: opts.postgres ? TEST_PG_URL : undefined,
    natsUrl: opts.nats ? TEST_NATS_URL : undefined,
    jwtSecret: 'test-secret-test-secret-test-secret-0123',
    ...opts.config,
  };
  const clock = opts.clock ?? new ManualClock(Date.UTC(2026, 10, 22, 8, 0, 0));
  const natsStream = opts.nats ? (opts.natsStream ?? uniqueName('T').toUpperCase()) : undefined;
  const city = await createCityOps(config, {
    clock,
    pgSchema: opts.postgres ? (opts.pgSchema ?? uniqueName('t')) : undefined,
    natsStream,
  });
  return Object.assign(city, {
    clock,
    dataDir,
    async destroy() {
      await city.close();
      // A stream made for this city alone goes with it; a shared one is left to whoever named it.
      if (natsStream && !opts.natsStream) await deleteNatsStream(TEST_NATS_URL, natsStream);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
