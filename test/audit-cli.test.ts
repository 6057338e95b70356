/**
 * `cityops audit verify` as a person runs it: the real CLI in a child process
 * against a SQLite store written by the audit log, before and after someone
 * tampers with the table. The CLI boots the whole city, whose modules may add
 * entries of their own at first start (e.g. risk.rule.seed), so the expected
 * counts and head come from the table as the CLI left it, never a constant.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.js';
import { migrate, openDatabase } from '../src/platform/db/index.js';
import { createAuditService } from '../src/platform/audit/service.js';
import { createAuditStore, migrations } from '../src/platform/audit/store.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-audit-cli-'));
const sqlitePath = path.join(dataDir, 'cityops.db');

/** Runs `cityops audit verify --data-dir <dir>` on the SQLite store only, whatever the caller's environment says. */
async function verifyCli(): Promise<{ code: number; out: string }> {
  const env = { ...process.env, DATABASE_URL: '', NATS_URL: '', MQTT_URL: '', CITYOPS_SQLITE_PATH: '', LOG_LEVEL: 'error' };
  try {
    const { stdout } = await run(process.execPath, ['bin/cityops.js', 'audit', 'verify', '--data-dir', dataDir], { cwd: root, env, timeout: 60_000 });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** The rows as the CLI left them: every entry's seq, action and hash, in order. */
async function stored(): Promise<{ seq: number; action: string; hash: string }[]> {
  const database = await openDatabase({ sqlitePath });
  try {
    const { rows } = await sql<{ seq: number; action: string; hash: string }>`SELECT seq, action, hash FROM audit_log ORDER BY seq`.execute(database.db);
    return rows.map((r) => ({ seq: Number(r.seq), action: r.action, hash: r.hash }));
  } finally {
    await database.close();
  }
}

async function tamper(statement: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<unknown>) {
  const database = await openDatabase({ sqlitePath });
  try {
    await statement(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  const database = await openDatabase({ sqlitePath });
  await migrate(database.db, database.dialect, migrations);
  const clock = new ManualClock(Date.UTC(2026, 4, 1));
  const audit = createAuditService({ store: createAuditStore(database), clock, algorithm: 'sm3', log: pino({ level: 'silent' }) });
  for (let i = 1; i <= 25; i++) {
    clock.advance(1000);
    await audit.append({ actor: 'system:simulator', action: 'sensor.update', targetType: 'sensor', targetId: `s${i}`, details: { value: i } });
  }
  await database.close();
});

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('cityops audit verify', () => {
  it('exits 0 and says "intact" for an untouched log', async () => {
    const r = await verifyCli();
    expect(r.code, r.out).toBe(0);
    const rows = await stored();
    // Our 25 entries come first, untouched; anything after them was appended by the city's own start.
    expect(rows.slice(0, 25).map((e) => [e.seq, e.action])).toEqual(Array.from({ length: 25 }, (_, i) => [i + 1, 'sensor.update']));
    expect(rows.map((e) => e.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(r.out).toMatch(/^audit log intact: \d+ entries, head [0-9a-f]{64}$/m);
    expect(r.out).toContain(`audit log intact: ${rows.length} entries, head ${rows.at(-1)!.hash}`);
  });

  it('exits 1 and lists each problem after the table was tampered with', async () => {
    await tamper(async ({ db }) => {
      await sql`DROP TRIGGER audit_log_no_update`.execute(db);
      await sql`DROP TRIGGER audit_log_no_delete`.execute(db);
      await sql`UPDATE audit_log SET details = '{"value":999}' WHERE seq = 12`.execute(db);
      await sql`DELETE FROM audit_log WHERE seq = 20`.execute(db);
    });
    const r = await verifyCli();
    expect(r.code, r.out).toBe(1);
    const rows = await stored();
    expect(rows.map((e) => e.seq)).not.toContain(20);
    expect(r.out).toContain(`AUDIT LOG TAMPERED: 2 problem(s) in ${rows.length} entries`);
    expect(r.out).toMatch(/^ {2}seq 12: edited — entry 12 was edited: stored hash [0-9a-f]{64}, recomputed [0-9a-f]{64}$/m);
    expect(r.out).toMatch(/^ {2}seq 20: deleted — entry 20 was deleted: the chain jumps from entry 19 to entry 21/m);
  });
});
