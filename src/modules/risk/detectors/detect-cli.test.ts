// End-to-end test of `cityops detect` through the real command (child process, tsx).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-detect-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cityops(...args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/cityops.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 }, (err, _out, stderr) =>
      resolve({ status: err ? Number(err.code ?? 1) : 0, stderr }),
    );
  });
}
function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

describe('cityops detect', () => {
  it('writes one score per row, in order, for a NAB-format series', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => {
      const t = new Date(Date.UTC(2024, 0, 1) + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
      return `${t},${i === 500 ? 99 : (10 + Math.sin(i / 20)).toFixed(3)}`;
    });
    const input = write('in.csv', ['timestamp,value', ...rows].join('\n') + '\n');
    const output = path.join(dir, 'out.csv');
    const r = await cityops('detect', '--input', input, '--output', output);
    expect(r.status, r.stderr).toBe(0);
    const lines = fs.readFileSync(output, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('timestamp,value,anomaly_score');
    expect(lines).toHaveLength(601);
    lines.slice(1).forEach((l, i) => {
      const [t, v, s] = l.split(',');
      expect(`${t},${v}`).toBe(rows[i]!.replace(/,(.*)$/, (_m, x: string) => `,${Number(x)}`));
      expect(Number(s)).toBeGreaterThanOrEqual(0);
      expect(Number(s)).toBeLessThanOrEqual(1);
    });
  });

  it('fails clearly on a missing file, a bad header and a non-numeric value', async () => {
    const out = path.join(dir, 'never.csv');
    const [missing, header, bad] = await Promise.all([
      cityops('detect', '--input', path.join(dir, 'nope.csv'), '--output', out),
      cityops('detect', '--input', write('h.csv', 'time,val\n2024-01-01 00:00:00,1\n'), '--output', out),
      cityops('detect', '--input', write('v.csv', 'timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,abc\n'), '--output', out),
    ]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/does not exist.*DETECT_INPUT_NOT_FOUND/);
    expect(header.status).toBe(1);
    expect(header.stderr).toMatch(/line 1.*timestamp,value/);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/line 3: value "abc" is not a number/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
