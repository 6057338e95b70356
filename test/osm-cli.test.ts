// The real `cityops import osm` command, run as a person would run it.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-osm-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const cityops = (...args: string[]) =>
  run(process.execPath, ['bin/cityops.js', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', NATS_URL: '', CITYOPS_JWT_SECRET: 'cli-test-secret-cli-test-secret-0123' }, timeout: 60_000 });

describe('cityops import osm', () => {
  it('imports the Bautzen extract and prints the counts', async () => {
    const { stdout, stderr } = await cityops('import', 'osm', 'assets/osm/bautzen.osm', '--data-dir', dataDir);
    expect(stdout).toContain('road network: 224 nodes, 228 segments, 25 map features');
    expect(stderr).toContain('osm: 100%'); // progress (plain lines when not a terminal)
    expect(fs.existsSync(path.join(dataDir, 'cityops.db'))).toBe(true);
    const again = await cityops('import', 'osm', 'assets/osm/bautzen.osm', '--data-dir', dataDir);
    expect(again.stdout).toContain('224 nodes, 228 segments'); // replaced, not added
  });

  it('fails with the reason and a non-zero exit for a missing file', async () => {
    const err = (await cityops('import', 'osm', 'assets/osm/nope.osm', '--data-dir', dataDir).then(() => null, (e: unknown) => e)) as { code: number; stderr: string } | null;
    expect(err).not.toBeNull();
    expect(err!.code).not.toBe(0);
    expect(err!.stderr).toMatch(/cityops: No file at .*nope\.osm.*\(OSM_FILE_NOT_FOUND\)/);
    expect(err!.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
