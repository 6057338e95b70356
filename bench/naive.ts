/**
 * The naive baseline of the ingestion benchmark: the same telemetry schema on
 * the same SQLite settings, but one autocommitted INSERT per reading — what
 * storing each reading as it arrives costs without batching or group commit.
 */
import { migrate, openDatabase } from '../src/platform/db/index.js';
import { migrations } from '../src/modules/sensing/telemetry/store.js';

/** Readings per second a single-row, one-transaction-per-reading writer reaches in `ms`. */
export async function naiveInsertsPerSecond(file: string, sensors: number, ms: number): Promise<number> {
  const database = await openDatabase({ sqlitePath: file });
  try {
    await migrate(database.db, database.dialect, migrations);
    const insert = database.sqlite!.prepare('INSERT OR IGNORE INTO telemetry_readings (sensor_key, ts, value) VALUES (?, ?, ?)');
    const start = Date.now();
    let n = 0;
    let ts = start;
    while (Date.now() - start < ms) {
      for (let i = 0; i < 100; i++, n++) {
        const key = n % sensors;
        if (key === 0) ts++;
        insert.run(key, ts, 20 + Math.random() * 30);
      }
    }
    return Math.round((n * 1000) / (Date.now() - start));
  } finally {
    await database.close();
  }
}
