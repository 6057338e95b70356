/** `cityops import sensors <file>`: the real command in a child process prints the import report. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const run = promisify(execFile);
// The store is the SQLite file under --data-dir, whatever this shell's environment says.
const CHILD_ENV = { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', NATS_URL: '', MQTT_URL: '' };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-cli-import-'));

describe('cityops import sensors', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('imports the good rows of a mixed CSV, prints each bad line with its reason, and stores the sensors', async () => {
    const { stdout } = await run(process.execPath, ['bin/cityops.js', 'import', 'sensors', 'test/fixtures/sensors/mixed.csv', '--data-dir', dataDir], { cwd: ROOT, env: CHILD_ENV });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('imported 4 sensors, rejected 8');
    expect(lines.slice(1).map((l) => Number(/^ {2}line (\d+): /.exec(l)?.[1]))).toEqual([3, 6, 7, 8, 9, 10, 11, 13]);
    expect(lines[1]).toMatch(/line 3: class: must be one of .*got "weather"/);
    const db = new BetterSqlite3(path.join(dataDir, 'cityops.db'), { readonly: true });
    try {
      const ids = db.prepare('SELECT id FROM sensing_sensors ORDER BY id').all() as Array<{ id: string }>;
      expect(ids.map((r) => r.id).filter((id) => id.startsWith('mx-'))).toEqual(['mx-1', 'mx-10', 'mx-3']);
      expect(ids).toHaveLength(4);
    } finally {
      db.close();
    }
  });

  it('imports a GeoJSON file into the same store', async () => {
    const { stdout } = await run(process.execPath, ['bin/cityops.js', 'import', 'sensors', 'test/fixtures/sensors/mixed.geojson', '--data-dir', dataDir], { cwd: ROOT, env: CHILD_ENV });
    expect(stdout.split('\n')[0]).toBe('imported 3 sensors, rejected 4');
  });
});
