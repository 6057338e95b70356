/** `cityops classify` and `cityops train classifier` as a user runs them: the real command in a child process. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const CHILD_ENV = { ...process.env, LOG_LEVEL: 'silent' };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-classify-cli-'));

function cityops(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/cityops.js', ...args], { cwd: ROOT, env: CHILD_ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('cityops classify', () => {
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('answers every line in order, with an error line for each bad one, and carries on', async () => {
    const input = [
      JSON.stringify({ id: 'r1', text: '小区门口的井盖不见了，晚上黑乎乎的，很危险' }),
      'this is not json',
      JSON.stringify({ id: 2, text: 'Strong smell of gas in the stairwell, hissing from the meter!' }),
      '',
      JSON.stringify({ id: 'r3' }),
      JSON.stringify({ id: 'r4', text: 'x'.repeat(10_001) }),
      JSON.stringify({ id: { nested: true }, text: 'hi' }),
      JSON.stringify({ id: 'r5', text: 'Neighbours upstairs blast music until 3am every night' }),
    ].join('\n');
    const { code, stdout } = await cityops(['classify'], `${input}\n`);
    expect(code).toBe(0);
    const out = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(7);
    expect(out[0]).toMatchObject({ id: 'r1', category: 'MANHOLE', urgent: true });
    expect(out[0]?.confidence).toEqual(expect.any(Number));
    expect(Object.keys(out[0] ?? {})).toEqual(['id', 'category', 'urgent', 'confidence']);
    expect(out[1]).toEqual({ id: null, error: expect.stringMatching(/not JSON/) });
    expect(out[2]).toMatchObject({ id: 2, category: 'GAS_POWER_HEATING', urgent: true });
    expect(out[3]).toEqual({ id: 'r3', error: '"text" must be a string' });
    expect(out[4]).toEqual({ id: 'r4', error: expect.stringMatching(/longer than/) });
    expect(out[5]).toEqual({ id: null, error: expect.stringMatching(/"id" must be/) });
    expect(out[6]).toMatchObject({ id: 'r5', category: 'NOISE', urgent: false });
  });

  it('says clearly when the model file is missing', async () => {
    const { code, stderr } = await cityops(['classify', '--model', path.join(tmp, 'none.json')], '');
    expect(code).toBe(1);
    expect(stderr).toMatch(/cityops: .*none\.json/);
  });

  it('train classifier refuses a malformed corrections file before training', async () => {
    const bad = path.join(tmp, 'corrections.jsonl');
    fs.writeFileSync(bad, '{"id":"c1","text":"路灯不亮","category":"STREETLIGHT","urgent":false}\n{"id":"c2"}\n');
    const { code, stderr } = await cityops(['train', 'classifier', '--corrections', bad, '--model', path.join(tmp, 'm.json')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/corrections\.jsonl:2: needs/);
    expect(fs.existsSync(path.join(tmp, 'm.json'))).toBe(false);
  });
});
